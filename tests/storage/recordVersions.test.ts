/**
 * Record files written by appending versions (DataFiles.writeText): one version per line, the
 * last whole line current; rewritten whole when they grow, when erased, and whenever the file is
 * not the one this process last wrote. Real files in a temp DATA_DIR.
 */
import { appendFile, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentVersion } from '../../src/storage/jsonFile.js';
import { responseFile, stateFile, transcriptFile } from '../../src/storage/layout.js';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { scanDataDir } from '../../src/storage/scan.js';
import { CorruptDataFileError } from '../../src/storage/types.js';
import { commentResponse, makeTempDir, removeTempDirs } from './helpers.js';

afterEach(removeTempDirs);

const lines = async (file: string): Promise<string[]> => (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');

const response = commentResponse;

describe('currentVersion', () => {
  it.each([
    ['{"a":1}', '{"a":1}', 7],
    ['{"a":1}\n', '{"a":1}', 8],
    ['{"a":1}\n{"a":2}\n', '{"a":2}', 16],
    ['{"a":1}\n{"a":2}\n{"a":', '{"a":2}', 16],
    ['{"a":1}\n{"a"', '{"a":1}', 8],
  ])('%j → %j (whole for %i characters)', (text, record, wholeLength) => {
    expect(currentVersion(text)).toEqual({ record, wholeLength });
  });
});

describe('record files written by appending versions', () => {
  it('appends each version to the file this process wrote, and reads the last', async () => {
    const data = await openDataDir(join(await makeTempDir(), 'var'));
    for (let v = 1; v <= 5; v++) await data.state.write({ k: { v } });
    const file = stateFile(data.dir, 'k');
    expect(await lines(file)).toHaveLength(5);
    expect((await data.state.read(['k'])).k).toMatchObject({ v: 5 });
    expect(data.files.openRecords).toBe(1);
    await data.close();
    expect(data.files.openRecords).toBe(0);
    // A clean close leaves each record file as its one current version.
    expect(await lines(file)).toHaveLength(1);
    // Versions left by a process that did not close (a kill) are read the same way.
    await appendFile(file, '{"key":"k","item":{"v":5,"eTag":"x"}}\n');

    // Another process (a restart) reads the current version from disk, and the scan accepts it.
    const again = await openDataDir(data.dir);
    expect((await again.state.read(['k'])).k).toMatchObject({ v: 5 });
    expect((await scanDataDir(data.dir)).corrupt).toEqual([]);
    // Its first write is not appended through a descriptor it never had: the file is rewritten whole.
    await again.state.write({ k: { v: 6 } });
    expect(await lines(file)).toHaveLength(1);
    await again.close();
  });

  it('rewrites a file whole once it would grow too long', async () => {
    const data = await openDataDir(join(await makeTempDir(), 'var'));
    const pad = 'x'.repeat(3000);
    let most = 0;
    let last = 0;
    for (let v = 1; v <= 30; v++) {
      await data.state.write({ k: { v, pad } });
      last = (await lines(stateFile(data.dir, 'k'))).length;
      most = Math.max(most, last);
    }
    // 3 KB versions: at most 64 KiB of them (21), then one version again.
    expect(most).toBeGreaterThan(15);
    expect(most).toBeLessThanOrEqual(21);
    expect(last).toBeLessThan(30 - 15);
    expect((await data.state.read(['k'])).k).toMatchObject({ v: 30 });
    await data.close();
  });

  it('flushes the compaction of a response file, not of a dialog-state file', async () => {
    // One record file kept open at a time: writing a second file lets the first go (compacted).
    const data = await openDataDir(join(await makeTempDir(), 'var'), { cache: { maxOpenRecords: 1 } });
    await data.state.write({ a: { v: 1 } });
    await data.state.write({ a: { v: 2 } });
    await data.state.write({ b: { v: 1 } });
    await data.files.queue.run(stateFile(data.dir, 'a'), async () => undefined);
    expect(data.files.stats()).toMatchObject({ compactions: 1, flushedCompactions: 0 });
    expect(await lines(stateFile(data.dir, 'a'))).toHaveLength(1);

    await data.responses.save(response('w1-r1', 'eka'));
    await data.responses.save(response('w1-r1', 'toka'));
    await data.state.write({ c: { v: 1 } });
    await data.files.queue.run(responseFile(data.dir, 'w1', 'w1-r1'), async () => undefined);
    expect(data.files.stats()).toMatchObject({ compactions: 2, flushedCompactions: 1 });
    expect(await lines(responseFile(data.dir, 'w1', 'w1-r1'))).toHaveLength(1);
    await data.close();
  });

  it('ignores a torn last line left by a crash, and cuts it off with the next write', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    await data.responses.save(response('w1-r1', 'eka'));
    await data.responses.save(response('w1-r1', 'toka'));
    await data.close();
    const file = responseFile(dir, 'w1', 'w1-r1');
    // What a kill in the middle of the third append leaves.
    await appendFile(file, '{"id":"w1-r1","wave":"w1","resp');

    expect((await scanDataDir(dir)).corrupt).toEqual([]);
    const again = await openDataDir(dir);
    expect((await again.responses.get('w1-r1'))?.answers.comments?.raw).toBe('toka');
    expect((await again.responses.list('w1')).map((r) => r.answers.comments?.raw)).toEqual(['toka']);
    await again.responses.save(response('w1-r1', 'kolmas'));
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(response('w1-r1', 'kolmas'))}\n`);
    await again.close();
  });

  it('refuses a file whose current version is corrupt, and never writes to it', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    await data.state.write({ k: { v: 1 } });
    await data.state.write({ k: { v: 2 } });
    const file = stateFile(dir, 'k');
    // Damage behind the process's back: a whole last line that is not a record.
    await appendFile(file, 'not json\n');
    await expect(data.state.write({ k: { v: 3 } })).rejects.toBeInstanceOf(CorruptDataFileError);
    expect((await lines(file)).at(-1)).toBe('not json');
    await data.close();
    const scan = await scanDataDir(dir);
    expect(scan.corrupt.map((c) => c.file)).toEqual([file]);
  });

  it('never appends through a descriptor whose file was replaced meanwhile', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    await data.state.write({ k: { v: 1 } });
    const file = stateFile(dir, 'k');
    // An operator puts another valid version in place (a new file renamed over it).
    const replacement = (await readFile(file, 'utf8')).replace('"v":1', '"v":100');
    await writeFile(`${file}.new`, replacement);
    await rename(`${file}.new`, file);
    await data.state.write({ k: { v: 2 } });
    const written = await lines(file);
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0] as string)).toMatchObject({ item: { v: 2 } });
    await data.close();
  });

  it('leaves no earlier version on disk when a response is erased', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    await data.responses.save(response('w1-r2', 'Salainen vastaus'));
    await data.responses.update('w1', 'w1-r2', (r) => (r ? { ...r, cursor: 2 } : r));
    const file = responseFile(dir, 'w1', 'w1-r2');
    expect(await lines(file)).toHaveLength(2);
    await data.responses.update('w1', 'w1-r2', (r) => (r ? { ...r, status: 'withdrawn', answers: {} } : r), { erase: true });
    expect(await lines(file)).toHaveLength(1);
    expect(await readFile(file, 'utf8')).not.toContain('Salainen vastaus');
    await data.close();
  });

  it('reads a record written over several lines (an operator\'s edit, an older version)', async () => {
    const dir = join(await makeTempDir(), 'var');
    const first = await openDataDir(dir);
    await first.responses.save(response('w1-r3', 'eka'));
    await first.close();
    const file = responseFile(dir, 'w1', 'w1-r3');
    await writeFile(file, JSON.stringify(response('w1-r3', 'muokattu'), null, 2));
    expect((await scanDataDir(dir)).corrupt).toEqual([]);
    const data = await openDataDir(dir);
    expect((await data.responses.get('w1-r3'))?.answers.comments?.raw).toBe('muokattu');
    await data.close();
  });

  it('rewrites a file as its current version when it is let go to keep the open files bounded', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir, { cache: { maxOpenRecords: 1 } });
    await data.state.write({ a: { v: 1 } });
    await data.state.write({ a: { v: 2 } });
    expect(await lines(stateFile(dir, 'a'))).toHaveLength(2);
    await data.state.write({ b: { v: 1 } });
    // The compaction of `a` runs in a's queue slot: a locked read of `a` waits for it.
    await data.files.locked(stateFile(dir, 'a'), () => undefined, async () => undefined);
    expect(await lines(stateFile(dir, 'a'))).toHaveLength(1);
    expect((await data.state.read(['a'])).a).toMatchObject({ v: 2 });
    // And `a` is still written correctly afterwards.
    await data.state.write({ a: { v: 3 } });
    expect((await data.state.read(['a'])).a).toMatchObject({ v: 3 });
    expect(data.files.openRecords).toBe(1);
    await data.close();
    expect(JSON.parse((await lines(stateFile(dir, 'a')))[0] as string)).toMatchObject({ item: { v: 3 } });
  });

  it('appends a transcript through the descriptor kept open, and starts afresh after an erasure', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    for (let i = 1; i <= 3; i++) await data.transcripts.append('webchat', 'c-open', { i });
    expect(data.files.openRecords).toBe(1);
    expect((await data.transcripts.get('webchat', 'c-open')).length).toBe(3);
    await data.transcripts.delete('webchat', 'c-open');
    expect(data.files.openRecords).toBe(0);
    await data.transcripts.append('webchat', 'c-open', { i: 4 });
    expect(await data.transcripts.get('webchat', 'c-open')).toEqual([{ i: 4 }]);
    const file = transcriptFile(dir, 'webchat', 'c-open');
    // A header and one activity: nothing of the erased conversation came back.
    expect(await lines(file)).toHaveLength(2);
    await data.close();
  });

  it('keeps at most maxOpenRecords files open, every file still right', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir, { cache: { maxOpenRecords: 2 } });
    for (let round = 1; round <= 3; round++) {
      for (const key of ['a', 'b', 'c', 'd', 'e']) await data.state.write({ [key]: { round } });
      expect(data.files.openRecords).toBeLessThanOrEqual(2);
    }
    await data.close();
    const again = await openDataDir(dir);
    for (const key of ['a', 'b', 'c', 'd', 'e']) expect((await again.state.read([key]))[key]).toMatchObject({ round: 3 });
    await again.close();
    // Nothing but the five records (and no temp files) in state/, each one line: the files let
    // go of (beyond the limit) and, at close, the rest were rewritten as their current version.
    const files = await readdir(join(dir, 'state'));
    expect(files.length).toBe(5);
    for (const name of files) expect(await lines(join(dir, 'state', name))).toHaveLength(1);
  });
});
