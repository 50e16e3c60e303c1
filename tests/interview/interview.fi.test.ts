import { afterEach, describe, expect, it } from 'vitest';
import { responseId } from '../../src/core/ids.js';
import { askedQuestion, buttonsOf, createHarness, removeDir, runTable, textOf, type Harness } from '../helpers/surveyHarness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.close();
    await removeDir(h.dir);
  }
});

async function harness(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  const h = await createHarness(options);
  open.push(h);
  return h;
}

describe('a whole interview in Finnish', () => {
  it('greets, asks consent, takes every question with commands, and submits', async () => {
    const h = await harness({ locale: 'fi-FI' });
    const greeting = await h.join();
    expect(textOf(greeting)).toContain('Hyvää päivää');
    expect(textOf(greeting)).toContain('Tietosuoja');
    expect(askedQuestion(greeting)).toBe('consent');
    expect(buttonsOf(greeting)).toEqual(['Kyllä', 'Ei', 'In English']);

    await runTable(h, [
      ['joo', { asks: 'city', says: ['Kysymys 1/10', 'Mitä kaupunkia'] }],
      ['Lahdessa', { asks: 'role', says: ['Kirjasin kaupungiksi: Lahti', 'Kysymys 2/10'] }],
      ['2', { asks: 'strategy', not: ['Kirjasin'] }],
      ['apua', { asks: 'strategy', says: ['takaisin', 'ohita', 'tauko'] }],
      ['Kyllä, yksi päätavoitteista', { asks: 'responsibility' }],
      ['takaisin', { asks: 'strategy', says: ['Palataan kysymykseen 3/10', 'Aiempi vastauksenne: Kyllä, yksi päätavoitteista'] }],
      ['2', { asks: 'responsibility', says: ['Kysymys 4/10'] }],
      ['in English', { asks: 'responsibility', says: ['continue in English', 'Who primarily leads digitalisation'] }],
      ['IT management', { asks: 'rpa', says: ['Question 5/10'] }],
      ['suomeksi', { asks: 'rpa', says: ['jatketaan suomeksi', 'ohjelmistorobotiikan'] }],
      ['tilanne', { asks: 'rpa', says: ['Vastattu 4/10', 'Ohjelmistorobotiikka'] }],
      ['3', { asks: 'challenges', says: ['1. Muutoksen johtaminen', '4. Järjestelmäintegraatiot'] }],
      ['1, 4 ja 8', { asks: 'projects' }],
      ['ohita', { asks: 'sote_impact', says: ['Ohitettu'] }],
      ['tauko', { says: ['Vastauksenne on tallennettu'] }],
      ['hei taas', { asks: 'sote_impact', says: ['Tervetuloa takaisin', 'kysymys 8/10'] }],
      ['1 ja 4', { asks: 'goals' }],
      ['2', { asks: 'comments' }],
      ['Kiitos kyselystä 😀 — hyvä aihe!', { asks: 'submit', says: ['Yhteenveto', '1. Kaupunki: Lahti', '2. Tehtävä: Tietohallintojohtaja (CIO)', '(ohitettu)'] }],
      ['muuta vastausta', { asks: 'change' }],
      ['2', { asks: 'role', says: ['Aiempi vastauksenne: Tietohallintojohtaja (CIO)'] }],
      ['Kaupunginjohtaja tai pormestari', { asks: 'submit', says: ['2. Tehtävä: Kaupunginjohtaja tai pormestari'] }],
      // Edited from the summary in own words: noted, without the flow's "takaisin" (the summary follows).
      ['muuta vastausta', { asks: 'change' }],
      ['3', { asks: 'strategy' }],
      ['se on yksi strategian päätavoitteista', { asks: 'submit', says: ['Kirjasin: Kyllä, yksi päätavoitteista', '3. Digitalisaatio strategiassa: Kyllä'], not: ['takaisin'] }],
      ['Lähetä', { asks: 'submitted', says: ['Vastauksenne on lähetetty'] }],
    ]);

    const stored = await h.data.responses.get(responseId('2026', { channel: 'test', userId: 'user-1' }));
    expect(stored?.status).toBe('submitted');
    expect(stored?.wave).toBe('2026');
    expect(stored?.language).toBe('fi');
    expect(stored?.consent?.given).toBe(true);
    expect(stored?.answers.city).toMatchObject({ raw: 'Lahdessa', categories: ['Lahti'], source: 'normaliser' });
    expect(stored?.answers.city?.confidence).toBeGreaterThan(0.5);
    expect(stored?.answers.role).toMatchObject({ categories: ['mayor'], source: 'respondent', confidence: 1 });
    expect(stored?.answers.strategy).toMatchObject({ categories: ['main_goal'], source: 'normaliser' });
    expect(stored?.answers.responsibility?.categories).toEqual(['it_management']);
    expect(stored?.answers.rpa?.categories).toEqual(['piloting']);
    expect(stored?.answers.challenges?.categories).toEqual(['change_management', 'integrations', 'funding']);
    expect(stored?.answers.projects).toMatchObject({ skipped: true, categories: [] });
    expect(stored?.answers.sote_impact?.categories).toEqual(['resources', 'uncertainty']);
    expect(stored?.answers.goals?.categories).toEqual(['efficiency']);
    expect(stored?.answers.comments?.raw).toBe('Kiitos kyselystä 😀 — hyvä aihe!');

    // Writing again while the wave is open offers to view or amend the submission.
    await runTable(h, [
      ['moi', { asks: 'submitted', says: ['Olette jo vastanneet'] }],
      ['Näytä vastaukset', { says: ['Vastauksenne:', '1. Kaupunki: Lahti'] }],
      ['Muuta vastauksia', { asks: 'submit', says: ['Yhteenveto'] }],
      ['3', { asks: 'strategy' }],
      ['1', { asks: 'submit', says: ['3. Digitalisaatio strategiassa: Kyllä, yksi päätavoitteista'] }],
      ['kyllä', { asks: 'submitted', says: ['Muutokset on tallennettu'] }],
    ]);
    const amended = await h.data.responses.get(responseId('2026', { channel: 'test', userId: 'user-1' }));
    expect(amended?.status).toBe('submitted');
    expect(amended?.amendedAt).toBeTruthy();
    expect(amended?.answers.strategy?.categories).toEqual(['main_goal']);
  });

  it('stores nothing without consent', async () => {
    const h = await harness();
    await h.join();
    await runTable(h, [
      ['en osaa sanoa', { asks: 'consent', says: ['kyllä tai ei'] }],
      ['ei', { says: ['emme tallenna mitään'] }],
    ]);
    expect(await h.data.responses.list()).toEqual([]);
    // Writing again shows the whole notice again; still nothing is stored until "kyllä".
    await runTable(h, [['aloita', { asks: 'consent', says: ['Hyvää päivää', 'Tietosuoja'] }]]);
    expect(await h.data.responses.list()).toEqual([]);
    // A yes right after a no counts ("no" is Finnish "well" here): the notice was just shown.
    await runTable(h, [
      ['ei', { says: ['emme tallenna mitään'] }],
      ['no okei sitten, kyllä', { asks: 'city', not: ['Hyvää päivää'] }],
    ]);
    expect(await h.data.responses.list()).toHaveLength(1);
  });

  it('declines Swedish politely and offers Finnish or English', async () => {
    const h = await harness();
    await h.join();
    await runTable(h, [
      ['joo', { asks: 'city' }],
      ['på svenska', { asks: 'language', says: ['Tyvärr'] }],
      ['In English', { asks: 'city', says: ['Which city'] }],
    ]);
  });

  it('switches language on a polite request in a sentence, without taking it for an answer', async () => {
    const h = await harness({ locale: 'fi-FI' });
    await h.join();
    await runTable(h, [
      ['joo', { asks: 'city' }],
      ['Tampere', { asks: 'role' }],
      ['2', { asks: 'strategy' }],
      ['1', { asks: 'responsibility' }],
      ['1', { asks: 'rpa' }],
      ['1', { asks: 'challenges' }],
      ['Could we continue in English please?', { asks: 'challenges', says: ['continue in English', 'biggest digitalisation challenges'], not: ['noted'] }],
      ['voisitteko kysyä suomeksi', { asks: 'challenges', says: ['jatketaan suomeksi'] }],
    ]);
    const stored = await h.data.responses.get(responseId('2026', { channel: 'test', userId: 'user-1' }));
    expect(stored?.answers.challenges).toBeUndefined();
  });

  it('restarts only after confirmation', async () => {
    const h = await harness();
    await h.join();
    await runTable(h, [
      ['kyllä', { asks: 'city' }],
      ['Tampere', { asks: 'role' }],
      ['aloita alusta', { asks: 'restart', says: ['aloittaa alusta'] }],
      ['ei', { asks: 'role', says: ['jatketaan'] }],
      ['aloita alusta', { asks: 'restart' }],
      ['kyllä', { asks: 'city', says: ['Aloitetaan alusta', 'Kysymys 1/10'] }],
    ]);
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers).toEqual({});
  });
});
