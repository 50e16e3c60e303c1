/**
 * The municipality matcher: finds which of Finland's municipalities an answer names, and gives
 * its official Finnish name. Data-driven: every name, Swedish name and alias is expanded into its
 * Finnish inflected forms (see `finnish-inflection.ts`) and indexed without diacritics, so
 * "Lahdessa", "Seinäjoelta", "Uudestakaupungista", "Jyvaskyla", "Åbo" and "Hki" are hash
 * look-ups. Typos ("Tamprere", "Kuoppio", "Espo") fall back to a fuzzy pass (Jaro-Winkler to
 * pre-filter, Damerau-Levenshtein to decide). Ties go to the larger municipality.
 */
import { readFileSync } from 'node:fs';
import { inflectedForms } from './finnish-inflection.js';
import { damerauLevenshtein, jaroWinkler } from './natural-distance.js';
import { fold, tokenizeWithOffsets, type Token } from './text.js';

export interface Municipality {
  code: string;
  /** Official Finnish name: the survey's value. */
  name: string;
  nameSv: string;
  population: number;
  county: string;
}

export interface MunicipalityFile {
  count: number;
  municipalities: Municipality[];
}

export interface AliasFile {
  /** Other name → official Finnish name. */
  aliases: Record<string, string>;
  /** Names that are not municipalities (regions, the country): they give no city. */
  regions: string[];
  /** Names or forms that are also ordinary words: trusted only when capitalised or alone. */
  commonWords: string[];
}

export interface MunicipalityMatch {
  /** Official Finnish name, absent when the answer names no municipality. */
  name?: string;
  /** 0..1: how sure the matcher is that `name` is right (or that there is none). */
  confidence: number;
  /** Ranked alternatives (official names) for a "which one?" question. */
  candidates: { id: string; score: number }[];
  /** True when the answer names only a region or the country. */
  regionOnly: boolean;
}

/** How a key was produced; exact official names beat generated forms, forms beat aliases. */
const KIND_SCORE = { name: 1, form: 0.97, alias: 0.95 } as const;
type Kind = keyof typeof KIND_SCORE;

interface Entry {
  municipality: number;
  kind: Kind;
}

/** Words that carry no place: never fuzzy-matched, so "City of" cannot become a town. */
const FILLER = new Set(
  ('city kaupunki kaupungin kaupungilta kaupungista kaupungissa kaupunkiin kunta kunnan kunnasta kunnassa kunnalta ' +
    'kuntaa town municipality of the from in at for is am i my our we me based representing represent work works ' +
    'working employer region area south north east west central finland suomi olen edustan tulen täältä and ja ' +
    'with mayor city’s kaupunginjohtaja kotoisin asun')
    .split(' ')
    .map(fold),
);

/** Keys are folded and stripped of everything but letters and digits: "Mänttä-Vilppula" → "manttavilppula". */
export function placeKey(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Loads `data/municipalities.json` and `data/municipality-aliases.json` from a data folder. */
export function loadMunicipalityFiles(dataDir: URL): { municipalities: MunicipalityFile; aliases: AliasFile } {
  const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, dataDir), 'utf8'));
  return {
    municipalities: read('municipalities.json') as MunicipalityFile,
    aliases: read('municipality-aliases.json') as AliasFile,
  };
}

export class MunicipalityMatcher {
  private readonly list: Municipality[];
  private readonly index = new Map<string, Entry[]>();
  private readonly regionKeys = new Set<string>();
  private readonly commonKeys = new Set<string>();
  /** Fuzzy candidates grouped by first letter and length: a typo rarely hits the first letter. */
  private readonly fuzzyBuckets = new Map<string, string[]>();

  constructor(municipalities: MunicipalityFile, aliases: AliasFile) {
    this.list = municipalities.municipalities;
    const byName = new Map(this.list.map((m, i) => [m.name, i]));
    this.list.forEach((m, i) => {
      this.addForms(m.name, i, 'name');
      if (m.nameSv !== m.name) this.add(placeKey(m.nameSv), i, 'name');
    });
    for (const [alias, name] of Object.entries(aliases.aliases)) {
      const i = byName.get(name);
      if (i === undefined) {
        throw new Error(`municipality-aliases.json: alias "${alias}" points to "${name}", which is not in municipalities.json; use the official Finnish name`);
      }
      this.addForms(alias, i, 'alias');
    }
    for (const region of aliases.regions) {
      for (const form of inflectedForms(fold(region))) {
        const key = form.replace(/[^\p{L}\p{N}]+/gu, '');
        // A region form that is also a municipality form stays a municipality (e.g. "Lappi" vs Lapinlahti's forms never meet).
        if (!this.index.has(key)) this.regionKeys.add(key);
      }
    }
    // Every form of a common word is common too ("koske" of koski, "kotkan" of kotka).
    for (const word of aliases.commonWords) {
      this.commonKeys.add(placeKey(word));
      for (const form of inflectedForms(fold(word))) this.commonKeys.add(form.replace(/[^\p{L}\p{N}]+/gu, ''));
    }
    for (const key of this.index.keys()) {
      if (key.length < 4) continue;
      const bucketKey = `${key[0]}${key.length}`;
      const bucket = this.fuzzyBuckets.get(bucketKey) ?? [];
      bucket.push(key);
      this.fuzzyBuckets.set(bucketKey, bucket);
    }
  }

