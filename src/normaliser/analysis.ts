/**
 * One answer, analysed once: tokens, language, clauses and negation, cue hits. Every later
 * step (features, decisions, don't-know) reads this instead of re-tokenising.
 */
import type { Lang } from '../core/types.js';
import type { CueHit, CueLexicon } from './cues.js';
import { detectLanguage } from './language.js';
import { markClauses, type ClauseMarks } from './negation.js';
import { prepareText, tokenizeWithOffsets, type Token } from './text.js';

/** How negation suppresses a cue of a category (see `negation.ts`). */
export type NegationMode = 'problem' | 'plain';

/** The negation mode of each category of a question. */
export type NegationModes = (category: string) => NegationMode;

export interface CueEvidence extends CueHit {
  /** True when the hit's clause negates it (and the cue is not itself a negation). */
  negated: boolean;
}

export interface Analysis {
  text: string;
  tokens: Token[];
  lang: Lang;
  clauses: ClauseMarks;
  cues: CueEvidence[];
}

/**
 * Analyses an answer for one question's lexicon. `typos`: words no cue matched get the
 * lexicon's typo-tolerant pass (on answers; training answers are matched as written, so their
 * misspellings teach the model's own features).
 */
export function analyse(
  text: string,
  lexicon: CueLexicon | undefined,
  modeOf: NegationModes,
  hint?: Lang,
  options: { typos?: boolean } = {},
): Analysis {
  const prepared = prepareText(text);
  const tokens = tokenizeWithOffsets(text);
  const clauses = markClauses(tokens, prepared);
  const lang = detectLanguage(text, hint);
  const cues = (lexicon?.match(tokens, options.typos === true) ?? []).map((hit) => {
    const clause = clauses.clauseOf[hit.token] ?? 0;
    const scope = modeOf(hit.category) === 'problem' ? clauses.notAProblem : clauses.negated;
    return { ...hit, negated: !hit.negationContent && scope[clause] === true };
  });
  return { text, tokens, lang, clauses, cues };
}

/** Words that join the items of a list answer ("A, B ja C"). */
const COORDINATORS = new Set('ja seka tai eika and or plus also myos'.split(' '));

/**
 * The items of a list answer as analyses of their own ("Resurssien allokointi, muutosvastarinta
 * ja tietoturva" → three), cut at clause boundaries and coordinating words. A multi-label
 * question scores each item too, so one item's words cannot drown another's category.
 * Returns [] when the answer is a single item.
 */
export function listItems(a: Analysis): Analysis[] {
  const items: Analysis[] = [];
  const close = (from: number, to: number): void => {
    if (to <= from) return;
    items.push({
      ...a,
      tokens: a.tokens.slice(from, to),
      clauses: { ...a.clauses, clauseOf: a.clauses.clauseOf.slice(from, to) },
      cues: a.cues.filter((c) => c.token >= from && c.token < to).map((c) => ({ ...c, token: c.token - from })),
    });
  };
  let start = 0;
  a.tokens.forEach((t, i) => {
    if (COORDINATORS.has(t.folded)) {
      close(start, i);
      start = i + 1;
    } else if (i > start && a.clauses.clauseOf[i] !== a.clauses.clauseOf[i - 1]) {
      close(start, i);
      start = i;
    }
  });
  close(start, a.tokens.length);
  return items.length > 1 ? items : [];
}
