/**
 * The comparison of two waves, as plain JSON (the API returns it as is). The unit is the city:
 * shares are shares of cities that answered the question. `null` means "not known": a share a
 * baseline did not publish (`unknown: true`), or a share of no cities at all (n = 0).
 */
import type { QuestionId } from '../core/types.js';
import type { Wave, WaveKind } from '../waves/types.js';

/** Below this many cities a share is flagged as indicative only. */
export const MIN_N = 10;

/** One figure of one category in one wave. */
export interface Cell {
  /** Cities naming the category; null when not known. */
  count: number | null;
  /** count / n (0..1); null when not known or when n is 0. */
  share: number | null;
  /** True when a baseline did not publish this figure: it is unknown, never 0. */
  unknown: boolean;
}

/** One question in one wave. */
export interface QuestionSide {
  /** Cities that answered the question (skipped or "don't know" excluded); null when not published. */
  n: number | null;
  /** n is known and below MIN_N. */
  lowN: boolean;
  /** Counted cities that gave this question no answer (collected waves only; null for baselines). */
  noAnswer: number | null;
}

export interface CategoryRow {
  category: string;
  base: Cell;
  target: Cell;
  /** target share − base share in percentage points; null when either share is null. */
  changePp: number | null;
}

export interface QuestionComparison {
  question: QuestionId;
  type: 'single' | 'multi';
  base: QuestionSide;
  target: QuestionSide;
  categories: CategoryRow[];
}

/** A city that submitted more than once: which response counts and which do not. */
export interface DuplicateCity {
  city: string;
  counted: string;
  others: string[];
  /** `latest`: the latest submission counts; `staff`: staff chose it (`counts: true`). */
  by: 'latest' | 'staff';
}

/** How the responses of a collected wave were counted. */
export interface ResponseSummary {
  total: number;
  submitted: number;
  inProgress: number;
  withdrawn: number;
  /** Submitted but with no city: cannot be counted (the unit is the city). */
  noCity: number;
  /** Submitted responses staff excluded (`counts: false`). */
  staffExcluded: number;
  /** Cities counted, one response each. */
  cities: number;
  duplicates: DuplicateCity[];
}

export interface WaveSide {
  id: string;
  title: Wave['title'];
  kind: WaveKind;
  /** `published`: figures from a publication; `responses`: counted from collected answers. */
  source: 'published' | 'responses';
  /** Cities in the wave; null when a baseline did not publish it. */
  cities: number | null;
  /** Collected waves only. */
  responses?: ResponseSummary;
  /** Where a baseline's figures come from. */
  reference?: string;
}

export interface Comparison {
  unit: 'city';
  minN: number;
  base: WaveSide;
  target: WaveSide;
  questions: QuestionComparison[];
}
