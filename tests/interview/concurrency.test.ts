import { afterEach, describe, expect, it } from 'vitest';
import { questionnaire } from '../../src/core/questionnaire.js';
import { InterviewService } from '../../src/interview/service.js';
import { openDataDir, type DataDir } from '../../src/storage/lowdbStore.js';
import { loadWaves } from '../../src/waves/registry.js';
import { removeDir, tempDir } from '../helpers/surveyHarness.js';

let data: DataDir | undefined;
let dir = '';
afterEach(async () => {
  await data?.close();
  if (dir) await removeDir(dir);
});

describe('the bot and staff changing one interview at the same time', () => {
  it('keeps a staff recode saved while the bot was between reading and saving', async () => {
    dir = await tempDir();
    data = await openDataDir(dir);
    const service = new InterviewService({ responses: data.responses, waves: loadWaves(dir), questionnaire: questionnaire() });
    const respondent = { channel: 'test', userId: 'u' };
    let turnCopy = await service.start(respondent, 'fi', 'c1');
    turnCopy = await service.answer(turnCopy, { question: 'city', raw: 'Lahdessa', categories: ['Lahti'], confidence: 0.9, source: 'normaliser', lang: 'fi' }, { advance: true });

    // Staff recode the city while the bot holds its copy of the interview.
    await data.responses.update(turnCopy.wave, turnCopy.id, (current) => {
      current!.answers.city = { ...current!.answers.city!, categories: ['Lahti'], source: 'staff', recodes: [{ by: 'anna', at: 'now', from: ['Lahti'], to: ['Lahti'] }] };
      return current;
    });

    // The bot saves the next answer from its (older) copy.
    const after = await service.answer(turnCopy, { question: 'role', raw: '1', categories: ['mayor'], confidence: 1, source: 'respondent', lang: 'fi' }, { advance: true });
    const stored = await data.responses.get(turnCopy.id);
    expect(stored?.answers.city?.source).toBe('staff');
    expect(stored?.answers.city?.recodes).toHaveLength(1);
    expect(stored?.answers.role?.categories).toEqual(['mayor']);
    expect(after.answers.city?.source).toBe('staff');
  });

  it('writes nothing to an interview the respondent erased meanwhile', async () => {
    dir = await tempDir();
    data = await openDataDir(dir);
    const service = new InterviewService({ responses: data.responses, waves: loadWaves(dir), questionnaire: questionnaire() });
    const respondent = { channel: 'test', userId: 'u2' };
    const copy = await service.start(respondent, 'en', 'c1');
    await service.erase(respondent, ['2026']);
    await service.answer(copy, { question: 'city', raw: 'Espoo', categories: ['Espoo'], confidence: 1, source: 'respondent', lang: 'en' }, { advance: true });
    const stored = await data.responses.get(copy.id);
    expect(stored?.status).toBe('withdrawn');
    expect(stored?.answers).toEqual({});
    expect(stored?.respondent.userId).toBe('erased');
  });
});
