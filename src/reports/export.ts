/**
 * Exporting a wave's responses for analysts: CSV (one row per response; per question the raw
 * text and the category ids) or JSON (the stored responses). Every response is included, whatever
 * its status; columns say which one counts for its city and why the others do not.
 */
import { questionnaire as projectQuestionnaire } from '../core/questionnaire.js';
import type { Questionnaire, SurveyResponse } from '../core/types.js';
import { toCsvText, type CsvDelimiter } from './csv.js';
import { cityOf, selectCounted, type CountFlag } from './counting.js';

export type ExportFormat = 'csv' | 'json';

export interface ExportOptions {
  /** Defines the question columns (default: data/questionnaire.json). */
  questionnaire?: Questionnaire;
  delimiter?: CsvDelimiter;
}

/**
 * A response in the JSON export: the stored record without the channel's user and conversation
 * ids (pseudonymous personal data the analysis does not need; the CSV has none either), plus the
 * channel it came from and how it was counted.
 */
export type ExportedResponse = Omit<SurveyResponse, 'respondent' | 'conversations'> & { channel: string; counting: CountFlag };

function forExport(response: SurveyResponse, counting: CountFlag): ExportedResponse {
  const { respondent, conversations: _conversations, ...rest } = response;
  return { ...rest, channel: respondent.channel, counting };
}

/** The fixed columns of the CSV export, before two columns per question. */
export const EXPORT_FIXED_COLUMNS = [
  'response_id',
  'wave',
  'city',
  'role',
  'status',
  'counted',
  'count_note',
  'language',
  'questionnaire_version',
  'started_at',
  'submitted_at',
  'amended_at',
  'withdrawn_at',
  'updated_at',
] as const;

/** Every column of the CSV export for a questionnaire. */
export function exportColumns(q: Questionnaire): string[] {
  return [
    ...EXPORT_FIXED_COLUMNS,
    ...q.questions.flatMap((x) => (x.type === 'text' ? [`${x.id}_raw`] : [`${x.id}_raw`, `${x.id}_categories`])),
  ];
}

function countNote(flag: CountFlag): string {
  switch (flag.reason) {
    case 'superseded':
      return `superseded by ${flag.countedId}`;
    case 'counted':
      return flag.by === 'staff' ? 'counted (chosen by staff)' : flag.by === 'latest' ? 'counted (latest of several)' : 'counted';
    default:
      return flag.reason;
  }
}

function sortKey(r: SurveyResponse): string {
  return `${cityOf(r) ?? '\uffff'}\u0000${r.submittedAt ?? r.updatedAt}`;
}

/**
 * The responses of a wave as CSV (UTF-8 with BOM, formulas neutralised) or JSON (an array of
 * the responses without channel ids, each with `channel` and `counting`). Rows are sorted by city, then by time.
 */
export function exportResponses(responses: readonly SurveyResponse[], format: ExportFormat, options: ExportOptions = {}): string {
  const q = options.questionnaire ?? projectQuestionnaire();
  const { flags } = selectCounted(responses);
  const sorted = [...responses].sort((a, b) => sortKey(a).localeCompare(sortKey(b), 'fi'));
  if (format === 'json') {
    const records: ExportedResponse[] = sorted.map((r) => forExport(r, flags.get(r.id)!));
    return `${JSON.stringify(records, null, 2)}\n`;
  }
  const rows = sorted.map((r) => {
    const flag = flags.get(r.id)!;
    return [
      r.id,
      r.wave,
      cityOf(r),
      r.answers.role?.categories.join(';'),
      r.status,
      flag.counted,
      countNote(flag),
      r.language,
      r.questionnaireVersion,
      r.startedAt,
      r.submittedAt,
      r.amendedAt,
      r.withdrawnAt,
      r.updatedAt,
      ...q.questions.flatMap((x) => {
        const a = r.answers[x.id];
        return x.type === 'text' ? [a?.raw] : [a?.raw, a?.categories.join(';')];
      }),
    ];
  });
  return toCsvText([exportColumns(q), ...rows], options.delimiter);
}
