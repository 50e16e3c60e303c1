/** The comparison as data: CSV (one row per question and category) and JSON (with labels). */
import type { Lang } from '../core/types.js';
import { toCsvText, type CsvDelimiter } from './csv.js';
import { round } from './format.js';
import { categoryLabel, labelsFor, questionLabel } from './labels.js';
import type { Cell, Comparison } from './types.js';

/** Columns of the comparison CSV (ids, so scripts need not parse labels). */
export const COMPARISON_CSV_COLUMNS = [
  'question',
  'question_label',
  'type',
  'category',
  'category_label',
  'base_wave',
  'base_n',
  'base_count',
  'base_share_pct',
  'base_status',
  'target_wave',
  'target_n',
  'target_count',
  'target_share_pct',
  'target_status',
  'change_pp',
  'low_n',
] as const;

/** `known`, `unknown` (a baseline did not publish it) or `no_data` (nobody answered). */
function status(cell: Cell): 'known' | 'unknown' | 'no_data' {
  if (cell.unknown) return 'unknown';
  return cell.share === null && cell.count !== null ? 'no_data' : 'known';
}

const pct = (share: number | null) => (share === null ? null : round(share * 100, 2));

/** CSV for a spreadsheet: unknown and missing figures are empty cells with a status column. */
export function toCsv(c: Comparison, lang: Lang, delimiter: CsvDelimiter = ','): string {
  const rows = c.questions.flatMap((q) =>
    q.categories.map((r) => [
      q.question,
      questionLabel(q.question, lang),
      q.type,
      r.category,
      categoryLabel(q.question, r.category, lang),
      c.base.id,
      q.base.n,
      r.base.count,
      pct(r.base.share),
      status(r.base),
      c.target.id,
      q.target.n,
      r.target.count,
      pct(r.target.share),
      status(r.target),
      r.changePp === null ? null : round(r.changePp, 2),
      q.base.lowN || q.target.lowN,
    ]),
  );
  return toCsvText([[...COMPARISON_CSV_COLUMNS], ...rows], delimiter);
}

/** The comparison with the labels of `lang` (what `GET /api/compare` returns). */
export function comparisonWithLabels(c: Comparison, lang: Lang): Comparison & { lang: Lang; labels: ReturnType<typeof labelsFor> } {
  return { ...c, lang, labels: labelsFor(c.questions, lang) };
}

/** Pretty-printed JSON of `comparisonWithLabels`. */
export function toJson(c: Comparison, lang: Lang): string {
  return `${JSON.stringify(comparisonWithLabels(c, lang), null, 2)}\n`;
}
