import { describe, expect, it } from 'vitest';
import { questionnaire as projectQuestionnaire } from '../../src/core/questionnaire.js';
import type { SurveyResponse } from '../../src/core/types.js';
import { agreementReport, cohensKappa } from '../../src/review/agreement.js';
import { makeResponse } from './fixtures.js';

const q = projectQuestionnaire();

/** A reviewed interview whose `rpa` the bot coded `bot` and staff left as `staff` (a recode when they differ). */
function coded(i: number, question: 'rpa' | 'challenges', bot: string[], staff: string[], reviewed = true): SurveyResponse {
  const r = makeResponse({
    user: `a${question}${i}`,
    startedAt: '2026-11-02T09:00:00.000Z',
    submittedAt: '2026-11-02T09:10:00.000Z',
    reviewed,
    answers: { [question]: { raw: `answer ${i}`, categories: bot, confidence: 0.8, source: 'normaliser' } },
  });
  if (staff.join() !== bot.join()) {
    const a = r.answers[question]!;
    a.recodes = [{ by: 'editor', at: '2026-11-03T00:00:00.000Z', from: bot, to: staff, fromSource: 'normaliser' } as never];
    a.normaliser = { categories: bot, confidence: a.confidence };
    a.categories = staff;
    a.source = 'staff';
  }
  return r;
}

describe('agreement and Cohen\'s kappa', () => {
  it('single question: 10 answers, 8 kept → 0.8; κ = (0.8 − 0.5) / (1 − 0.5) = 0.6', () => {
    // Bot: 5 × planned, 5 × piloting. Staff moved 2 of the bot's "planned" to "piloting".
    // Bot marginals 0.5 / 0.5, staff 0.3 / 0.7: chance agreement 0.5·0.3 + 0.5·0.7 = 0.5.
    const responses = [
      ...[0, 1, 2].map((i) => coded(i, 'rpa', ['planned'], ['planned'])),
      ...[3, 4].map((i) => coded(i, 'rpa', ['planned'], ['piloting'])),
      ...[5, 6, 7, 8, 9].map((i) => coded(i, 'rpa', ['piloting'], ['piloting'])),
      // Not counted: not reviewed, coded by the respondent, skipped, withdrawn.
      coded(10, 'rpa', ['planned'], ['planned'], false),
      makeResponse({ user: 'btn', startedAt: '2026-11-02T09:00:00.000Z', reviewed: true, answers: { rpa: { categories: ['planned'], source: 'respondent' } } }),
      makeResponse({ user: 'skip', startedAt: '2026-11-02T09:00:00.000Z', reviewed: true, answers: { rpa: { categories: [], skipped: true, source: 'normaliser' } } }),
    ];
    const rpa = agreementReport(responses, q).questions.find((x) => x.question === 'rpa')!;
    expect(rpa).toMatchObject({ n: 10, kept: 8, agreement: 0.8, decisions: 10 });
    expect(rpa.kappa).toBeCloseTo(0.6, 10);
  });

  it('a recoded answer counts as checked even when the interview is not marked reviewed', () => {
    const responses = [
      ...[0, 1, 2, 3].map((i) => coded(i, 'rpa', ['planned'], ['planned'])),
      coded(4, 'rpa', ['planned'], ['in_production'], false),
    ];
    const rpa = agreementReport(responses, q).questions.find((x) => x.question === 'rpa')!;
    expect(rpa).toMatchObject({ n: 5, kept: 4, agreement: 0.8 });
    // Bot always "planned": chance agreement = 1 · 0.8 = 0.8 = observed → κ = 0.
    expect(rpa.kappa).toBeCloseTo(0, 10);
  });

  it('multi question: κ over per-category yes/no decisions', () => {
    // challenges has 10 categories; 5 answers → 50 decisions.
    // Answers 0–3 kept exactly: [funding], [funding], [agility], [agility, funding].
    // Answer 4: bot [funding], staff [funding, integrations] (one decision changed).
    const responses = [
      coded(0, 'challenges', ['funding'], ['funding']),
      coded(1, 'challenges', ['funding'], ['funding']),
      coded(2, 'challenges', ['agility'], ['agility']),
      coded(3, 'challenges', ['agility', 'funding'], ['agility', 'funding']),
      coded(4, 'challenges', ['funding'], ['funding', 'integrations']),
    ];
    const c = agreementReport(responses, q).questions.find((x) => x.question === 'challenges')!;
    // Decisions: bot yes = 6 (funding ×4, agility ×2), staff yes = 7; agreed 49 of 50.
    // p_o = 0.98; p_e = (6/50)(7/50) + (44/50)(43/50) = 0.0168 + 0.7568 = 0.7736
    // κ = (0.98 − 0.7736) / (1 − 0.7736) = 0.2064 / 0.2264
    expect(c).toMatchObject({ n: 5, kept: 4, agreement: 0.8, decisions: 50 });
    expect(c.kappa).toBeCloseTo(0.2064 / 0.2264, 10);
  });

  it('too few answers give null, and so does an undefined κ', () => {
    const few = [0, 1, 2].map((i) => coded(i, 'rpa', ['planned'], ['planned']));
    expect(agreementReport(few, q).questions.find((x) => x.question === 'rpa')).toMatchObject({ n: 3, kept: 3, agreement: null, kappa: null });
    expect(cohensKappa([['a', 'a'], ['a', 'a']])).toBeNull();
    expect(cohensKappa([])).toBeNull();
    expect(cohensKappa([['a', 'a'], ['b', 'b']])).toBe(1);
  });
});
