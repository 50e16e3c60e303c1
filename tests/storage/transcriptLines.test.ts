import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { legacyTranscriptFile, transcriptFile } from '../../src/storage/layout.js';
import { openDataDir, type DataDir } from '../../src/storage/lowdbStore.js';
import { scanDataDir } from '../../src/storage/scan.js';
import { CorruptDataFileError } from '../../src/storage/types.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

const opened: DataDir[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
  await removeTempDirs();
});

async function openAt(dir: string, now = () => new Date('2026-11-28T09:00:00Z')) {
  const data = await openDataDir(dir, { now });
  opened.push(data);
  return data;
}

const linesOf = async (file: string) => (await readFile(file, 'utf8')).split('\n');

describe('transcripts as JSON Lines', () => {
  it('append to the file without rewriting what is there', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openAt(dir);
    const file = transcriptFile(dir, 'msteams', 'c1');
    await data.transcripts.append('msteams', 'c1', { text: 'hei' });
    const before = await readFile(file, 'utf8');
    const { ino } = await stat(file);
    await data.transcripts.append('msteams', 'c1', { text: 'kiitos 🙂 äö' });
    const after = await readFile(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect((await stat(file)).ino).toBe(ino);
    expect(after.slice(before.length)).toBe('{"at":"2026-11-28T09:00:00.000Z","activity":{"text":"kiitos 🙂 äö"}}\n');
  });

  it('ignore a last line a crash cut short, and cut it off at the next append', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openAt(dir);
    const file = transcriptFile(dir, 'msteams', 'c1');
    await data.transcripts.append('msteams', 'c1', { text: 'hyvää päivää' });
    await data.close();
    // Half a line, cut inside the two bytes of an "ä": a write the crash interrupted.
    const line = Buffer.from('{"at":"2026-11-28T09:01:00.000Z","activity":{"text":"päivä"}}\n', 'utf8');
    await appendFile(file, line.subarray(0, line.indexOf('ä') + 1));

    const report = await scanDataDir(dir);
    expect(report.corrupt).toEqual([]);
    const reopened = await openAt(dir);
    expect(await reopened.transcripts.get('msteams', 'c1')).toEqual([{ text: 'hyvää päivää' }]);
    await reopened.transcripts.append('msteams', 'c1', { text: 'jatketaan' });
    expect(await reopened.transcripts.get('msteams', 'c1')).toEqual([{ text: 'hyvää päivää' }, { text: 'jatketaan' }]);
    const lines = await linesOf(file);
    expect(lines.pop()).toBe('');
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(lines).toHaveLength(3);
  });

  it('treat a file whose first line was cut short as empty, and start it again', async () => {
    const dir = join(await makeTempDir(), 'var');
    const file = transcriptFile(dir, 'webchat', 'c2');
    await mkdir(join(dir, 'transcripts'), { recursive: true });
    await writeFile(file, '{"channel":"web');
    const data = await openAt(dir);
    expect(await data.transcripts.get('webchat', 'c2')).toEqual([]);
    await data.transcripts.append('webchat', 'c2', { text: 'a' });
    expect(JSON.parse((await linesOf(file))[0] as string)).toEqual({ channel: 'webchat', conversationId: 'c2' });
    expect(await data.transcripts.get('webchat', 'c2')).toEqual([{ text: 'a' }]);
  });

  it('refuse a damaged line anywhere else, naming the file and the line, and never write to it', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openAt(dir);
    const file = transcriptFile(dir, 'msteams', 'c1');
    await data.transcripts.append('msteams', 'c1', { text: 'one' });
    await data.transcripts.append('msteams', 'c1', { text: 'two' });
    const lines = await linesOf(file);
    lines[1] = '{"at":"2026-11-28T09:00:00.000Z","activity":{"text":"on';
    const damaged = lines.join('\n');
    await writeFile(file, damaged);
    await expect(data.transcripts.append('msteams', 'c1', { text: 'three' })).rejects.toBeInstanceOf(CorruptDataFileError);
    await expect(data.transcripts.get('msteams', 'c1')).rejects.toThrow(/line 2/);
    expect(await readFile(file, 'utf8')).toBe(damaged);
    await data.close();
    const report = await scanDataDir(dir);
    expect(report.corrupt).toEqual([{ file, reason: expect.stringMatching(/^line 2: /) }]);
    await expect(openDataDir(dir)).rejects.toThrow(file);
    // Text that is not the start of a line is damage too, even without a newline after it.
    await writeFile(file, 'garbage');
    expect((await scanDataDir(dir)).corrupt).toHaveLength(1);
  });

  it('read a transcript an earlier version wrote as one JSON file, and move it to JSON Lines at the next append', async () => {
    const dir = join(await makeTempDir(), 'var');
    const legacy = legacyTranscriptFile(dir, 'msteams', 'old');
    await mkdir(join(dir, 'transcripts'), { recursive: true });
    const record = { channel: 'msteams', conversationId: 'old', updatedAt: '2026-01-02T03:04:05.000Z', activities: [{ text: 'a' }, { text: 'b' }] };
    await writeFile(legacy, JSON.stringify(record, null, 2));
    const data = await openAt(dir);
    expect(await data.transcripts.get('msteams', 'old')).toEqual([{ text: 'a' }, { text: 'b' }]);
    await data.transcripts.append('msteams', 'old', { text: 'c' });
    expect(await data.transcripts.get('msteams', 'old')).toEqual([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    await expect(stat(legacy)).rejects.toMatchObject({ code: 'ENOENT' });
    const lines = (await linesOf(transcriptFile(dir, 'msteams', 'old'))).filter(Boolean).map((l) => JSON.parse(l) as { at?: string });
    expect(lines.map((l) => l.at)).toEqual([undefined, record.updatedAt, record.updatedAt, '2026-11-28T09:00:00.000Z']);
    expect((await scanDataDir(dir)).corrupt).toEqual([]);
  });

  it('look for an old-format transcript only when the start-up scan found some', async () => {
    const dir = join(await makeTempDir(), 'var');
    let data = await openAt(dir);
    expect((await scanDataDir(dir)).legacyTranscripts).toBe(0);
    let misses = data.files.stats().misses;
    await data.transcripts.append('webchat', 'new-1', { text: 'hei' });
    // No read of a `.json` that cannot exist (a missing-file read is a thread-pool trip).
    expect(data.files.stats().misses).toBe(misses);
    await data.close();

    const record = { channel: 'webchat', conversationId: 'old', updatedAt: '2025-01-01T00:00:00.000Z', activities: [{ text: 'a' }] };
    await writeFile(legacyTranscriptFile(dir, 'webchat', 'old'), JSON.stringify(record));
    expect((await scanDataDir(dir)).legacyTranscripts).toBe(1);
    data = await openAt(dir);
    misses = data.files.stats().misses;
    await data.transcripts.append('webchat', 'new-2', { text: 'hei' });
    expect(data.files.stats().misses).toBe(misses + 1);
    await data.transcripts.append('webchat', 'old', { text: 'b' });
    expect(await data.transcripts.get('webchat', 'old')).toEqual([{ text: 'a' }, { text: 'b' }]);
    await data.close();
  });

  it('prune and delete old-format transcripts too', async () => {
    const dir = join(await makeTempDir(), 'var');
    await mkdir(join(dir, 'transcripts'), { recursive: true });
    for (const id of ['x', 'y']) {
      const record = { channel: 'webchat', conversationId: id, updatedAt: '2025-01-01T00:00:00.000Z', activities: [{ text: id }] };
      await writeFile(legacyTranscriptFile(dir, 'webchat', id), JSON.stringify(record));
    }
    const data = await openAt(dir);
    await data.transcripts.append('webchat', 'z', { text: 'new' });
    await data.transcripts.delete('webchat', 'x');
    await expect(stat(legacyTranscriptFile(dir, 'webchat', 'x'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await data.transcripts.prune(new Date('2026-01-01T00:00:00Z'))).toBe(1);
    expect(await data.transcripts.get('webchat', 'y')).toEqual([]);
    expect(await data.transcripts.get('webchat', 'z')).toEqual([{ text: 'new' }]);
  });
});

describe('a transcript directory removed while the bot runs', () => {
  it('is created again at the next append', async () => {
    const { rm } = await import('node:fs/promises');
    const dir = join(await makeTempDir(), 'var');
    const data = await openAt(dir);
    await data.transcripts.append('msteams', 'c1', { text: 'one' });
    await rm(join(dir, 'transcripts'), { recursive: true, force: true });
    await data.transcripts.append('msteams', 'c1', { text: 'two' });
    expect(await data.transcripts.get('msteams', 'c1')).toEqual([{ text: 'two' }]);
  });
});
