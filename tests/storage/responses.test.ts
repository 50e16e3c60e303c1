import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { SurveyResponse } from '../../src/core/types.js';
import { responseId } from '../../src/core/ids.js';
import { responseFile } from '../../src/storage/layout.js';
import { closeTempDataDirs, openTemp } from './helpers.js';
import { currentVersion } from '../../src/storage/jsonFile.js';

afterEach(closeTempDataDirs);

function response(wave: string, userId: string, extra: Partial<SurveyResponse> = {}): SurveyResponse {
  const respondent = { channel: 'msteams', userId };
  return {
    id: responseId(wave, respondent),
    wave,
    respondent,
    language: 'fi',
    status: 'in_progress',
    questionnaireVersion: 1,
    startedAt: '2026-11-02T08:00:00.000Z',
    updatedAt: '2026-11-02T08:00:00.000Z',
    conversations: ['conv-1'],
    cursor: 0,
    answers: {},
    ...extra,
  };
}

describe('ResponseStore', () => {
  it('saves to responses/<wave>/<id>.json and gets it back by id', async () => {
    const { responses, dir } = await openTemp();
    const r = response('2026', 'user-1', {
      answers: {
        city: {
          question: 'city',
          raw: 'Tampere',
          categories: ['Tampere'],
          confidence: 1,
          source: 'respondent',
          lang: 'fi',
          answeredAt: '2026-11-02T08:01:00.000Z',
        },
      },
    });
    await responses.save(r);
    expect(JSON.parse(currentVersion(await readFile(responseFile(dir, '2026', r.id), 'utf8')).record)).toEqual(r);
    expect(await responses.get(r.id)).toEqual(r);
  });

  it('overwrites on save and stores a copy, not the caller object', async () => {
    const { responses } = await openTemp();
    const r = response('2026', 'user-1');
    await responses.save(r);
    r.cursor = 5;
    expect((await responses.get(r.id))?.cursor).toBe(0);
    await responses.save(r);
    expect((await responses.get(r.id))?.cursor).toBe(5);
  });

  it('lists one wave or all waves', async () => {
    const { responses } = await openTemp();
    const a = response('2026', 'a');
    const b = response('2026', 'b');
    const c = response('2018', 'c');
    await Promise.all([a, b, c].map((r) => responses.save(r)));
    const ids = (list: SurveyResponse[]) => list.map((r) => r.id).sort();
    expect(ids(await responses.list('2026'))).toEqual([a.id, b.id].sort());
    expect(ids(await responses.list('2018'))).toEqual([c.id]);
    expect(ids(await responses.list())).toEqual([a.id, b.id, c.id].sort());
    expect(await responses.list('2030')).toEqual([]);
  });

  it('finds responses whose ids do not start with their wave', async () => {
    const { responses } = await openTemp();
    await responses.save({ ...response('w-2', 'x'), id: 'plain-id' });
    expect((await responses.get('plain-id'))?.wave).toBe('w-2');
  });

  it('gets by id within a known wave without looking in the others', async () => {
    const { responses } = await openTemp();
    const r = response('2026', 'known-wave');
    await responses.save(r);
    expect((await responses.get(r.id, '2026'))?.respondent.userId).toBe('known-wave');
    expect(await responses.get(r.id, '2027')).toBeUndefined();
  });

  it('deletes by id; a missing id is fine', async () => {
    const { responses } = await openTemp();
    const r = response('2026', 'a');
    await responses.save(r);
    await responses.delete(r.id);
    await responses.delete('never-saved');
    expect(await responses.get(r.id)).toBeUndefined();
    expect(await responses.list('2026')).toEqual([]);
  });

  it('rejects wave and response ids that cannot be file names, with a clear error', async () => {
    const { responses } = await openTemp();
    for (const wave of ['../etc', 'a/b', '', 'x'.repeat(65), 'ä']) {
      await expect(responses.save({ ...response('2026', 'a'), wave })).rejects.toThrow(/Invalid wave id .*1 to 64 characters/);
      await expect(responses.list(wave)).rejects.toThrow(/Invalid wave id/);
    }
    for (const id of ['../../etc/passwd', 'a b', 'x\u0000y']) {
      await expect(responses.save({ ...response('2026', 'a'), id })).rejects.toThrow(/Invalid response id/);
      await expect(responses.get(id)).rejects.toThrow(/Invalid response id/);
      await expect(responses.delete(id)).rejects.toThrow(/Invalid response id/);
    }
  });

  it('concurrent saves of one response serialise and the last one wins', async () => {
    const { responses } = await openTemp();
    const base = response('2026', 'a');
    await Promise.all(Array.from({ length: 20 }, (_, i) => responses.save({ ...base, cursor: i })));
    expect((await responses.get(base.id))?.cursor).toBe(19);
  });
});
