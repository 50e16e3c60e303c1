/**
 * Interview scripts for virtual respondents, in Finnish and English: mostly option numbers and
 * button labels (what people click), some free text (what the normaliser reads). Each step says
 * which question the bot must ask next, so a respondent notices when the interview goes astray.
 * Deterministic: respondent `n` always gets the same script.
 */
import type { Lang } from '../../src/core/types.js';

export interface Step {
  /** 'join' is a conversationUpdate adding the respondent; anything else a message text. */
  kind: 'join' | 'message';
  text?: string;
  /** The question (`channelData.question`) the bot asks after this turn. */
  expect: string;
}

/** One choice per question: either form may be sent. */
interface Vocabulary {
  yes: string;
  submit: string;
  cities: string[];
  role: string[];
  strategy: string[];
  responsibility: string[];
  rpa: string[];
  challenges: string[];
  projects: string[];
  soteImpact: string[];
  goals: string[];
  comments: string[];
}

const FI: Vocabulary = {
  yes: 'kyllä',
  submit: 'Lähetä',
  cities: ['Tampereelta', 'Helsinki', 'Oulu', 'Espoon kaupunki', 'Turku', 'Jyväskylä', 'Lahti', 'Kuopio', 'Vantaa', 'Pori'],
  role: ['1', '2', 'Tietohallintojohtaja (CIO)', 'Kaupunginjohtaja tai pormestari', '5'],
  strategy: ['1', '2', 'Kyllä, yksi päätavoitteista', '3'],
  responsibility: ['Tietohallinto', '1', '3', 'Jaettu vastuu', 'Kaupungin johto'],
  rpa: ['4', '2', 'Kokeiluja tai hankkeita käynnissä', '1'],
  challenges: ['2, 5', '1', 'Järjestelmäintegraatiot', '3, 4', 'Osaaminen ja resurssit'],
  projects: ['1', '2, 3', 'Sähköiset palvelut', '5'],
  soteImpact: ['6', '1, 4', 'Epävarmuus ja odottaminen', '2'],
  goals: ['1, 2', '6', 'Tiedolla johtaminen', '3, 4'],
  comments: ['Ei muuta.', 'ohita', 'Kiitos, hyvä kysely. Digitalisaatio on meillä kaupunkistrategian ytimessä.'],
};

const EN: Vocabulary = {
  yes: 'yes',
  submit: 'yes',
  cities: ['City of Espoo', 'Helsinki', 'Tampere', 'Oulu', 'Turku', 'Vantaa', 'Jyväskylä', 'Lahti', 'Kuopio', 'Pori'],
  role: ['1', '2', 'Chief information officer (CIO)', 'Mayor or city manager', '3'],
  strategy: ['1', 'It is one of the main goals of our city strategy', 'Part of the strategy, not a main goal', '2'],
  responsibility: ['IT management', '1', '2', 'Shared responsibility'],
  rpa: ['2', '3', 'In production use', 'Planned or being assessed'],
  challenges: ['2, 5', 'Change management', '1, 4', 'System integrations'],
  projects: ['3, 4', '1', 'Electronic services', '2'],
  soteImpact: ['5', '1', 'Uncertainty and waiting', '3'],
  goals: ['Better services for residents, Data-driven management', '1, 2', '6', 'Productivity and efficiency'],
  comments: ['skip', 'Nothing to add.', 'Thank you. Digitalisation is at the heart of our city strategy.'],
};

/** The language of respondent `n` (alternating, so both are always in the mix). */
export function languageOf(n: number): Lang {
  return n % 2 === 0 ? 'fi' : 'en';
}

/** The locale a channel would send for `lang`. */
export function localeOf(lang: Lang): string {
  return lang === 'fi' ? 'fi-FI' : 'en-US';
}

/** The whole interview of respondent `n`: greeting, consent, ten answers, submit (13 turns). */
export function interviewScript(n: number): Step[] {
  const v = languageOf(n) === 'fi' ? FI : EN;
  // Spread choices over respondents without lining every list up on the same index.
  const pick = (list: string[], salt: number) => list[(n * 7 + salt * 3) % list.length] as string;
  const answers: [string, string][] = [
    [pick(v.cities, 1), 'role'],
    [pick(v.role, 2), 'strategy'],
    [pick(v.strategy, 3), 'responsibility'],
    [pick(v.responsibility, 4), 'rpa'],
    [pick(v.rpa, 5), 'challenges'],
    [pick(v.challenges, 6), 'projects'],
    [pick(v.projects, 7), 'sote_impact'],
    [pick(v.soteImpact, 8), 'goals'],
    [pick(v.goals, 9), 'comments'],
    [pick(v.comments, 10), 'submit'],
  ];
  return [
    { kind: 'join', expect: 'consent' },
    { kind: 'message', text: v.yes, expect: 'city' },
    ...answers.map(([text, expect]): Step => ({ kind: 'message', text, expect })),
    { kind: 'message', text: v.submit, expect: 'submitted' },
  ];
}
