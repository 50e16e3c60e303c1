/**
 * Finnish inflected forms of a place name, generated from rules instead of listed by hand:
 * vowel harmony, consonant gradation (Lahti → Lahde-, Turku → Turu-, Helsinki → Helsingi-,
 * Seinäjoki → Seinäjoe-, Lappeenranta → Lappeenranna-), e-stems of old nouns (-järvi → -järve-,
 * -niemi → -nieme-), -nen → -se-/-si-, -vesi → -vede-, and names whose first part inflects too
 * (Uusikaupunki → Uudessakaupungissa, Isokyrö → Isossakyrössä).
 *
 * Over-generation is deliberate and harmless: a form that Finnish does not use (say "Raaheessa"
 * beside "Raahessa") only makes the matcher more forgiving, because no other municipality
 * produces it. The caller checks for collisions.
 */

const VOWELS = 'aeiouyäö';
const isVowel = (c: string | undefined): boolean => c !== undefined && VOWELS.includes(c);

/** Strong → weak grade of the consonant(s) before the final vowel. Several outcomes where Finnish has them. */
const GRADATION: [string, string[]][] = [
  ['kk', ['k']],
  ['pp', ['p']],
  ['tt', ['t']],
  ['nk', ['ng']],
  ['mp', ['mm']],
  ['lt', ['ll']],
  ['nt', ['nn']],
  ['rt', ['rr']],
  ['ht', ['hd']],
  ['lk', ['l', 'lj']],
  ['rk', ['r', 'rj']],
  ['hk', ['h']],
  ['t', ['d']],
  ['p', ['v']],
  ['k', ['', 'v']],
];

/** True when the word takes back-vowel endings (-ssa) rather than front ones (-ssä). */
export function isBackHarmony(word: string): boolean {
  // A last compound part of neutral vowels takes front endings: Orivedellä, Rovaniemellä.
  if (/(vesi|niemi)$/.test(word)) return false;
  for (let i = word.length - 1; i >= 0; i--) {
    const c = word[i];
    if (c === 'a' || c === 'o' || c === 'u') return true;
    if (c === 'ä' || c === 'ö' || c === 'y') return false;
  }
  return false; // only e and i: Helsinki → Helsingissä
}

/** The weak-grade variants of a stem ending in consonant(s) + one vowel; the stem itself first. */
export function weakGrades(stem: string): string[] {
  const out = [stem];
  const vowel = stem.at(-1);
  if (!isVowel(vowel) || isVowel(stem.at(-2))) return out;
  const body = stem.slice(0, -1);
  for (const [strong, weaks] of GRADATION) {
    if (!body.endsWith(strong)) continue;
    const before = body.at(-strong.length - 1);
    // Single-consonant gradation (t→d, p→v, k→∅) happens only after a vowel: "Lieto" → "Liedo-", not "Kotka".
    if (strong.length === 1 && !isVowel(before)) continue;
    for (const weak of weaks) out.push(body.slice(0, -strong.length) + weak + vowel);
    break;
  }
  return out;
}

interface Stems {
  /** Stems that take the "closed-syllable" endings: -n, -ssa, -sta, -lla, -lta, -lle, -ksi. */
  weak: string[];
  /** Stems that take the illative, essive and partitive. */
  strong: string[];
  /** Whole forms no ending rule makes (the plural genitive Kauniaisten). */
  extra?: string[];
}

/** Weak and strong stems of one lower-case Finnish word. */
export function stemsOf(word: string): Stems {
  if (word.endsWith('nen')) {
    const base = word.slice(0, -3);
    // Singular -se- (Kauniaisen) and plural -si- (Kauniaisissa, Ikaalisissa).
    return { weak: [`${base}se`, `${base}si`], strong: [`${base}se`, `${base}si`, `${base}s`], extra: [`${base}sten`] };
  }
  if (word.endsWith('vesi')) {
    const base = word.slice(0, -2);
    return { weak: [`${base}de`, word], strong: [`${base}te`, word] };
  }
  const last = word.at(-1);
  if (!isVowel(last)) return { weak: [word], strong: [word] }; // Alavus, Muhos, Varkaus: keep as is
  if (isVowel(word.at(-2))) return { weak: [word], strong: [word] }; // Vantaa, Espoo, Kuopio, Joensuu
  if (last === 'e') {
    // Tampere → Tamperee-, Kempele → Kempelee-; Raahe keeps Raahe-.
    return { weak: [`${word}e`, word], strong: [`${word}e`, word] };
  }
  if (last === 'i') {
    // Old nouns (järvi, joki, lahti, niemi, mäki, salmi) take an e-stem; loans (Mikkeli, Pori) keep i.
    const eStem = `${word.slice(0, -1)}e`;
    return { weak: [...weakGrades(word), ...weakGrades(eStem)], strong: [word, eStem] };
  }
  return { weak: weakGrades(word), strong: [word] };
}

