/**
 * Tests with a second real process: a crash (SIGKILL) in the middle of writes, a SIGKILL right
 * after a save resolved, and a second process on the same DATA_DIR.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError } from '../../src/storage/lock.js';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { stateFile } from '../../src/storage/layout.js';
import { listTempFiles, makeTempDir, removeTempDirs, sigkill, spawnStorageChild, type Child } from './helpers.js';
import { currentVersion } from '../../src/storage/jsonFile.js';

const children: Child[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.process.exitCode === null) await sigkill(child);
  await removeTempDirs();
});

function start(mode: string, dir: string): Child {
  const child = spawnStorageChild([mode, dir]);
  children.push(child);
  return child;
}

describe('crash safety', () => {
  it('after SIGKILL mid-write the file is valid JSON, the stale lock is taken over and temp files are gone', async () => {
    const dir = join(await makeTempDir(), 'var');
    const child = start('write-loop', dir);
    await child.waitFor('ready');
    await new Promise((done) => setTimeout(done, 300));
    await sigkill(child);

    const keys = Array.from({ length: 8 }, (_, j) => `crash-${j}`);
    const written = new Map<string, number>();
    for (const key of keys) {
      const raw = await readFile(stateFile(dir, key), 'utf8');
      const record = JSON.parse(currentVersion(raw).record) as { item: { n: number; pad: string } };
      expect(record.item.n).toBeGreaterThan(0);
      expect(record.item.pad.length).toBe(record.item.n * 4096);
      written.set(key, record.item.n);
    }
    const tempsBefore = await listTempFiles(dir);
    console.info(
      `crash test: ${[...written.values()].reduce((a, b) => a + b)} writes before the kill, ` +
        `${tempsBefore.length} temp file(s) left by it`,
    );

    // Same staleness as the child; the dead owner's lock is waited out, not refused.
    const started = Date.now();
    const data = await openDataDir(dir, { staleMs: 2000 });
    expect(Date.now() - started).toBeLessThan(8000); // ≤ 2 s stale + polling; generous for a busy CI
    expect(await listTempFiles(dir)).toEqual([]);
    expect(data.opened.removedTempFiles.sort()).toEqual(tempsBefore.sort());
    const items = await data.state.read(keys);
    for (const key of keys) expect(items[key].n).toBe(written.get(key));
    await data.close();
  });

  it('a response is on disk once save() resolves, even if the process is SIGKILLed right after', async () => {
    const dir = join(await makeTempDir(), 'var');
    const child = start('save', dir);
    const line = await child.waitFor('saved ');
    await sigkill(child);
    const data = await openDataDir(dir, { staleMs: 2000 });
    const response = await data.responses.get(line.slice('saved '.length).trim());
    expect(response?.wave).toBe('w1');
    expect(response?.respondent.userId).toBe('u1');
    await data.close();
  });
});

describe('one process per DATA_DIR', () => {
  it('refuses a second process at once, saying which directory and which process holds it', async () => {
    const dir = join(await makeTempDir(), 'var');
    const child = start('hold', dir);
    const pid = Number((await child.waitFor('ready ')).split(' ')[1]);

    const started = Date.now();
    const error = await openDataDir(dir, { staleMs: 2000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataDirLockedError);
    const message = (error as Error).message;
    expect(message).toContain(dir);
    expect(message).toContain(`process ${pid}`);
    expect(message).toContain('npm start');
    expect(message).toContain('storageChild.ts');
    // A live holder is refused without waiting for staleness.
    expect(Date.now() - started).toBeLessThan(1500);

    // Once the holder is killed, its lock goes stale and the directory opens.
    await sigkill(child);
    const data = await openDataDir(dir, { staleMs: 2000 });
    await data.close();
  });

  it('refuses a second open in the same process until the first is closed', async () => {
    const dir = join(await makeTempDir(), 'var');
    const first = await openDataDir(dir);
    await expect(openDataDir(dir)).rejects.toThrow(/this same process .* close\(\) the first DataDir/);
    await first.close();
    const second = await openDataDir(dir);
    await second.close();
  });

  it('a closed DataDir refuses further work with a clear message', async () => {
    const data = await openDataDir(join(await makeTempDir(), 'var'));
    await data.close();
    await expect(data.state.write({ k: {} })).rejects.toThrow(/Storage is closed/);
    await expect(data.state.read(['k'])).rejects.toThrow(/Storage is closed/);
    await expect(data.responses.list()).rejects.toThrow(/Storage is closed/);
  });

  it('close() waits for writes in flight', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    const writes = Array.from({ length: 20 }, (_, i) => data.state.write({ [`k${i}`]: { i } }));
    await data.close();
    await Promise.all(writes);
    const again = await openDataDir(dir);
    expect(Object.keys(await again.state.read(writes.map((_, i) => `k${i}`)))).toHaveLength(20);
    await again.close();
  });
});
