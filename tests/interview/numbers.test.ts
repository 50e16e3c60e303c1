/**
 * Option numbers as respondents type them: lists, ranges, "all of them", and numbers that are not
 * options, which get a clear word instead of being read as a don't-know.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Question } from '../../src/core/types.js';
import { pickByNumbers } from '../../src/interview/interpret.js';
import { askedQuestion, createHarness, removeDir, runTable, type Harness } from '../helpers/surveyHarness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.close();
    await removeDir(h.dir);
  }
});

const multi: Question = { id: 'challenges', type: 'multi', categories: ['a', 'b', 'c', 'd', 'e'] } as Question;
const single: Question = { id: 'rpa', type: 'single', categories: ['w', 'x', 'y', 'z'] } as Question;

describe('pickByNumbers', () => {
  it.each([
    ['2', ['b']],
    ['1, 4 ja 5', ['a', 'd', 'e']],
    ['1-3', ['a', 'b', 'c']],
    ['1–2, 5', ['a', 'b', 'e']],
    ['2 - 4', ['b', 'c', 'd']],
    ['3.', ['c']],
    ['5-3', ['c', 'd', 'e']],
  ])('%j → %j', (text, expected) => {
    expect(pickByNumbers(multi, text)).toEqual(expected);
  });

  it.each([['0'], ['6'], ['1, 7'], ['4-8'], ['kaksi'], ['2016']])('%j is not a list of these options', (text) => {
    expect(pickByNumbers(multi, text)).toBeUndefined();
  });

  it('takes one number for a single-choice question', () => {
    expect(pickByNumbers(single, '3')).toEqual(['y']);
    expect(pickByNumbers(single, '2-3')).toBeUndefined();
  });
});

describe('numbers in the interview', () => {
  it('says which numbers exist instead of noting a don\'t-know, and takes ranges and "kaikki"', async () => {
    const h = await createHarness({ locale: 'fi-FI' });
    open.push(h);
    await h.join();
    await runTable(h, [
      ['kyllä', { asks: 'city' }],
      ['Lahti', { asks: 'role' }],
      ['7', { asks: 'role', says: ['numeroilla 1–6'], not: ['ei osaa sanoa'] }],
      ['2', { asks: 'strategy' }],
      ['1', { asks: 'responsibility' }],
      ['1', { asks: 'rpa' }],
      ['3', { asks: 'challenges' }],
      ['1, 4 ja 12', { asks: 'challenges', says: ['1–10'], not: ['ei osaa sanoa'] }],
      ['2-4', { asks: 'projects' }],
      ['kaikki', { asks: 'sote_impact' }],
    ]);
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.challenges?.categories).toEqual(['competence_resources', 'agility', 'integrations']);
    // Every real option, not "Muu".
    expect(stored?.answers.projects?.categories).toHaveLength(8);
    expect(stored?.answers.projects?.categories).not.toContain('other');
    expect(askedQuestion(await h.say('0'))).toBe('sote_impact');
  });
});

describe('going to a question by its number', () => {
  it('moves back to a question reached, not ahead of the answers; from the summary it changes that answer', async () => {
    const h = await createHarness({ locale: 'fi-FI' });
    open.push(h);
    await h.join();
    await runTable(h, [
      ['kyllä', { asks: 'city' }],
      ['Espoo', { asks: 'role' }],
      ['2', { asks: 'strategy' }],
      ['kysymys 9', { asks: 'strategy', says: ['Kysymykseen 9 pääsette'] }],
      ['kysymys 12', { asks: 'strategy', says: ['Kysymyksiä on 10'] }],
      ['kysymys 1', { asks: 'city', says: ['Aiempi vastauksenne: Espoo'] }],
      ['Espoo', { asks: 'role' }],
    ]);
    for (const answer of ['2', '1', '1', '1', '1', '1', '1', '1']) await h.say(answer);
    await runTable(h, [['ohita', { asks: 'submit' }]]);
    // From the summary: question 1 to change, and there "kysymys 6" goes to question 6 instead of
    // being read as an answer to question 1 (it was once noted as the city's don't-know).
    await runTable(h, [
      ['1', { asks: 'city' }],
      ['kysymys 6', { asks: 'challenges', not: ['ei osaa sanoa'] }],
      ['8', { asks: 'submit' }],
    ]);
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.city?.categories).toEqual(['Espoo']);
    expect(stored?.answers.challenges?.categories).toEqual(['funding']);
  });
});

