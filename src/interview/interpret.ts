/**
 * Turns one free-text (or button) answer into categories. Exact picks — an option's number, its
 * label in either language, its id — are the respondent's own choice (confidence 1); anything
 * else goes through the normaliser, whose confidence decides whether the bot reflects the reading
 * back or asks the respondent to pick.
 */
import type { AnswerSource, Lang, Normaliser, Question } from '../core/types.js';
import { recogniseYesNo } from './commands.js';
import { labelIndex } from './labels.js';
import { fold } from './text.js';

/** Below this confidence the respondent is asked to pick rather than told what was noted. */
export const PICK_THRESHOLD = 0.6;

export type Interpretation =
  | { kind: 'answer'; categories: string[]; confidence: number; source: AnswerSource; lang: Lang; dontKnow?: boolean }
  | { kind: 'pick'; candidates: string[]; lang: Lang; proposed: string[]; confidence: number; unplaced?: boolean }
  /** Option numbers, but not of this question's options ("12" of ten, "0", two for a single choice). */
  | { kind: 'badNumbers'; lang: Lang; options: number; single: boolean }
  | { kind: 'unrecognised'; lang: Lang };

/** One option number or a range of them ("2", "1-3", "1–3"). */
const NUMBER_ITEM = String.raw`\d{1,2}\s*\.?(?:\s*[-–]\s*\d{1,2}\s*\.?)?`;
const NUMBER_LIST = new RegExp(String.raw`^\s*${NUMBER_ITEM}(\s*(,|;|&|\+|\/|ja|and|sekä|seka)?\s*${NUMBER_ITEM})*\s*$`, 'iu');

/** The numbers a number list names, ranges spelt out ("1-3, 5" → 1, 2, 3, 5); undefined if not such a list. */
function listedNumbers(text: string): number[] | undefined {
  if (!NUMBER_LIST.test(text)) return undefined;
  const numbers: number[] = [];
  for (const m of text.matchAll(/(\d{1,2})(?:\s*\.?\s*[-–]\s*(\d{1,2}))?/g)) {
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    // "5-3" is read as 3 to 5; the ends are checked against the options like any number.
    for (let n = Math.min(a, b); n <= Math.max(a, b); n++) numbers.push(n);
  }
  return numbers;
}

/** Option numbers ("2", "1, 4 ja 6", "1-3") → category ids, or undefined when the text is not such a list. */
export function pickByNumbers(question: Question, text: string): string[] | undefined {
  const categories = question.categories ?? [];
  const numbers = categories.length ? listedNumbers(text) : undefined;
  if (numbers === undefined) return undefined;
  if (numbers.some((n) => n < 1 || n > categories.length)) return undefined;
  if (question.type === 'single' && new Set(numbers).size !== 1) return undefined;
  return [...new Set(numbers.map((n) => categories[n - 1]!))];
}

/** Options every answer of "all of them" leaves out: the catch-all and a "no effect". */
const NOT_IN_ALL = new Set(['other', 'no_impact']);
const ALL_WORDS = new Set(['kaikki', 'kaikki vaihtoehdot', 'kaikki naista', 'kaikki edella mainitut', 'all', 'all of them', 'all of the above', 'everything', 'every one', 'all options']);

/** "Kaikki" / "all of them" on a multi-choice question: every real option. */
function pickAll(question: Question, text: string): string[] | undefined {
  if (question.type !== 'multi' || !ALL_WORDS.has(fold(text))) return undefined;
  return (question.categories ?? []).filter((c) => !NOT_IN_ALL.has(c));
}

/** Exact labels or ids, alone or as a list ("Rahoitus, Tietoturva ja tietosuoja"). */
export function pickByLabels(question: Question, text: string): string[] | undefined {
  const index = labelIndex(question);
  const whole = index.get(fold(text));
  if (whole) return [whole];
  if (question.type !== 'multi') return undefined;
  const parts = text.split(/\s*(?:[,;\n]|\s(?:ja|and|sekä)\s)\s*/iu).filter((p) => p.trim());
  if (parts.length < 2) return undefined;
  const found = parts.map((p) => index.get(fold(p)));
  if (found.some((f) => !f)) return undefined;
  return [...new Set(found as string[])];
}

/** A pick never lists the `other` option: its "something else" button is that choice already. */
const notOther = (category: string): boolean => category !== 'other';

/** Interprets an answer to a categorised question. `lang` is the interface language. */
export function interpret(question: Question, text: string, lang: Lang, normaliser: Normaliser): Interpretation {
  // Only pictures (emoji, punctuation): nothing to read, unless it is a shrug or a lone "?"/"-".
  if (!/[\p{L}\p{N}]/u.test(text) && !/^\s*(?:\?+|-+|–|🤷\S*)\s*$/u.test(text)) return { kind: 'unrecognised', lang };
  const exact = pickByNumbers(question, text) ?? pickByLabels(question, text) ?? pickAll(question, text);
  if (exact) return { kind: 'answer', categories: exact, confidence: 1, source: 'respondent', lang };
  // Numbers, but not of these options: say so rather than read "12" as words.
  if (question.categories?.length && listedNumbers(text) !== undefined) {
    return { kind: 'badNumbers', lang, options: question.categories.length, single: question.type === 'single' };
  }

  const result = normaliser.normalise({ question: question.id, text, lang });
  // No decline in the words, they just fit no category ("banaani"): ask, offering "don't know" too,
  // rather than note a don't-know the respondent never said.
  // A bare "no" / "ei" to a single-choice question ("Is digitalisation a main goal?" — "no") is
  // an answer, just not one option: ask which, rather than note a don't-know.
  const bareNo = question.type === 'single' && recogniseYesNo(text) === false;
  if (result.dontKnow && (result.unplaced || bareNo) && result.candidates?.length) {
    // A single-choice question's few options are all offered: the scores of an answer that fits
    // none of them say little about which one the respondent meant.
    const options = result.candidates.map((c) => c.id).filter(notOther);
    // After a "no", the likeliest few (the model ranks the negative options first).
    const candidates = question.type === 'single' && !bareNo ? (question.categories ?? []).filter(notOther) : options.slice(0, 3);
    return { kind: 'pick', candidates, lang: result.lang, proposed: [], confidence: result.confidence, unplaced: true };
  }
  if (result.dontKnow) {
    return { kind: 'answer', categories: [], confidence: result.confidence, source: 'normaliser', lang: result.lang, dontKnow: true };
  }
  if (result.categories.length && result.confidence >= PICK_THRESHOLD) {
    return { kind: 'answer', categories: result.categories, confidence: result.confidence, source: 'normaliser', lang: result.lang };
  }
  const ranked = [...(result.candidates ?? []).map((c) => c.id), ...result.categories].filter(notOther);
  const candidates = [...new Set(ranked)].slice(0, question.type === 'municipality' ? 4 : 3);
  if (candidates.length) {
    return { kind: 'pick', candidates, lang: result.lang, proposed: result.categories, confidence: result.confidence };
  }
  return { kind: 'unrecognised', lang: result.lang };
}
