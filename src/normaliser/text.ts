/**
 * Text primitives shared by every part of the normaliser: Unicode-aware tokens and
 * diacritic folding. natural's default tokenizers split "päivä" into `p`, `iv`; these never do.
 */

/** Letters and digits of any script: one token per run. */
const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lower-cases and composes (NFC), so "a" + U+0308 and "ä" are the same letter. */
export function lower(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * Removes diacritics after lower-casing: ä→a, ö→o, å→a, é→e. Answers typed on a keyboard
 * without Finnish letters ("Jyvaskyla", "maararahat") then meet the lexicon half-way.
 */
export function fold(text: string): string {
  // Fast path: plain ASCII has nothing to fold (most tokens; fold runs on every one).
  if (ASCII.test(text)) return text.toLowerCase();
  return lower(text).normalize('NFD').replace(/\p{M}+/gu, '');
}

const ASCII = /^[\x00-\x7f]*$/;

/** Lower-case tokens of a text, Unicode-aware ("Järjestelmä-integraatiot" → järjestelmä, integraatiot). */
export function tokenize(text: string): string[] {
  return lower(expandContractions(text)).match(TOKEN) ?? [];
}

/** A token with its position in the original text (for clause and negation scope). */
export interface Token {
  /** The token as written. */
  raw: string;
  /** Lower-cased token. */
  text: string;
  /** Folded token (no diacritics). */
  folded: string;
  /** Whether the token began with a capital letter in the answer. */
  capital: boolean;
  start: number;
  end: number;
}

/** The text the tokens' offsets refer to: NFC with contractions expanded ("isn't" → "is not"). */
export function prepareText(text: string): string {
  return expandContractions(text.normalize('NFC'));
}

/** Tokens of `prepareText(text)` with offsets into it and capitalisation. */
export function tokenizeWithOffsets(text: string): Token[] {
  const source = prepareText(text);
  const tokens: Token[] = [];
  for (const m of source.matchAll(TOKEN)) {
    const raw = m[0];
    const start = m.index ?? 0;
    const low = raw.toLowerCase();
    tokens.push({ raw, text: low, folded: fold(low), capital: raw[0] !== low[0], start, end: start + raw.length });
  }
  return tokens;
}

/**
 * "isn't" → "is not", "can't" → "can not", "won't" → "will not": negation becomes a token
 * of its own, so the negation scope sees it. Typographic apostrophes count too.
 */
export function expandContractions(text: string): string {
  return text
    .replace(/\bwon[’']t\b/gi, 'will not')
    .replace(/\bcan[’']t\b/gi, 'can not')
    .replace(/n[’']t\b/gi, ' not');
}

/**
 * True when `a` and `b` are at most one edit apart (insertion, deletion, substitution or a swap
 * of neighbours: the Damerau-Levenshtein distance ≤ 1), in one linear pass. The typo pass of
 * the cue lexicon calls this for every unmatched word, where a full distance would be too slow.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
