/**
 * Stemmers in natural's shape (`stem` + `tokenizeAndStem`), so natural's classifiers can take
 * them (`new BayesClassifier(finnishStemmer)`). natural has no Finnish stemmer and its default
 * tokenizer breaks words at ä/ö; these use the Snowball stemmers and a Unicode-aware tokenizer.
 */
import snowball from 'snowball-stemmers';
import type { Lang } from '../core/types.js';
import { tokenize } from './text.js';

/** The part of natural's `Stemmer` interface its classifiers call. */
export interface NaturalStemmer {
  stem(token: string): string;
  tokenizeAndStem(text: string, keepStops?: boolean): string[];
}

/** Function words that carry no category (dropped unless `keepStops`). Negations are kept on purpose. */
const STOP_WORDS: Record<Lang, Set<string>> = {
  fi: new Set(
    ('ja on se että mutta kun niin myös meillä meidän me olla ole oli ovat ollut jo vielä tai sekä kanssa mitä joka jotka mikä ne ' +
      'tämä tässä nyt kaikki vain kyllä ollaan siitä sitä sen jos kuin ihan aika lähinnä koska olemme olen minä mä sekä tuo sitten ' +
      'että siis esim kuten noin hyvin paljon mm eli vaikka ehkä jne joita jota joiden josta jossa jolla niitä niiden näitä nämä ' +
      'sekin myöskin myös hän he te sinä me ne se tämän tähän tästä siellä täällä sinne meille meitä meistä meiltä').split(' '),
  ),
  en: new Set(
    ('the a an and or of to in on at for with by from as is are was were be been being it its this that these those we our us ' +
      'i my me you your they their them he she his her there here so very just also do does did have has had will would can could ' +
      'should may might which who whom what when where how than then into about over such some any each other more most own same ' +
      'too s t ll re ve d m').split(' '),
  ),
};

/** True for a function word of the language. */
export function isStopWord(token: string, lang: Lang): boolean {
  return STOP_WORDS[lang].has(token);
}

function makeStemmer(algorithm: 'finnish' | 'english', lang: Lang): NaturalStemmer {
  const snow = snowball.newStemmer(algorithm);
  const cache = new Map<string, string>();
  const stem = (token: string): string => {
    let s = cache.get(token);
    if (s === undefined) {
      s = snow.stem(token.toLowerCase());
      // The cache only grows with the vocabulary actually seen; cap it so a flood of junk cannot grow it forever.
      if (cache.size < 200_000) cache.set(token, s);
    }
    return s;
  };
  return {
    stem,
    tokenizeAndStem(text: string, keepStops = false): string[] {
      return tokenize(text)
        .filter((t) => keepStops || !STOP_WORDS[lang].has(t))
        .map(stem);
    },
  };
}

/** Snowball Finnish in natural's stemmer shape. */
export const finnishStemmer: NaturalStemmer = makeStemmer('finnish', 'fi');
/** Snowball English in natural's stemmer shape. */
export const englishStemmer: NaturalStemmer = makeStemmer('english', 'en');

/** The stemmer of a language. */
export function stemmerFor(lang: Lang): NaturalStemmer {
  return lang === 'fi' ? finnishStemmer : englishStemmer;
}
