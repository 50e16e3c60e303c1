import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateFile, transcriptFile } from '../../src/storage/layout.js';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { eTagConflictMessage } from '../../src/storage/keyValueStore.js';
import { makeTempDir, removeTempDirs } from './helpers.js';
import { currentVersion } from '../../src/storage/jsonFile.js';

afterEach(removeTempDirs);

async function open(cache?: { maxEntries?: number; maxBytes?: number }) {
  return openDataDir(join(await makeTempDir(), 'var'), { cache });
}

describe('the data-file cache', () => {
  it('serves repeated reads from memory, each caller getting its own object', async () => {
    const data = await open();
    await data.state.write({ k: { v: 1, nested: { list: [1] } } });
    const before = data.files.stats();
    const a = (await data.state.read(['k'])).k as { nested: { list: number[] } };
    const b = (await data.state.read(['k'])).k as { nested: { list: number[] } };
    a.nested.list.push(2);
    expect(b.nested.list).toEqual([1]);
    expect(data.files.stats().hits - before.hits).toBe(2);
    expect(data.files.stats().misses).toBe(before.misses);
    await data.close();
  });

  it('remembers that a key is missing, and forgets it once written', async () => {
    const data = await open();
    expect(await data.state.read(['nobody'])).toEqual({});
    const misses = data.files.stats().misses;
    expect(await data.state.read(['nobody'])).toEqual({});
    expect(data.files.stats().misses).toBe(misses);
    await data.state.write({ nobody: { v: 3 } });
    expect((await data.state.read(['nobody'])).nobody).toMatchObject({ v: 3 });
    await data.state.delete(['nobody']);
    expect(await data.state.read(['nobody'])).toEqual({});
    await data.close();
  });

  it('stays within its entry and byte limits, least recently used out first', async () => {
    const data = await open({ maxEntries: 3, maxBytes: 10_000 });
    for (const key of ['a', 'b', 'c', 'd']) await data.state.write({ [key]: { v: key } });
    expect(data.files.stats().entries).toBe(3);
    const misses = data.files.stats().misses;
    await data.state.read(['a']);
    expect(data.files.stats().misses).toBe(misses + 1);
    await data.state.write({ big: { v: 'x'.repeat(9_000) } });
    expect(data.files.stats().bytes).toBeLessThanOrEqual(10_000);
    // Evicted keys are read again from disk, intact.
    expect((await data.state.read(['b'])).b).toMatchObject({ v: 'b' });
    await data.close();
  });

  it('sees a valid change made behind its back before writing, so eTags still protect it', async () => {
    const data = await open();
    await data.state.write({ k: { v: 1 } });
    const { k } = await data.state.read(['k']);
    const file = stateFile(data.dir, 'k');
    const record = JSON.parse(currentVersion(await readFile(file, 'utf8')).record) as { item: { eTag: string } };
    record.item.eTag = 'changed-elsewhere';
    await writeFile(file, JSON.stringify(record));
    await expect(data.state.write({ k: { ...k, v: 2 } })).rejects.toThrow(eTagConflictMessage('k'));
    await data.state.write({ k: { v: 3, eTag: 'changed-elsewhere' } });
    expect((await data.state.read(['k'])).k).toMatchObject({ v: 3 });
    await data.close();
  });
});

describe('a file replaced or removed behind its back while the bot keeps it open', () => {
  it('is noticed when replaced by a rename (the kept-open descriptor names an unlinked file)', async () => {
    const data = await open();
    await data.state.write({ k: { v: 1 } });
    expect(data.files.openRecords).toBeGreaterThan(0);
    const file = stateFile(data.dir, 'k');
    const record = JSON.parse(currentVersion(await readFile(file, 'utf8')).record) as { item: { eTag: string } };
    // An editor's save: a new file renamed over the old one, same size, its own eTag.
    record.item.eTag = record.item.eTag.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
    await writeFile(`${file}.new`, `${JSON.stringify(record)}\n`);
    await rename(`${file}.new`, file);
    const { k } = await data.state.read(['k']);
    await expect(data.state.write({ k: { ...k, v: 2 } })).rejects.toThrow(eTagConflictMessage('k'));
    await data.state.write({ k: { v: 3, eTag: record.item.eTag } });
    expect(JSON.parse(currentVersion(await readFile(file, 'utf8')).record)).toMatchObject({ item: { v: 3 } });
    await data.close();
  });

  it('is noticed when removed: a conditional write then conflicts, an unconditional one recreates it', async () => {
    const data = await open();
    await data.state.write({ k: { v: 1 } });
    const { k } = await data.state.read(['k']);
    const file = stateFile(data.dir, 'k');
    await unlink(file);
    await expect(data.state.write({ k: { ...k, v: 2 } })).rejects.toThrow(eTagConflictMessage('k'));
    await data.state.write({ k: { v: 3 } });
    expect(JSON.parse(currentVersion(await readFile(file, 'utf8')).record)).toMatchObject({ item: { v: 3 } });
    await data.close();
  });

  it('a transcript replaced by a rename is appended to at its new file, not the unlinked one', async () => {
    const data = await open();
    await data.transcripts.append('webchat', 'c9', { text: 'first' });
    const file = transcriptFile(data.dir, 'webchat', 'c9');
    const text = await readFile(file, 'utf8');
    await writeFile(`${file}.new`, text);
    await rename(`${file}.new`, file);
    await data.transcripts.append('webchat', 'c9', { text: 'second' });
    expect((await data.transcripts.get('webchat', 'c9')).map((a) => a.text)).toEqual(['first', 'second']);
    await data.close();
  });
});

