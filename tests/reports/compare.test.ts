import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionnaire } from '../../src/core/questionnaire.js';
import { compareWaves } from '../../src/reports/compare.js';
import { selectCounted } from '../../src/reports/counting.js';
import type { Cell, Comparison, QuestionComparison } from '../../src/reports/types.js';
import { loadWaves } from '../../src/waves/registry.js';
import { baselineWave, CITIES, collectedWave, fourteenCities, response } from './fixtures.js';

// The tracked waves (2016, 2018 baselines; 2026 collected), with an empty overlay directory.
const waves = loadWaves(path.join(os.tmpdir(), 'no-such-digikysely-dir'));
const w2016 = waves.get('2016')!;
const w2018 = waves.get('2018')!;
const w2026 = waves.get('2026')!;
const q = questionnaire();

const question = (c: Comparison, id: string): QuestionComparison => c.questions.find((x) => x.question === id)!;
const row = (c: Comparison, qid: string, cat: string) => question(c, qid).categories.find((r) => r.category === cat)!;

describe('compareWaves: the unit is the city', () => {
  it('14 cities of which 8 IT-led give 57.1 %, compared with the published 75 % of 2016', () => {
    const c = compareWaves(w2016, w2026, { '2026': fourteenCities() }, q);
    const it = row(c, 'responsibility', 'it_management');
    expect(question(c, 'responsibility').target).toEqual({ n: 14, lowN: false, noAnswer: 0 });
    expect(it.target).toEqual({ count: 8, share: 8 / 14, unknown: false });
    expect(it.target.share! * 100).toBeCloseTo(57.14, 2);
    expect(it.base).toEqual({ count: null, share: 0.75, unknown: false });
    expect(it.changePp).toBeCloseTo((8 / 14 - 0.75) * 100, 10);
    expect(row(c, 'responsibility', 'business_units').target).toEqual({ count: 4, share: 4 / 14, unknown: false });
    expect(c.target.responses).toMatchObject({ total: 14, submitted: 14, cities: 14, duplicates: [] });
    expect(c.base).toMatchObject({ id: '2016', source: 'published', cities: null });
  });

  it('reads the published 2018 figures: n 14, IT management 8 of 14, rpa not considered 1 of 14', () => {
    const c = compareWaves(w2018, w2026, { '2026': fourteenCities() }, q);
    expect(question(c, 'responsibility').base).toEqual({ n: 14, lowN: false, noAnswer: null });
    expect(row(c, 'responsibility', 'it_management').base).toEqual({ count: 8, share: 8 / 14, unknown: false });
    expect(row(c, 'responsibility', 'it_management').changePp).toBeCloseTo(0, 10);
    expect(row(c, 'rpa', 'not_considered').base).toEqual({ count: 1, share: 1 / 14, unknown: false });
    expect(c.base.cities).toBe(14);
  });

  it('counts the latest submission of a city that submitted twice and flags the other', () => {
    const responses = fourteenCities();
    const helsinkiFirst = responses[0]!; // IT management
    const helsinkiLater = response('Helsinki', { answers: { responsibility: ['digital_unit'] }, submittedAt: '2026-12-15T09:00:00.000Z' });
    const c = compareWaves(w2018, w2026, { '2026': [...responses, helsinkiLater] }, q);
    expect(question(c, 'responsibility').target.n).toBe(14);
    expect(row(c, 'responsibility', 'it_management').target.count).toBe(7);
    expect(row(c, 'responsibility', 'digital_unit').target.count).toBe(1);
    expect(c.target.responses?.duplicates).toEqual([{ city: 'Helsinki', counted: helsinkiLater.id, others: [helsinkiFirst.id], by: 'latest' }]);
    const { flags } = selectCounted([...responses, helsinkiLater]);
    expect(flags.get(helsinkiFirst.id)).toEqual({ counted: false, reason: 'superseded', city: 'Helsinki', countedId: helsinkiLater.id });
    expect(flags.get(helsinkiLater.id)).toMatchObject({ counted: true, by: 'latest' });
  });

  it("lets staff choose which submission counts (counts: true) and exclude one (counts: false)", () => {
    const responses = fourteenCities();
    const chosen = { ...responses[0]!, counts: true };
    const later = response('Helsinki', { answers: { responsibility: ['digital_unit'] }, submittedAt: '2026-12-15T09:00:00.000Z' });
    const excluded = { ...responses[1]!, counts: false }; // Espoo, IT-led, excluded by staff
    const c = compareWaves(w2018, w2026, { '2026': [chosen, excluded, ...responses.slice(2), later] }, q);
    expect(row(c, 'responsibility', 'it_management').target.count).toBe(7); // Helsinki's IT answer counts, Espoo's does not
    expect(row(c, 'responsibility', 'digital_unit').target.count).toBe(0);
    expect(question(c, 'responsibility').target.n).toBe(13);
    expect(c.target.responses).toMatchObject({ cities: 13, staffExcluded: 1 });
    expect(c.target.responses?.duplicates).toEqual([{ city: 'Helsinki', counted: chosen.id, others: [later.id], by: 'staff' }]);
  });

  it('keeps a partial baseline partial: what 2018 did not publish is unknown (null), never 0, and so is its change', () => {
    const c = compareWaves(w2018, w2026, { '2026': fourteenCities() }, q);
    const bu = row(c, 'responsibility', 'business_units');
    expect(bu.base).toEqual({ count: null, share: null, unknown: true });
    expect(bu.target.count).toBe(4);
    expect(bu.changePp).toBeNull();
    // A question 2018 did not publish at all: n unknown, every category unknown.
    const strategy = question(c, 'strategy');
    expect(strategy.base).toEqual({ n: null, lowN: false, noAnswer: null });
    expect(strategy.categories.every((r) => r.base.unknown && r.base.share === null && r.changePp === null)).toBe(true);
    // Also when the baseline is the target.
    const reversed = compareWaves(w2026, w2018, { '2026': fourteenCities() }, q);
    expect(row(reversed, 'responsibility', 'business_units').target.unknown).toBe(true);
    expect(row(reversed, 'responsibility', 'business_units').changePp).toBeNull();
  });

  it('compares two baselines from published figures alone (2016 → 2018: 75 % → 57 %)', () => {
    const c = compareWaves(w2016, w2018, {}, q);
    expect(row(c, 'responsibility', 'it_management').changePp).toBeCloseTo(-17.857, 3);
    expect(row(c, 'rpa', 'not_considered').base.unknown).toBe(true);
    expect(row(c, 'rpa', 'not_considered').changePp).toBeNull();
  });

  it('handles an empty wave: n 0, shares null, no division by zero anywhere', () => {
    const c = compareWaves(w2018, w2026, {}, q);
    const cells: Cell[] = c.questions.flatMap((x) => x.categories.flatMap((r) => [r.base, r.target]));
    for (const x of c.questions) {
      expect(x.target).toEqual({ n: 0, lowN: true, noAnswer: 0 });
      for (const r of x.categories) {
        expect(r.target).toEqual({ count: 0, share: null, unknown: false });
        expect(r.changePp).toBeNull();
      }
    }
    for (const cell of cells) expect(cell.share === null || Number.isFinite(cell.share)).toBe(true);
    expect(c.target.responses).toMatchObject({ total: 0, cities: 0 });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it('gives multi questions the share of cities naming each category (shares may add up to more than 100 %)', () => {
    const responses = fourteenCities();
    // A category named twice in one answer still counts the city once.
    responses[13]!.answers.challenges!.categories.push('funding');
    const c = compareWaves(w2018, w2026, { '2026': responses }, q);
    const ch = question(c, 'challenges');
    expect(ch.type).toBe('multi');
    expect(ch.target.n).toBe(14);
    expect(row(c, 'challenges', 'competence_resources').target).toEqual({ count: 10, share: 10 / 14, unknown: false });
    expect(row(c, 'challenges', 'change_management').target).toEqual({ count: 7, share: 7 / 14, unknown: false });
    expect(row(c, 'challenges', 'funding').target).toEqual({ count: 1, share: 1 / 14, unknown: false });
    expect(ch.categories.reduce((s, r) => s + (r.target.share ?? 0), 0)).toBeGreaterThan(1);
  });

  it("leaves skipped and don't-know answers out of that question's n", () => {
    const responses = fourteenCities();
    responses[0]!.answers.responsibility = { ...responses[0]!.answers.responsibility!, categories: [], skipped: true };
    responses[1]!.answers.responsibility = { ...responses[1]!.answers.responsibility!, raw: 'en osaa sanoa', categories: [] };
    delete responses[2]!.answers.responsibility;
    const c = compareWaves(w2018, w2026, { '2026': responses }, q);
    expect(question(c, 'responsibility').target).toEqual({ n: 11, lowN: false, noAnswer: 3 });
    expect(row(c, 'responsibility', 'it_management').target).toEqual({ count: 5, share: 5 / 11, unknown: false });
    expect(question(c, 'rpa').target.n).toBe(14); // other questions keep their n
  });

  it('flags n below 10, and only below 10', () => {
    const nine = CITIES.slice(0, 9).map((city) => response(city, { answers: { responsibility: ['shared'] } }));
    const ten = [...nine, response(CITIES[9], { answers: { responsibility: ['shared'] } })];
    expect(question(compareWaves(w2018, w2026, { '2026': nine }, q), 'responsibility').target.lowN).toBe(true);
    expect(question(compareWaves(w2018, w2026, { '2026': ten }, q), 'responsibility').target.lowN).toBe(false);
    const small = baselineWave('small', { n: 6, questions: { responsibility: { n: 6, counts: { shared: 3 } } } });
    const c = compareWaves(small, w2026, { '2026': ten }, q);
    expect(question(c, 'responsibility').base).toEqual({ n: 6, lowN: true, noAnswer: null });
    expect(row(c, 'responsibility', 'shared').changePp).toBeCloseTo(50, 10);
  });

  it('counts only submitted responses with a city, and says how many were left out', () => {
    const responses = [
      ...fourteenCities(),
      response('Vaasa', { status: 'in_progress', answers: { responsibility: ['shared'] } }),
      response('Salo', { status: 'withdrawn', answers: { responsibility: ['shared'] } }),
      response(undefined, { answers: { responsibility: ['shared'] } }),
    ];
    const c = compareWaves(w2018, w2026, { '2026': responses }, q);
    expect(row(c, 'responsibility', 'shared').target.count).toBe(2);
    expect(c.target.responses).toMatchObject({ total: 17, submitted: 15, inProgress: 1, withdrawn: 1, noCity: 1, cities: 14 });
  });

  it('compares two collected waves and shows categories the questionnaire does not list', () => {
    const older = fourteenCities('2024').map((r) => ({ ...r, answers: { ...r.answers, responsibility: { ...r.answers.responsibility!, categories: ['legacy_it'] } } }));
    const c = compareWaves(collectedWave('2024', 'closed'), w2026, { '2024': older, '2026': fourteenCities() }, q);
    const cats = question(c, 'responsibility').categories.map((r) => r.category);
    expect(cats).toEqual([...q.questions.find((x) => x.id === 'responsibility')!.categories!, 'legacy_it']);
    expect(row(c, 'responsibility', 'legacy_it').base).toEqual({ count: 14, share: 1, unknown: false });
    expect(row(c, 'responsibility', 'legacy_it').changePp).toBeCloseTo(-100, 10);
    expect(row(c, 'responsibility', 'it_management').changePp).toBeCloseTo(800 / 14, 10);
  });
});