/** Case endings on the weak stem, with `A` standing for a/ä by vowel harmony. */
// No bare stem: "lahde", "turu" are no forms of their own, and "lähde" is an ordinary word.
const WEAK_ENDINGS = ['n', 'ssA', 'stA', 'llA', 'ltA', 'lle', 'ksi'];

function harmonise(ending: string, back: boolean): string {
  return ending.replaceAll('A', back ? 'a' : 'ä');
}

/** Illative, essive and partitive on a strong stem. */
function strongForms(stem: string, back: boolean): string[] {
  const a = back ? 'a' : 'ä';
  const last = stem.at(-1) ?? '';
  const forms = [`${stem}n${a}`, `${stem}${a}`, `${stem}t${a}`];
  if (isVowel(last)) {
    forms.push(`${stem}${last}n`); // Helsinkiin, Turkuun, Lahteen
    if (isVowel(stem.at(-2))) forms.push(`${stem}seen`, `${stem}h${last}n`); // Espooseen, Vantaaseen
  } else {
    forms.push(`${stem}iin`, `${stem}een`); // Varkauteen-ish over-generation is harmless
  }
  return forms;
}

/** Every generated form of one word, lower-case. */
function wordForms(word: string): Set<string> {
  const back = isBackHarmony(word);
  const { weak, strong, extra = [] } = stemsOf(word);
  const forms = new Set<string>([word, ...extra]);
  for (const stem of weak) {
    for (const ending of WEAK_ENDINGS) forms.add(stem + harmonise(ending, back));
  }
  for (const stem of strong) for (const f of strongForms(stem, back)) forms.add(f);
  return forms;
}

/** First parts that inflect together with the rest: Uusikaupunki → Uudessakaupungissa. */
const INFLECTING_PREFIXES: Record<string, { weak: string; partitive: string; essive: string; illative: string }> = {
  uusi: { weak: 'uude', partitive: 'uutta', essive: 'uutena', illative: 'uuteen' },
  iso: { weak: 'iso', partitive: 'isoa', essive: 'isona', illative: 'isoon' },
};

/**
 * All inflected forms of a place name, lower-case with diacritics. Multi-word names inflect
 * their last word ("Koski Tl" stays as is except through aliases); hyphenated names inflect the
 * part after the last hyphen ("Mänttä-Vilppula" → "mänttä-vilppulassa").
 */
export function inflectedForms(name: string): string[] {
  const lowerName = name.toLowerCase();
  const out = new Set<string>([lowerName]);
  const cut = Math.max(lowerName.lastIndexOf('-'), lowerName.lastIndexOf(' '));
  const head = lowerName.slice(0, cut + 1);
  const tail = lowerName.slice(cut + 1);
  for (const form of wordForms(tail)) out.add(head + form);

  for (const [prefix, stems] of Object.entries(INFLECTING_PREFIXES)) {
    if (cut >= 0 || !tail.startsWith(prefix) || tail.length < prefix.length + 4) continue;
    const rest = tail.slice(prefix.length);
    const backFirst = isBackHarmony(prefix);
    const backRest = isBackHarmony(rest);
    const { weak, strong } = stemsOf(rest);
    // The same case on both parts: Uude+ssa + kaupungi+ssa, Uutta + kaupunkia.
    for (const ending of WEAK_ENDINGS) {
      for (const stem of weak) {
        out.add(stems.weak + harmonise(ending, backFirst) + stem + harmonise(ending, backRest));
      }
    }
    const a = backRest ? 'a' : 'ä';
    for (const stem of strong) {
      const last = stem.at(-1) ?? '';
      out.add(`${stems.partitive}${stem}${a}`).add(`${stems.partitive}${stem}t${a}`);
      out.add(`${stems.essive}${stem}n${a}`);
      out.add(`${stems.illative}${stem}${isVowel(last) ? last : 'ee'}n`);
    }
  }
  return [...out];
}
