/**
 * The interviews list: one row per response, filtered, searched and paged. Pure functions over
 * responses, so they are tested without a server.
 */
import type { Answer, Questionnaire, ResponseStatus, SurveyResponse } from '../core/types.js';
import { cityOf, selectCounted, type CountFlag } from '../reports/counting.js';

/** Answers the normaliser coded below this confidence are "low confidence" for review. */
export const DEFAULT_LOW_CONFIDENCE = 0.8;

export interface InterviewFilter {
  wave?: string;
  /** Part of the city's name; case and diacritics do not matter ("jyvas" finds Jyväskylä). */
  city?: string;
  status?: ResponseStatus;
  /** With `category`: only that question's answers count. */
  question?: string;
  category?: string;
  /** Only interviews with a categorised answer below the low-confidence threshold. */
  lowConfidence?: boolean;
  /** Only interviews not yet marked reviewed. */
  unreviewed?: boolean;
  /** Words that must all occur in the answers' text (case and diacritics do not matter). */
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface InterviewRow {
  id: string;
  wave: string;
  city: string | null;
  /** Role category id. */
  role: string | null;
  status: ResponseStatus;
  language: string;
  channel: string;
  startedAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** Questions answered (skips excluded). */
  answered: number;
  /** The lowest confidence among categorised answers; null when none. */
  lowestConfidence: number | null;
  /** Answers the normaliser coded below the threshold and staff have not recoded. */
  lowConfidenceAnswers: number;
  reviewed: boolean;
  /** Its city has several submissions in this wave. */
  duplicateCity: boolean;
  /** Counts in the wave's results (one submission per city). */
  counted: boolean;
  /** Why it does or does not count (see reports/counting). */
  countReason: CountFlag['reason'];
}

export interface InterviewPage {
  rows: InterviewRow[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** Lower-case without diacritics, so "Jyvaskyla" finds "Jyväskylä". */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** True for an answer with text a person typed or chose, coded into categories. */
function isCoded(answer: Answer | undefined, categorised: Set<string>): answer is Answer {
  return answer !== undefined && !answer.skipped && categorised.has(answer.question);
}

/** Answers the bot coded from free text below `threshold` (and staff did not recode yet). */
export function lowConfidenceAnswers(r: SurveyResponse, q: Questionnaire, threshold: number): Answer[] {
  const categorised = categorisedQuestions(q);
  return Object.values(r.answers).filter(
    (a): a is Answer => isCoded(a, categorised) && a.source === 'normaliser' && a.confidence < threshold,
  );
}

/** Question ids whose answers carry categories (single, multi, municipality). */
export function categorisedQuestions(q: Questionnaire): Set<string> {
  return new Set(q.questions.filter((x) => x.type !== 'text').map((x) => x.id));
}

/** One list row per response; `flags` comes from the wave's `selectCounted`. */
export function toRow(r: SurveyResponse, q: Questionnaire, flags: Map<string, CountFlag>, duplicates: Set<string>, threshold: number): InterviewRow {
  const categorised = categorisedQuestions(q);
  const answers = Object.values(r.answers).filter((a): a is Answer => a !== undefined);
  const coded = answers.filter((a) => isCoded(a, categorised));
  const flag = flags.get(r.id);
  const city = r.status === 'withdrawn' ? undefined : cityOf(r);
  return {
    id: r.id,
    wave: r.wave,
    city: city ?? null,
    role: r.status === 'withdrawn' ? null : (r.answers.role?.categories[0] ?? null),
    status: r.status,
    language: r.language,
    channel: r.respondent.channel,
    startedAt: r.startedAt,
    updatedAt: r.updatedAt,
    submittedAt: r.submittedAt ?? null,
    answered: answers.filter((a) => !a.skipped).length,
    lowestConfidence: coded.length ? Math.min(...coded.map((a) => a.confidence)) : null,
    lowConfidenceAnswers: lowConfidenceAnswers(r, q, threshold).length,
    reviewed: r.review?.reviewed === true,
    duplicateCity: city !== undefined && duplicates.has(`${r.wave}\u0000${city}`),
    counted: flag?.counted ?? false,
    countReason: flag?.reason ?? 'not_submitted',
  };
}

function matches(r: SurveyResponse, row: InterviewRow, f: InterviewFilter, words: string[]): boolean {
  if (f.wave && r.wave !== f.wave) return false;
  if (f.status && r.status !== f.status) return false;
  if (f.city && !(row.city !== null && fold(row.city).includes(fold(f.city.trim())))) return false;
  if (f.category) {
    const answers = f.question ? [r.answers[f.question as keyof SurveyResponse['answers']]] : Object.values(r.answers);
    if (!answers.some((a) => a !== undefined && a.categories.includes(f.category!))) return false;
  } else if (f.question && r.answers[f.question as keyof SurveyResponse['answers']] === undefined) {
    return false;
  }
  if (f.lowConfidence && row.lowConfidenceAnswers === 0) return false;
  if (f.unreviewed && (row.reviewed || r.status === 'withdrawn')) return false;
  if (words.length) {
    const text = fold(Object.values(r.answers).map((a) => a?.raw ?? '').join('\n'));
    if (!words.every((w) => text.includes(w))) return false;
  }
  return true;
}

/** Filters, sorts (latest activity first) and pages the responses. */
export function listInterviews(
  responses: readonly SurveyResponse[],
  questionnaire: Questionnaire,
  filter: InterviewFilter,
  threshold = DEFAULT_LOW_CONFIDENCE,
): InterviewPage {
  // Counting is per wave: one submission per city and wave.
  const byWave = new Map<string, SurveyResponse[]>();
  for (const r of responses) byWave.set(r.wave, [...(byWave.get(r.wave) ?? []), r]);
  const flags = new Map<string, CountFlag>();
  const duplicates = new Set<string>();
  for (const [wave, list] of byWave) {
    const result = selectCounted(list);
    for (const [id, flag] of result.flags) flags.set(id, flag);
    for (const d of result.summary.duplicates) duplicates.add(`${wave}\u0000${d.city}`);
  }
  const words = fold(filter.q ?? '').split(/\s+/).filter(Boolean);
  const rows = responses
    .map((r) => ({ r, row: toRow(r, questionnaire, flags, duplicates, threshold) }))
    .filter(({ r, row }) => matches(r, row, filter, words))
    .map(({ row }) => row)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, filter.pageSize ?? DEFAULT_PAGE_SIZE));
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const page = Math.min(pages, Math.max(1, filter.page ?? 1));
  return { rows: rows.slice((page - 1) * pageSize, page * pageSize), total: rows.length, page, pageSize, pages };
}
