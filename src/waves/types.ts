/**
 * Survey waves: one round of asking the same questions. Plain data (JSON-serialisable).
 * `baseline` waves hold only what was published about them; `collected` waves hold every answer
 * the bot gathered (the answers themselves live in storage, not here).
 */
import type { Lang, QuestionId } from '../core/types.js';

export type WaveStatus = 'open' | 'closed';
export type WaveKind = 'baseline' | 'collected';

/** What a publication said about one question. Anything not listed here is unknown, never 0. */
export interface PublishedQuestion {
  /** Cities that answered the question, when published. */
  n?: number;
  /** Cities naming a category, by category id. */
  counts?: Record<string, number>;
  /** Share of cities (0..1) naming a category, when only the share was published. */
  shares?: Record<string, number>;
}

export interface PublishedAggregates {
  /** Cities that took part in the wave, when published. */
  n?: number;
  questions: Partial<Record<QuestionId, PublishedQuestion>>;
}

export interface Wave {
  /** `^[A-Za-z0-9_-]{1,64}$`; used in paths and URLs. */
  id: string;
  title: Record<Lang, string>;
  /** ISO dates (YYYY-MM-DD); `end` is null while the wave runs. */
  fieldwork: { start: string | null; end: string | null };
  questionnaireVersion: number;
  status: WaveStatus;
  kind: WaveKind;
  /** Where a baseline's figures come from. */
  source?: string;
  /** Baselines only: the published figures. */
  published?: PublishedAggregates;
}

/** Options of `WaveRegistry.open`. */
export interface OpenWaveOptions {
  titleFi?: string;
  titleEn?: string;
  /** Fieldwork start, YYYY-MM-DD (default: today for a new wave, unchanged otherwise). */
  start?: string;
  /** Questionnaire version for a new wave (default: the highest version of the known waves). */
  questionnaireVersion?: number;
}

/**
 * The waves known to this installation: `data/waves.json` with staff changes merged over it.
 * The waves it returns are frozen (shared, read-only): copy one before changing it.
 */
export interface WaveRegistry {
  /** Every wave, in file order (baselines first, then waves staff added). */
  list(): Wave[];
  get(id: string): Wave | undefined;
  /** The one open wave, or undefined when none is open. */
  openWave(): Wave | undefined;
  /** Opens a wave (creating it when new) and closes the one open before. */
  open(id: string, options?: OpenWaveOptions): Promise<Wave>;
  /** Closes a wave; closing a closed wave changes nothing. */
  close(id: string): Promise<Wave>;
}

/** Wave ids appear in file paths and URLs: keep them short and plain. */
export const WAVE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
