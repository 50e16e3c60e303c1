/**
 * Features of an answer for the learned models, as strings (the models map them to indices):
 * - `w:` stems (Snowball, the answer's language) and `p:` folded 5-letter prefixes, which catch
 *   inflection, missing ä/ö and words the stemmer leaves apart;
 * - `g:` character 4-grams of folded tokens, which catch compound parts and typos;
 * - `n:` stems inside a negated clause, and `neg` (single questions: "ei ole harkittu");
 * - `m:` stems of muted modifier words ("kalliit" in "kalliit integraatiot": see analysis.ts);
 * - `c:`/`x:` a category's cue hit outside / inside a negation, `q:` the cue itself, so a cue the
 *   training data disagrees with can be outweighed.
 *
 * The features are shared by both languages on purpose. Copies tied to the answer's language
 * (`en|c:funding` beside `c:funding`) were tried on the mean of seeds 7-11, on held-out and
 * cross-validation. Copies of cue hits, of all word features, of every feature, fully separate
 * features per language, and a language-only bias feature: none gained more than 0.1 point of
 * English multi-label micro-F1. Fully separate features lost 0.6 point in Finnish, because
 * cognates and shared 4-grams help both languages.
 */
import type { Analysis } from './analysis.js';
import { isStopWord, stemmerFor } from './stemmer.js';

/**
 * Which clauses' words stop counting as content for a multi-label question: in "osaaminen ei
 * ole ongelma" the word osaaminen must not vote for competence either, not just its cue.
 * `none` (single questions): negation is content there ("ei ole harkittu"), words keep counting.
 */
export type Scope = 'none' | 'negated' | 'notAProblem';

/** Lexical features shared by every question (no cue lexicon needed). */
export function textFeatures(a: Analysis, scope: Scope = 'none'): string[] {
  const out: string[] = [];
  const stemmer = stemmerFor(a.lang);
  const suppressed = scope === 'none' ? undefined : scope === 'negated' ? a.clauses.negated : a.clauses.notAProblem;
  let negatedAny = false;
  a.tokens.forEach((t, i) => {
    const clause = a.clauses.clauseOf[i] ?? 0;
    const negated = a.clauses.negated[clause] === true;
    negatedAny ||= negated;
    if (isStopWord(t.text, a.lang)) return;
    const stem = stemmer.stem(t.text);
    if (a.muted.has(i)) {
      out.push(`m:${stem}`);
      return;
    }
    if (suppressed?.[clause] === true) {
      out.push(`n:${stem}`);
      return;
    }
    out.push(`w:${stem}`);
    if (negated) out.push(`n:${stem}`);
    if (t.folded.length >= 5) out.push(`p:${t.folded.slice(0, 5)}`);
    const padded = `<${t.folded}>`;
    for (let k = 0; k + 4 <= padded.length; k++) out.push(`g:${padded.slice(k, k + 4)}`);
  });
  if (negatedAny) out.push('neg');
  const n = a.tokens.length;
  out.push(n <= 2 ? 'len:1-2' : n <= 6 ? 'len:3-6' : n <= 15 ? 'len:7-15' : 'len:16+');
  return out;
}

/** Cue-hit features of the question's lexicon. */
export function cueFeatures(a: Analysis): string[] {
  const out: string[] = [];
  for (const hit of a.cues) {
    if (hit.negated) {
      out.push(`x:${hit.category}`);
    } else {
      out.push(`c:${hit.category}`, `q:${hit.cue}`);
    }
  }
  return out;
}