describe('state eTags', () => {
  it('are checked against a record whose eTag is not last (an older writer, an edit by hand)', async () => {
    const data = await open();
    await data.state.write({ k: { v: 1 } });
    const file = stateFile(data.dir, 'k');
    await writeFile(file, JSON.stringify({ key: 'k', item: { eTag: 'by-hand', v: 1, nested: { eTag: 'not-this-one' } } }));
    await expect(data.state.write({ k: { v: 2, eTag: 'not-this-one' } })).rejects.toThrow(eTagConflictMessage('k'));
    await data.state.write({ k: { v: 3, eTag: 'by-hand' } });
    const stored = JSON.parse(currentVersion(await readFile(file, 'utf8')).record) as { item: Record<string, unknown> };
    expect(stored.item).toMatchObject({ v: 3 });
    expect(Object.keys(stored.item).at(-1)).toBe('eTag');
    await data.close();
  });
});

describe('transcript appends', () => {
  it('share one write when they arrive together, keeping their order', async () => {
    const data = await open();
    const file = transcriptFile(data.dir, 'webchat', 'c1');
    await data.transcripts.append('webchat', 'c1', { text: 'first' });
    const misses = data.files.stats().misses;
    // Like the transcript logger at the end of a turn: all of a turn's activities at once.
    await Promise.all(['a', 'b', 'c', 'd'].map((text) => data.transcripts.append('webchat', 'c1', { text })));
    const texts = (await data.transcripts.get('webchat', 'c1')).map((a) => a.text);
    expect(texts).toEqual(['first', 'a', 'b', 'c', 'd']);
    // JSON Lines: the header, then one line per activity, whole lines only.
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(JSON.parse(lines[0] as string)).toEqual({ channel: 'webchat', conversationId: 'c1' });
    expect(lines.slice(1).map((l) => (JSON.parse(l) as { activity: { text: string } }).activity.text)).toEqual(texts);
    // Appends never go through the text cache.
    expect(data.files.stats().misses).toBe(misses);
    await data.close();
  });

  it('does not lose appends that arrive while a write is running', async () => {
    const data = await open();
    const all: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      all.push(data.transcripts.append('webchat', 'c2', { text: String(i) }));
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    const texts = (await data.transcripts.get('webchat', 'c2')).map((a) => a.text);
    expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    await data.close();
    const reopened = await openDataDir(data.dir);
    expect((await reopened.transcripts.get('webchat', 'c2')).length).toBe(50);
    await reopened.close();
  });
});

describe('synchronous small writes', () => {
  it('still let timers run between the writes of a tight loop', async () => {
    const data = await open();
    await data.state.write({ k: { i: 0 } });
    await data.transcripts.append('webchat', 'loop', { i: 0 });
    for (const write of [(i: number) => data.state.write({ k: { i } }), (i: number) => data.transcripts.append('webchat', 'loop', { i })]) {
      let fired = false;
      setTimeout(() => (fired = true), 0);
      let writes = 0;
      // Cache hits and synchronous system calls only: without a yield this loop would run to
      // its end before the timer.
      while (!fired && writes < 500) await write(++writes);
      expect(fired).toBe(true);
      expect(writes).toBeLessThan(500);
    }
    expect((await data.state.read(['k'])).k).toMatchObject({ i: expect.any(Number) });
    await data.close();
  });
});

describe('durable saves at once', () => {
  it('share the answer journal\'s flushes, and every one is in its file when it resolves', async () => {
    const data = await open();
    const response = (i: number) =>
      ({ id: `w1-r${i}`, wave: 'w1', respondent: { channel: 'msteams', userId: `u${i}` }, answers: {}, cursor: i }) as never;
    await data.responses.save(response(0));
    const before = data.journal.flushes;
    const count = 40;
    await Promise.all(Array.from({ length: count }, (_, i) => data.responses.save(response(i + 1))));
    const flushes = data.journal.flushes - before;
    expect(flushes).toBeGreaterThan(0);
    expect(flushes).toBeLessThan(count);
    for (let i = 1; i <= count; i++) {
      const onDisk = JSON.parse(currentVersion(await readFile(join(data.dir, 'responses', 'w1', `w1-r${i}.json`), 'utf8')).record) as { cursor: number };
      expect(onDisk.cursor).toBe(i);
    }
    await data.close();
  });
});
