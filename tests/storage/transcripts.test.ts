import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDir, type DataDir } from '../../src/storage/lowdbStore.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

const open: DataDir[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
  await removeTempDirs();
});

/** A data dir whose clock the test moves. */
async function openWithClock(start: string) {
  let now = new Date(start);
  const data = await openDataDir(join(await makeTempDir(), 'var'), { now: () => now });
  open.push(data);
  return { data, setNow: (iso: string) => (now = new Date(iso)) };
}

describe('TranscriptStore', () => {
  it('keeps c1 and c10 (ids sharing a prefix) and equal ids on different channels apart', async () => {
    const { data } = await openWithClock('2026-11-01T00:00:00Z');
    const t = data.transcripts;
    await t.append('msteams', 'c1', { text: 'one' });
    await t.append('msteams', 'c10', { text: 'ten' });
    await t.append('msteams', 'c1', { text: 'one again' });
    await t.append('directline', 'c1', { text: 'other channel' });
    expect(await t.get('msteams', 'c1')).toEqual([{ text: 'one' }, { text: 'one again' }]);
    expect(await t.get('msteams', 'c10')).toEqual([{ text: 'ten' }]);
    expect(await t.get('directline', 'c1')).toEqual([{ text: 'other channel' }]);
    await t.delete('msteams', 'c1');
    expect(await t.get('msteams', 'c1')).toEqual([]);
    expect(await t.get('msteams', 'c10')).toEqual([{ text: 'ten' }]);
  });

  it('keeps every activity of concurrent appends, in call order', async () => {
    const { data } = await openWithClock('2026-11-01T00:00:00Z');
    await Promise.all(Array.from({ length: 30 }, (_, i) => data.transcripts.append('webchat', 'conv', { i })));
    expect((await data.transcripts.get('webchat', 'conv')).map((a) => a.i)).toEqual([...Array(30).keys()]);
  });

  it('prune deletes only transcripts whose last activity is older than the cut-off', async () => {
    const { data, setNow } = await openWithClock('2025-01-01T00:00:00Z');
    const t = data.transcripts;
    await t.append('msteams', 'old', { text: 'a year ago' });
    await t.append('msteams', 'revived', { text: 'a year ago' });
    setNow('2026-03-01T00:00:00Z');
    await t.append('msteams', 'revived', { text: 'recent' });
    await t.append('msteams', 'new', { text: 'recent' });

    expect(await t.prune(new Date('2026-01-01T00:00:00Z'))).toBe(1);
    expect(await t.get('msteams', 'old')).toEqual([]);
    expect(await t.get('msteams', 'revived')).toHaveLength(2);
    expect(await t.get('msteams', 'new')).toHaveLength(1);
    expect(await readdir(join(data.dir, 'transcripts'))).toHaveLength(2);
    expect(await t.prune(new Date('2026-01-01T00:00:00Z'))).toBe(0);
  });

  it('rejects empty ids and non-object activities', async () => {
    const { data } = await openWithClock('2026-11-01T00:00:00Z');
    await expect(data.transcripts.append('', 'c', {})).rejects.toThrow(/non-empty channel id and conversation id/);
    await expect(data.transcripts.get('msteams', '')).rejects.toThrow(/non-empty/);
    await expect(data.transcripts.append('msteams', 'c', null as never)).rejects.toThrow(/activity object/);
    await expect(data.transcripts.prune(new Date('nonsense'))).rejects.toThrow(/valid Date/);
  });
});
