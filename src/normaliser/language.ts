/**
 * Which language an answer is written in, whatever the interface language. Function words
 * decide most answers; letters (ä, ö, double vowels, "th", "w") decide short ones; a one-word
 * answer that gives no sign ("Espoo", "pass"?) falls back to the hint.
 */
import type { Lang } from '../core/types.js';
import { tokenize } from './text.js';

const FI_WORDS = new Set(
  ('ja on ei se että mutta kun niin myös meillä meidän olla ole oli ovat ollut jo vielä tai sekä kanssa mitä joka jotka mikä ' +
    'tämä tässä nyt kaikki vain kyllä ollaan siitä sitä sen jos vaan kuin ihan aika lähinnä koska olemme olen eikä eivät emme ' +
    'en tiedä osaa sanoa vaikea kaupunki kaupungin kunta kunnan meille meitä hyvin paljon vähän juuri mitään mikään jotain ' +
    'kaikki eri oma omat uusi uudet liian todella ehkä varmaan siis eli esim noin tällä hetkellä vielä enää aina koko osa ' +
    // Greetings: a first message is often nothing else.
    'hei moi moikka terve heippa moro huomenta päivää iltaa tervehdys').split(' '),
);
const EN_WORDS = new Set(
  ('the and is are was were of to in for with by from as it its this that these those we our us i my me you they their there ' +
    'have has had will would can could should not but or be been being do does did what which who how when where than then ' +
    'very just also some any all no yes don know sure idea pass skip city town our own new more most much many other about ' +
    'into over because so too only still yet already really quite rather lot lots of ' +
    'hi hello hey morning afternoon evening greetings').split(' '),
);

/** Letters and endings typical of one language: cheap evidence for one-word answers. */
function letterScore(token: string): number {
  let score = 0;
  if (/[äö]/.test(token)) score += 2;
  if (/(aa|ee|ii|oo|uu|yy|ää|öö|ie|uo|yö)/.test(token)) score += 0.5;
  if (/(ssa|ssä|sta|stä|lla|llä|lta|ltä|ksi|nen|isen|ista|istä|uksen|minen|kin|aan|ään|taan|tään)$/.test(token)) score += 1;
  if (/[aeiouyäö]$/.test(token) && token.length > 3) score += 0.3;
  if (/(th|w|sh|ch|x|q|c)/.test(token)) score -= 1;
  if (/(ing|ings|tion|tions|ions|ed|ly|ness|ment|ments|ous|ful|ity|ies)$/.test(token)) score -= 1;
  if (/[^aeiouyäös]s$/.test(token)) score -= 0.5; // English plurals: systems, budgets
  if (/[bcdfgpqwxz]$/.test(token)) score -= 0.5;
  return score;
}

/** A score above 0 means Finnish, below 0 English. */
export function languageScore(text: string): number {
  let score = 0;
  for (const token of tokenize(text)) {
    if (FI_WORDS.has(token)) score += 2;
    else if (EN_WORDS.has(token)) score -= 2;
    else score += letterScore(token);
  }
  return score;
}

/**
 * Detects fi or en. `hint` (the interface language) decides when the text gives no sign;
 * without a hint an unclear answer counts as Finnish, the survey's main language.
 */
export function detectLanguage(text: string, hint?: Lang): Lang {
  const score = languageScore(text);
  if (score > 0.4) return 'fi';
  if (score < -0.4) return 'en';
  return hint ?? 'fi';
}

/**
 * The language a first message is clearly written in, or undefined: `margin` is how much evidence
 * it needs (2: one function word or greeting, or an ä/ö; more when it would overrule what the
 * channel says the respondent's locale is).
 */
export function clearLanguage(text: string, margin: number): Lang | undefined {
  const score = languageScore(text);
  if (score >= margin) return 'fi';
  if (score <= -margin) return 'en';
  return undefined;
}
