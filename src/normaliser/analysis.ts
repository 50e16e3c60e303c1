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
  /**
   * Tokens of modifier cues that only describe another category's thing ("kalliit integraatiot",
   * "slow suppliers"): no cue hit, and their words do not vote either (features.ts).
   */
  muted: Set<number>;
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
  const all = (lexicon?.match(tokens, options.typos === true) ?? []).map((hit) => {
    const clause = clauses.clauseOf[hit.token] ?? 0;
    const scope = modeOf(hit.category) === 'problem' ? clauses.notAProblem : clauses.negated;
    return { ...hit, negated: !hit.negationContent && scope[clause] === true };
  });
  const muted = new Set<number>();
  const cues = all.filter((hit) => {
    if (!hit.modifier) return true;
    const clause = clauses.clauseOf[hit.token];
    // "Integraatioiden hinta", "expensive, slow integrations": the cost or the pace is the
    // integrations', not a funding or agility problem of its own (data/training/README.md).
    const describes = all.some((o) => !o.modifier && !o.negated && o.category !== hit.category && clauses.clauseOf[o.token] === clause);
    if (describes) muted.add(hit.token);
    return !describes;
  });
  return { text, tokens, lang, clauses, cues, muted };
}

/** Words that join the items of a list answer ("A, B ja C"). */
const COORDINATORS = new Set('ja seka tai eika and or plus also myos'.split(' '));

/**
 * The items of a list answer as analyses of their own ("Resurssien allokointi, muutosvastarinta
 * ja tietoturva" → three), cut at clause boundaries and coordinating words. A multi-label
 * question scores each item too, so one item's words cannot drown another's category.
 * Returns [] when the answer is a single item.
 *
 * The cut already falls at every clause boundary (sentence ends, commas, "mutta", "but"), so
 * "X on vaikeaa. Lisäksi Y…" and "X, mutta myös Y" are items too. Measured and NOT kept (mean of
 * seeds 7-16): whole sentences, or whole clauses without the cut at coordinators, scored as
 * extra items beside these: every held-out and dev figure stayed the same to the digit (multi F1
 * fi 90.75 / en 89.62): a longer span's cue or sure score never beat its own clause's. Nor did
 * "että" and "kuin" as coordinators ("sekä X että Y", "niin X kuin Y"): no held-out or dev figure
 * moved, CV exact fi −0.02.
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
      muted: new Set([...a.muted].filter((t) => t >= from && t < to).map((t) => t - from)),
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