  /** Number of municipalities known. */
  get size(): number {
    return this.list.length;
  }

  /** Official names of all municipalities. */
  names(): string[] {
    return this.list.map((m) => m.name);
  }

  private add(key: string, municipality: number, kind: Kind): void {
    if (!key) return;
    const entries = this.index.get(key) ?? [];
    const same = entries.find((e) => e.municipality === municipality);
    if (same) {
      if (KIND_SCORE[kind] > KIND_SCORE[same.kind]) same.kind = kind;
      return;
    }
    entries.push({ municipality, kind });
    this.index.set(key, entries);
  }

  private addForms(name: string, municipality: number, kind: Kind): void {
    const base = placeKey(name);
    this.add(base, municipality, kind);
    // Inflect the folded name: keys are folded anyway (ä/a harmony then agrees by itself), and
    // folding 12,000 generated forms one by one would double the start-up cost.
    for (const form of inflectedForms(fold(name))) {
      const key = form.replace(/[^\p{L}\p{N}]+/gu, '');
      if (key !== base) this.add(key, municipality, kind === 'name' ? 'form' : kind);
    }
  }

  /** Finds the municipality an answer names. */
  match(text: string): MunicipalityMatch {
    const tokens = tokenizeWithOffsets(text);
    const content = tokens.filter((t) => !FILLER.has(t.folded));
    const short = content.length <= 2;
    const scores = new Map<number, number>();
    const consumed = new Set<number>();
    let regionSeen = false;

    const credit = (municipality: number, score: number): void => {
      scores.set(municipality, Math.max(scores.get(municipality) ?? 0, score));
    };

    // Longest spans first, so "Pedersören kunta" and "Koski Tl" win over their parts.
    for (const width of [3, 2, 1]) {
      for (let i = 0; i + width <= tokens.length; i++) {
        const span = tokens.slice(i, i + width);
        if (span.some((_, k) => consumed.has(i + k))) continue;
        const key = span.map((t) => t.folded).join('');
        const entries = this.index.get(key);
        if (entries) {
          const trusted = !this.commonKeys.has(key) || short || span[0]?.capital === true;
          for (const e of entries) credit(e.municipality, KIND_SCORE[e.kind] * (trusted ? 1 : 0.55));
          for (let k = 0; k < width; k++) consumed.add(i + k);
        } else if (width === 1 && this.regionKeys.has(key)) {
          regionSeen = true;
          consumed.add(i);
        }
      }
    }

    if (scores.size === 0) {
      // In a sentence only a capitalised word may be a misspelt name ("I'm from Rovanemi"); a
      // lowercase word there is more likely an ordinary one ("vasta" is not Vaasa).
      const sentence = content.length > 3;
      tokens.forEach((t, i) => {
        if (!consumed.has(i) && !FILLER.has(t.folded) && (!sentence || t.capital)) this.fuzzy(t, short, credit);
      });
    }

    const ranked = [...scores.entries()]
      .map(([i, score]) => ({ m: this.list[i] as Municipality, score }))
      .sort((a, b) => b.score - a.score || b.m.population - a.m.population);
    const candidates = ranked.slice(0, 5).map((r) => ({ id: r.m.name, score: round(r.score) }));
    const top = ranked[0];
    if (!top) {
      // Nothing named: we are fairly sure there is no city only when the answer was a region.
      return { confidence: regionSeen ? 0.9 : 0.5, candidates, regionOnly: regionSeen };
    }
    const second = ranked[1];
    // A rival with a similar score halves the certainty; a far weaker one barely matters.
    const rivalry = second ? Math.max(0, 1 - (top.score - second.score) * 4) : 0;
    const confidence = top.score * (1 - 0.5 * rivalry);
    return { name: top.m.name, confidence: round(confidence), candidates, regionOnly: false };
  }

  /** Typo tolerance: "Tamprere", "Kuoppio", "Rovanemi", "Espo". */
  private fuzzy(token: Token, short: boolean, credit: (municipality: number, score: number) => void): void {
    const word = token.folded;
    if (word.length < 4 || (word.length === 4 && !short)) return;
    const maxDistance = word.length >= 8 ? 2 : 1;
    for (let length = word.length - maxDistance; length <= word.length + maxDistance; length++) {
      for (const key of this.fuzzyBuckets.get(`${word[0]}${length}`) ?? []) {
        if (jaroWinkler(word, key) < 0.85) continue;
        const d = damerauLevenshtein(word, key);
        if (d === 0 || d > maxDistance) continue;
        const score = (d === 1 ? 0.8 : 0.65) * (this.commonKeys.has(key) ? 0.6 : 1);
        for (const e of this.index.get(key) ?? []) credit(e.municipality, score * KIND_SCORE[e.kind]);
      }
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
