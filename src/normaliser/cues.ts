/**
 * The lexical cue layer: hand-written stems and phrases per category (`data/cues/<q>.json`,
 * syntax in `data/cues/README.md`) matched on an answer's tokens, including inside Finnish
 * compounds ("integraatio" in "järjestelmäintegraatioiden") and without diacritics.
 * Each hit knows whether it falls in a negated clause; the classifier gets the hits as features.
 */
import type { Lang } from '../core/types.js';
import { fold, withinOneEdit, type Token } from './text.js';

/** The JSON shape of `data/cues/<question>.json`. */
export interface CueFile {
  categories: Record<string, Partial<Record<Lang, string[]>>>;
}

type WordMode = 'prefix' | 'infix' | 'exact' | 'case';

interface CueWord {
  /** Folded word, or the literal capitals for `case`. */
  text: string;
  mode: WordMode;
}

interface Cue {
  /** Stable id for features: `<category>:<lang>:<cue as written>`. */
  id: string;
  category: string;
  words: CueWord[];
  /** The cue contains a negation ("ei ole harkittu"): never suppressed by negation scope. */
  negationContent: boolean;
  /** The cue is only function words ("=ei", "not at all"): it says no, but names nothing. */
  contentless: boolean;
  /** A modifier (`~kallis`, `~slow`): it names its category only when nothing else is named beside it. */
  modifier: boolean;
}

/** One cue found in an answer. */
export interface CueHit {
  cue: string;
  category: string;
  /** Token index where the hit starts (for the clause) and character span (for overlaps). */
  token: number;
  start: number;
  end: number;
  negationContent: boolean;
  contentless: boolean;
  /** See `Cue.modifier`: `analyse` drops the hit when its clause names another category. */
  modifier: boolean;
  /** Found by the typo-tolerant pass (weaker evidence). */
  fuzzy?: boolean;
}

const NEGATION_WORDS = new Set('ei eika en emme eivat eivatka not no never nothing none without'.split(' '));
/**
 * A cue made only of these says yes or no but names nothing (`contentless`): "ei", "ei ole",
 * "no", "kyllä" also start don't-know answers ("ei hajuakaan", "no idea"). "None", "ei
 * lainkaan", "nolla" are answers in themselves and stay content.
 */
const BARE_WORDS = new Set('ei en no not ole oo ollut is are was yes kylla joo juu nope'.split(' '));
/** Infix matching needs this many letters: shorter stems would fire inside unrelated words. */
const MIN_INFIX = 5;
/** Index key length: the first letters of a cue word. */
const KEY = 3;
/** Typo tolerance needs this many letters: one edit in a shorter word makes another word. */
const MIN_FUZZY = 6;

function parseWord(raw: string): CueWord {
  if (raw.startsWith('=')) return { text: fold(raw.slice(1)), mode: 'exact' };
  if (raw.startsWith('^')) return { text: fold(raw.slice(1)), mode: 'prefix' };
  if (raw.startsWith('*')) return { text: fold(raw.slice(1)), mode: 'infix' };
  if (/\p{Lu}/u.test(raw) && raw === raw.toUpperCase()) return { text: raw, mode: 'case' };
  const text = fold(raw);
  return { text, mode: text.length >= MIN_INFIX ? 'infix' : 'prefix' };
}

/** Splits a cue into words the way answers are tokenised ("ICT-päällikkö" → ict, päällikkö). */
function cueWords(cue: string): string[] {
  return cue.match(/[=^*]?[\p{L}\p{N}]+/gu) ?? [];
}

/** A compiled lexicon for one question. */
export class CueLexicon {
  readonly categories: string[];
  private readonly cues: Cue[] = [];
  /** First words by their first letters (prefix and infix matches start here). */
  private readonly byKey = new Map<string, { cue: Cue; infix: boolean }[]>();
  /** First words shorter than the key, matched on the whole token. */
  private readonly short = new Map<string, Cue[]>();
  /** One-word stems of 5+ letters by their first two letters: the typo pass compares against these. */
  private readonly fuzzy = new Map<string, Cue[]>();

  constructor(file: CueFile) {
    this.categories = Object.keys(file.categories).filter((c) => !isMask(c));
    for (const [category, langs] of Object.entries(file.categories)) {
      for (const [lang, list] of Object.entries(langs)) {
        for (const raw of list ?? []) this.add(category, lang, raw);
      }
    }
  }

  private add(category: string, lang: string, raw: string): void {
    const modifier = raw.startsWith('~');
    const words = cueWords(modifier ? raw.slice(1) : raw).map(parseWord).filter((w) => w.text.length > 0);
    const first = words[0];
    if (!first) throw new Error(`cue "${raw}" of category "${category}" has no letters; remove it or write a word`);
    const cue: Cue = {
      id: `${category}:${lang}:${raw}`,
      category,
      words,
      negationContent: words.some((w) => NEGATION_WORDS.has(w.text.toLowerCase())),
      contentless: words.every((w) => BARE_WORDS.has(w.text.toLowerCase())),
      modifier,
    };
    this.cues.push(cue);
    const key = fold(first.text).slice(0, KEY);
    if (first.mode === 'exact' || first.mode === 'case' || key.length < KEY) {
      const list = this.short.get(fold(first.text)) ?? [];
      list.push(cue);
      this.short.set(fold(first.text), list);
      return;
    }
    const list = this.byKey.get(key) ?? [];
    list.push({ cue, infix: first.mode === 'infix' });
    this.byKey.set(key, list);
    if (words.length === 1 && first.text.length >= MIN_FUZZY) {
      const bucket = this.fuzzy.get(first.text.slice(0, 2)) ?? [];
      bucket.push(cue);
      this.fuzzy.set(first.text.slice(0, 2), bucket);
    }
  }

