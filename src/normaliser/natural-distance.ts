/**
 * natural's string distances, imported from their submodule: `import natural from 'natural'`
 * would load its storage backends, which call dotenv and print banners on stdout.
 */
import distance from 'natural/lib/natural/distance/index.js';

/** Jaro-Winkler similarity 0..1 (1 = equal); cheap, so it pre-filters fuzzy candidates. */
export const jaroWinkler: (a: string, b: string) => number = (a, b) => distance.JaroWinklerDistance(a, b);

/** Damerau-Levenshtein edit distance (a transposition counts 1: "Tamprere" → "Tampere" is 1). */
export const damerauLevenshtein: (a: string, b: string) => number = (a, b) =>
  distance.DamerauLevenshteinDistance(a, b, { restricted: true });
