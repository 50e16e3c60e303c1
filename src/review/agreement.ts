/**
 * How often staff kept the normaliser's categories: the normaliser's real accuracy on the
 * answers staff checked.
 *
 * What is measured, per question:
 * - The answers: free-text answers the normaliser coded (source `normaliser` before any staff
 *   change; skipped answers excluded) that staff checked, i.e. the interview is marked reviewed
 *   or staff recoded the answer. Answers the respondent coded (a button, a pick) are not the
 *   normaliser's work and are left out.
 * - The bot's coding is the categories before the first staff recode (or the current ones when
 *   staff kept them); staff's coding is the current categories.
 * - `agreement`: the share of answers where the two are exactly the same set of categories.
 * - `kappa` (Cohen's κ, chance-corrected agreement):
 *   single questions: over the answers, the bot's category vs staff's (nominal; "no category"
 *   is a value of its own);
 *   multi questions: over every (answer, category of the question) pair, the bot's yes/no vs
 *   staff's yes/no (so `decisions` = answers × categories), i.e. how well the normaliser decides
 *   each category on its own.
 * - `null` when n < `minN` (too few to say anything) or when κ is undefined (both coders always
 *   chose the same single value, so chance agreement is 1).
 */
import type { Answer, Questionnaire, SurveyResponse } from '../core/types.js';
import type { StaffRecodeEntry } from './actions.js';

/** Below this many checked answers, agreement and κ are not reported. */
export const MIN_AGREEMENT_N = 5;

export interface QuestionAgreement {
  question: string;
  type: 'single' | 'multi';
  /** Normaliser-coded answers staff checked. */
  n: number;
  /** Of those, where staff kept the categories. */
  kept: number;
  /** kept / n; null when n < minN. */
  agreement: number | null;
  kappa: number | null;
  /** Units κ is computed over: n for single, n × categories for multi. */
  decisions: number;
}

export interface AgreementReport {
  minN: number;
  questions: QuestionAgreement[];
  /** All questions together: answers and kept answers (agreement null when n < minN). */
  overall: { n: number; kept: number; agreement: number | null };
}

/** The bot's categories and source before staff touched the answer. */
function original(answer: Answer): { categories: string[]; source: string } {
  const first = answer.recodes?.[0] as Partial<StaffRecodeEntry> | undefined;
  if (!first) return { categories: answer.categories, source: answer.source };
  // Entries written before `fromSource` existed: the kept normaliser proposal tells.
  const source =
    first.fromSource ??
    (answer.normaliser && sameSet(answer.normaliser.categories, first.from ?? []) ? 'normaliser' : 'unknown');
  return { categories: first.from ?? [], source };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Cohen's κ for paired nominal labels; null when undefined (chance agreement 1) or no pairs. */
export function cohensKappa(pairs: readonly (readonly [string, string])[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let observed = 0;
  for (const [x, y] of pairs) {
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
    if (x === y) observed += 1;
  }
  const po = observed / n;
  let pe = 0;
  for (const [label, count] of a) pe += (count / n) * ((b.get(label) ?? 0) / n);
  if (pe >= 1) return null;
  return (po - pe) / (1 - pe);
}

const NONE = '\u0000none';

/** The agreement report over `responses` (typically one wave's). */
export function agreementReport(responses: readonly SurveyResponse[], questionnaire: Questionnaire, minN = MIN_AGREEMENT_N): AgreementReport {
  const questions: QuestionAgreement[] = [];
  let allN = 0;
  let allKept = 0;
  for (const question of questionnaire.questions) {
    if (question.type !== 'single' && question.type !== 'multi') continue;
    const pairs: [string[], string[]][] = [];
    for (const r of responses) {
      if (r.status === 'withdrawn') continue;
      const answer = r.answers[question.id];
      if (!answer || answer.skipped) continue;
      const checked = r.review?.reviewed === true || (answer.recodes?.length ?? 0) > 0;
      if (!checked) continue;
      const bot = original(answer);
      if (bot.source !== 'normaliser') continue;
      pairs.push([bot.categories, answer.categories]);
    }
    const n = pairs.length;
    const kept = pairs.filter(([x, y]) => sameSet(x, y)).length;
    let decisions: [string, string][];
    if (question.type === 'single') {
      decisions = pairs.map(([x, y]) => [x[0] ?? NONE, y[0] ?? NONE]);
    } else {
      const categories = [...new Set([...(question.categories ?? []), ...pairs.flatMap(([x, y]) => [...x, ...y])])];
      decisions = pairs.flatMap(([x, y]) => categories.map((c): [string, string] => [x.includes(c) ? 'yes' : 'no', y.includes(c) ? 'yes' : 'no']));
    }
    const enough = n >= minN;
    questions.push({
      question: question.id,
      type: question.type,
      n,
      kept,
      agreement: enough ? kept / n : null,
      kappa: enough ? cohensKappa(decisions) : null,
      decisions: decisions.length,
    });
    allN += n;
    allKept += kept;
  }
  return { minN, questions, overall: { n: allN, kept: allKept, agreement: allN >= minN ? allKept / allN : null } };
}
