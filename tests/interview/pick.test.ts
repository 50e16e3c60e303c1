import { afterEach, describe, expect, it } from 'vitest';
import { askedQuestion, buttonsOf, createHarness, removeDir, runTable, textOf, type Harness } from '../helpers/surveyHarness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.close();
    await removeDir(h.dir);
  }
});

describe('confidence decides between reflecting and asking to pick', () => {
  it('asks to pick when the reading is uncertain, keeps the proposal beside the choice', async () => {
    const h = await createHarness({ locale: 'fi-FI' });
    open.push(h);
    await h.join();
    await runTable(h, [['kyllä', { asks: 'city' }]]);

    // Two cities named: the normaliser is unsure, so the respondent picks.
    const pick = await h.say('Vantaa ja Espoo');
    expect(askedQuestion(pick)).toBe('city');
    expect((pick.at(-1)?.channelData as { pick?: boolean }).pick).toBe(true);
    expect(textOf(pick)).toContain('Tarkoititteko');
    expect(buttonsOf(pick)).toEqual(expect.arrayContaining(['Espoo', 'Vantaa', 'Jotain muuta']));

    await runTable(h, [['Vantaa', { asks: 'role', not: ['Kirjasin'] }]]);
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.city).toMatchObject({ raw: 'Vantaa ja Espoo', categories: ['Vantaa'], source: 'respondent', confidence: 1 });
    expect(stored?.answers.city?.normaliser?.confidence).toBeLessThan(0.6);
  });

  it('reflects a confident reading briefly and moves on; "takaisin" corrects it', async () => {
    const h = await createHarness({ locale: 'fi-FI' });
    open.push(h);
    await h.join();
    await runTable(h, [
      ['kyllä', { asks: 'city' }],
      ['Seinäjoelta', { asks: 'role', says: ['Kirjasin kaupungiksi: Seinäjoki'] }],
      ['1', { asks: 'strategy' }],
      ['1', { asks: 'responsibility' }],
      ['1', { asks: 'rpa' }],
      ['Meillä pyörii jo kuusi robottia laskutuksessa', { asks: 'challenges', says: ['Kirjasin: Tuotantokäytössä.', 'takaisin'] }],
      ['takaisin', { asks: 'rpa', says: ['Aiempi vastauksenne: Tuotantokäytössä'] }],
      ['3', { asks: 'challenges' }],
    ]);
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.rpa?.categories).toEqual(['piloting']);
  });
});

describe('answers that fit no category', () => {
  it('asks instead of noting a don\'t-know the respondent never said, and offers "don\'t know"', async () => {
    const h = await createHarness({ locale: 'fi-FI' });
    open.push(h);
    await h.join();
    await runTable(h, [
      ['kyllä', { asks: 'city' }],
      ['Oulu', { asks: 'role' }],
      // "muu" is the role option "Muu tehtävä", shortened.
      ['muu', { asks: 'strategy', not: ['ei osaa sanoa'] }],
    ]);
    // An answer to another question: nothing declines, nothing fits. All four options are offered.
    const pick = await h.say('Tampereelta');
    expect(askedQuestion(pick)).toBe('strategy');
    expect(textOf(pick)).not.toContain('ei osaa sanoa');
    expect(buttonsOf(pick)).toEqual([
      'Kyllä, yksi päätavoitteista',
      'Osa strategiaa, mutta ei päätavoite',
      'Erillisinä hankkeina, ei strategiassa',
      'Ei strategiassa',
      'Jotain muuta',
      'En osaa sanoa',
    ]);
    // The respondent's own choice: nothing to correct.
    await runTable(h, [['En osaa sanoa', { asks: 'responsibility', says: ['ei osaa sanoa'], not: ['takaisin'] }]]);
    // A decline in words is noted at once, without a pick; it is the bot's reading, so it says how to correct it.
    await runTable(h, [['en tiedä', { asks: 'rpa', says: ['ei osaa sanoa', 'takaisin'] }]]);
    // A bare "ei" is an answer, not a don't-know: which "no"? (rpa's no is clear: not considered.)
    await runTable(h, [['ei', { asks: 'challenges', says: ['Kirjasin: Ei huomioitu strategiassa'] }]]);
    await runTable(h, [['takaisin', { asks: 'rpa' }], ['takaisin', { asks: 'responsibility' }], ['takaisin', { asks: 'strategy' }]]);
    const no = await h.say('ei');
    expect(askedQuestion(no)).toBe('strategy');
    expect(textOf(no)).not.toContain('ei osaa sanoa');
    expect(buttonsOf(no)).toContain('Ei strategiassa');
    expect(buttonsOf(no)).not.toContain('Kyllä, yksi päätavoitteista');
    await runTable(h, [['Ei strategiassa', { asks: 'responsibility' }]]);

    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.role?.categories).toEqual(['other']);
    expect(stored?.answers.strategy).toMatchObject({ raw: 'ei', categories: ['not_in_strategy'], source: 'respondent' });
    expect(stored?.answers.responsibility).toMatchObject({ raw: 'en tiedä', categories: [], source: 'normaliser' });
  });
});