  /** Number of cues. */
  get size(): number {
    return this.cues.length;
  }

  /**
   * All cue hits in the tokens, overlaps resolved (the longest span wins). With `typos`, words
   * that no cue matched get a second, typo-tolerant pass ("rahotus" → rahoitu-).
   */
  match(tokens: Token[], typos = false): CueHit[] {
    const hits: CueHit[] = [];
    tokens.forEach((token, i) => {
      const word = token.folded;
      for (const cue of this.short.get(word) ?? []) this.extend(cue, tokens, i, 0, hits);
      // Cues shorter than the key that are prefixes ("3d", "api" are exact; "it" in a phrase).
      for (let p = 0; p + KEY <= word.length; p++) {
        const candidates = this.byKey.get(word.slice(p, p + KEY));
        if (!candidates) continue;
        for (const { cue, infix } of candidates) {
          if (p > 0 && !infix) continue;
          const first = cue.words[0] as CueWord;
          if (!word.startsWith(first.text, p)) continue;
          this.extend(cue, tokens, i, p, hits);
        }
      }
    });
    if (typos) this.matchTypos(tokens, hits);
    return resolveOverlaps(hits).filter((h) => !isMask(h.category));
  }

  /**
   * Typo pass: a token whose beginning is within one edit (Damerau-Levenshtein) of a one-word
   * stem counts as that stem ("rahotus" → rahoitu-, "integratoins" → integrat-). Only words
   * of 6+ letters that no cue matched are tried; the one-edit test is linear, so this is cheap.
   */
  private matchTypos(tokens: Token[], hits: CueHit[]): void {
    const covered = new Set(hits.map((h) => h.token));
    tokens.forEach((token, i) => {
      const word = token.folded;
      if (covered.has(i) || word.length < MIN_FUZZY) return;
      for (const cue of this.fuzzy.get(word.slice(0, 2)) ?? []) {
        const stem = (cue.words[0] as CueWord).text;
        const close = [stem.length - 1, stem.length, stem.length + 1].some(
          (n) => n <= word.length && withinOneEdit(word.slice(0, n), stem),
        );
        if (close) {
          hits.push({
            cue: cue.id,
            category: cue.category,
            token: i,
            start: token.start,
            end: token.end,
            negationContent: false,
            contentless: false,
            modifier: cue.modifier,
            fuzzy: true,
          });
        }
      }
    });
  }

  /** Checks the rest of a phrase after its first word matched token `i` at offset `p`. */
  private extend(cue: Cue, tokens: Token[], i: number, p: number, hits: CueHit[]): void {
    const first = cue.words[0] as CueWord;
    const token = tokens[i] as Token;
    if (first.mode === 'exact' && token.folded !== first.text) return;
    if (first.mode === 'case' && token.raw !== first.text) return;
    let at = i;
    for (let w = 1; w < cue.words.length; w++) {
      const word = cue.words[w] as CueWord;
      let found = -1;
      // At most one other token between phrase words ("muutoksen hallittu johtaminen").
      for (let j = at + 1; j <= at + 2 && j < tokens.length; j++) {
        if (wordMatches(word, tokens[j] as Token)) {
          found = j;
          break;
        }
      }
      if (found < 0) return;
      at = found;
    }
    hits.push({
      cue: cue.id,
      category: cue.category,
      token: i,
      start: token.start + p,
      end: (tokens[at] as Token).end,
      negationContent: cue.negationContent,
      contentless: cue.contentless,
      modifier: cue.modifier,
    });
  }
}

/**
 * A category whose name starts with "_" is a mask: its cues only swallow the shorter cues inside
 * them and are then dropped ("mayor's office" keeps "mayor" from meaning the respondent is one).
 */
function isMask(category: string): boolean {
  return category.startsWith('_');
}

/** A later word of a phrase: whole, case-exact, prefix, or (5+ letters) inside a compound ("vanha *järjestelmä"). */
function wordMatches(word: CueWord, token: Token): boolean {
  switch (word.mode) {
    case 'exact':
      return token.folded === word.text;
    case 'case':
      return token.raw === word.text;
    case 'infix':
      return token.folded.includes(word.text);
    default:
      return token.folded.startsWith(word.text);
  }
}

/** Drops hits whose span lies strictly inside a longer hit: "hallintojohtaja" inside "tietohallintojohtaja". */
function resolveOverlaps(hits: CueHit[]): CueHit[] {
  if (hits.length < 2) return hits;
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.cue}@${h.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start);
  });
}
