/** Responses built in code with known counts, for the report tests. */
import { responseId } from '../../src/core/ids.js';
import type { Answer, QuestionId, ResponseStatus, SurveyResponse } from '../../src/core/types.js';
import type { Wave } from '../../src/waves/types.js';

export interface FixtureOptions {
  wave?: string;
  user?: string;
  status?: ResponseStatus;
  submittedAt?: string;
  counts?: boolean;
  /** Category ids per question; `null` marks the question skipped. */
  answers?: Partial<Record<QuestionId, string[] | null>>;
  raw?: Partial<Record<QuestionId, string>>;
  language?: 'fi' | 'en';
}

let seq = 0;

/** One response of a city; everything not given gets a plausible default. */
export function response(city: string | undefined, o: FixtureOptions = {}): SurveyResponse {
  seq += 1;
  const wave = o.wave ?? '2026';
  const respondent = { channel: 'msteams', userId: o.user ?? `user-${seq}` };
  const at = o.submittedAt ?? `2026-11-${String(1 + (seq % 27)).padStart(2, '0')}T10:00:00.000Z`;
  const status = o.status ?? 'submitted';
  const answers: SurveyResponse['answers'] = {};
  const answer = (question: QuestionId, categories: string[] | null): Answer => ({
    question,
    raw: o.raw?.[question] ?? (categories ?? []).join(' ja '),
    categories: categories ?? [],
    confidence: 0.9,
    source: 'normaliser',
    lang: o.language ?? 'fi',
    ...(categories === null && { skipped: true }),
    answeredAt: at,
  });
  if (city !== undefined) answers.city = answer('city', [city]);
  for (const [q, cats] of Object.entries(o.answers ?? {}) as [QuestionId, string[] | null][]) answers[q] = answer(q, cats);
  return {
    id: responseId(wave, respondent),
    wave,
    respondent,
    language: o.language ?? 'fi',
    status,
    questionnaireVersion: 1,
    startedAt: at,
    updatedAt: at,
    ...(status === 'submitted' && { submittedAt: at }),
    ...(status === 'withdrawn' && { withdrawnAt: at }),
    conversations: [`conv-${seq}`],
    cursor: 9,
    answers,
    ...(o.counts !== undefined && { counts: o.counts }),
  };
}

export const CITIES = [
  'Helsinki', 'Espoo', 'Tampere', 'Vantaa', 'Oulu', 'Turku', 'Jyväskylä',
  'Lahti', 'Kuopio', 'Pori', 'Kouvola', 'Joensuu', 'Lappeenranta', 'Hämeenlinna',
  'Vaasa', 'Seinäjoki', 'Rovaniemi', 'Mikkeli', 'Kotka', 'Salo',
];

/** A collected wave definition. */
export function collectedWave(id: string, status: 'open' | 'closed' = 'open'): Wave {
  return {
    id,
    title: { fi: `Digikysely ${id}`, en: `Digitalisation survey ${id}` },
    fieldwork: { start: '2026-11-01', end: null },
    questionnaireVersion: 1,
    status,
    kind: 'collected',
  };
}

/** A baseline with the given published figures. */
export function baselineWave(id: string, published: Wave['published']): Wave {
  return {
    id,
    title: { fi: `Digikysely ${id}`, en: `Digitalisation survey ${id}` },
    fieldwork: { start: '2018-01-01', end: '2018-01-31' },
    questionnaireVersion: 1,
    status: 'closed',
    kind: 'baseline',
    source: 'test publication',
    published,
  };
}

/**
 * 14 cities of which 8 IT-led (→ 57.1 %), 4 business units, 2 shared; rpa: 1 not considered,
 * 13 planned/piloting; challenges (multi): 10 name competence_resources, 7 change_management.
 */
export function fourteenCities(wave = '2026'): SurveyResponse[] {
  return CITIES.slice(0, 14).map((city, i) =>
    response(city, {
      wave,
      answers: {
        responsibility: [i < 8 ? 'it_management' : i < 12 ? 'business_units' : 'shared'],
        rpa: [i === 0 ? 'not_considered' : i % 2 ? 'planned' : 'piloting'],
        challenges: [...(i < 10 ? ['competence_resources'] : []), ...(i >= 7 ? ['change_management'] : []), ...(i === 13 ? ['funding'] : [])],
      },
    }),
  );
}
