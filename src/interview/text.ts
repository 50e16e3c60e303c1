/** Small text helpers shared by command and answer recognition. */

/** Lower-cases, folds diacritics (ä→a, ö→o, å→a), keeps letters/digits, collapses spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Makes channel text safe to keep: drops NUL and lone surrogates (which JSON and some stores
 * reject) while keeping emoji and every real character.
 */
export function sanitizeText(text: string): string {
  // toWellFormed() replaces lone surrogates with U+FFFD (Node 20+).
  const wellFormed = typeof (text as any).toWellFormed === 'function' ? (text as any).toWellFormed() : text;
  return (wellFormed as string).replace(/\u0000/g, '');
}

/** Shortens text for echoing back in a reply (answers are always stored whole). */
export function ellipsize(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
