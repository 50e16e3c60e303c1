/** Types for `snowball-stemmers` (the package ships none). */
declare module 'snowball-stemmers' {
  export interface SnowballStemmer {
    stem(word: string): string;
  }
  export function newStemmer(algorithm: string): SnowballStemmer;
  export function algorithms(): string[];
  const api: { newStemmer: typeof newStemmer; algorithms: typeof algorithms };
  export default api;
}
