/**
 * The answer journal with real files: what a power cut leaves is replayed at start, a torn last
 * line is ignored, damage elsewhere stops the start naming the journal, checkpoints delete old
 * journals once their files are flushed, an erasure leaves no copy behind, and a clean close
 * leaves no journal at all. A power cut cannot be made here: its leftovers are written by hand.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDataCli } from '../../src/storage/dataCli.js';
import { GroupCommit } from '../../src/storage/groupCommit.js';
import { currentVersion } from '../../src/storage/jsonFile.js';
import { responseFile } from '../../src/storage/layout.js';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { CorruptDataFileError } from '../../src/storage/types.js';
import { commentResponse, makeTempDir, removeTempDirs } from './helpers.js';

afterEach(removeTempDirs);

const response = commentResponse;

const journalFiles = async (dir: string): Promise<string[]> => (await readdir(join(dir, 'journal'))).sort();
const line = (id: string, r: object) => `${JSON.stringify(`responses/w1/${id}.json`)}\t${JSON.stringify(r)}\n`;

describe('the answer journal', () => {
  it('brings a response file up to date from what a power cut left in the journal', async () => {
    const dir = join(await makeTempDir(), 'var');
    const first = await openDataDir(dir);
    await first.responses.save(response('w1-r1', 'eka', 1));
    await first.close();
    expect(await journalFiles(dir)).toEqual([]);
    // The power cut: the journal's flushed line holds cursor 2, the file never got it; a second
    // answer's file was never written at all; a third append was torn.
    await writeFile(
      join(dir, 'journal', 'answers-7.jsonl'),
      line('w1-r1', response('w1-r1', 'toka', 2)) + line('w1-r2', response('w1-r2', 'uusi', 1)) + '"responses/w1/w1-r3.json"\t{"id":',
    );
    const data = await openDataDir(dir);
    expect(data.opened.replayedAnswers).toBe(2);
    expect((await data.responses.get('w1-r1'))?.answers.comments?.raw).toBe('toka');
    expect((await data.responses.get('w1-r2'))?.cursor).toBe(1);
    expect(await data.responses.get('w1-r3')).toBeUndefined();
    // Replayed and flushed: the old journal is gone; writing goes on in a newer one.
    expect(await journalFiles(dir)).toEqual(['answers-8.jsonl']);
    await data.close();
    expect(await journalFiles(dir)).toEqual([]);
  });

  it('is named by `data check` while it holds answers (a stopped bot after a power cut)', async () => {
    const dir = join(await makeTempDir(), 'var');
    await mkdir(join(dir, 'journal'), { recursive: true });
    await writeFile(join(dir, 'journal', 'answers-3.jsonl'), line('w1-r1', response('w1-r1', 'x')));
    const out: string[] = [];
    await runDataCli(['check'], { env: { DATA_DIR: dir }, out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(out.join('\n')).toMatch(/Answer journal: journal\/answers-3\.jsonl .*brings their files up to date/s);
  });

  it('stops the start, naming the journal and leaving it as it is, when a line before the end is damaged', async () => {
    const dir = join(await makeTempDir(), 'var');
    await mkdir(join(dir, 'journal'), { recursive: true });
    const file = join(dir, 'journal', 'answers-1.jsonl');
    const damaged = `not a line\n${line('w1-r1', response('w1-r1', 'x'))}`;
    await writeFile(file, damaged);
    await expect(openDataDir(dir)).rejects.toThrow(CorruptDataFileError);
    await expect(openDataDir(dir)).rejects.toThrow(/answers-1\.jsonl.*line 1/s);
    expect(await readFile(file, 'utf8')).toBe(damaged);
    // A path outside the responses is refused the same way (never written anywhere).
    await writeFile(file, `${JSON.stringify('../../etc/passwd')}\t{}\n`);
    await expect(openDataDir(dir)).rejects.toThrow(/not a response file path/);
  });

  it('checkpoints: past its size the journal starts anew and the old one goes once its files are flushed', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir, { journal: { maxBytes: 3000 } });
    for (let i = 1; i <= 12; i++) await data.responses.save(response(`w1-r${i}`, 'vastaus '.repeat(40)));
    // Let the background checkpoints finish (each save may start one).
    await data.journal.checkpoint();
    const files = await journalFiles(dir);
    expect(files).toHaveLength(1);
    expect(Number(/answers-(\d+)/.exec(files[0] as string)?.[1])).toBeGreaterThan(2);
    for (let i = 1; i <= 12; i++) expect((await data.responses.get(`w1-r${i}`))?.id).toBe(`w1-r${i}`);
    await data.close();
  });

  it('starts one checkpoint when concurrent saves cross its size, not one per save', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir, { journal: { maxBytes: 3000 } });
    // Thirty answers recorded at once share one flush, after which all thirty see the size crossed.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => data.journal.record(responseFile(dir, 'w1', `w1-r${i}`), JSON.stringify(response(`w1-r${i}`, 'vastaus '.repeat(40))))),
    );
    await data.journal.checkpoint();
    // The journal began as answers-1: one rotation for the size, one for the checkpoint above.
    expect(await journalFiles(dir)).toEqual(['answers-3.jsonl']);
    await data.close();
  });

  it('keeps no copy of erased answers: an erasure checkpoints the journal first', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    await data.responses.save(response('w1-r1', 'Salainen vastaus'));
    await data.responses.save(response('w1-r2', 'toisen vastaus'));
    const journal = async () => (await Promise.all((await journalFiles(dir)).map((f) => readFile(join(dir, 'journal', f), 'utf8')))).join('');
    expect(await journal()).toContain('Salainen vastaus');
    await data.responses.update('w1', 'w1-r1', (r) => (r ? { ...r, status: 'withdrawn', answers: {} } : r), { erase: true });
    expect(await journal()).not.toContain('Salainen vastaus');
    expect(await readFile(responseFile(dir, 'w1', 'w1-r1'), 'utf8')).not.toContain('Salainen vastaus');
    // The other respondent's answer is still in its file, flushed by the checkpoint.
    expect(JSON.parse(currentVersion(await readFile(responseFile(dir, 'w1', 'w1-r2'), 'utf8')).record).answers.comments.raw).toBe('toisen vastaus');
    await data.close();
  });
});

describe('GroupCommit', () => {
  it('answers each request with a flush that started after it, sharing one among requests that wait together', async () => {
    let started = 0;
    let release: (() => void) | undefined;
    const commit = new GroupCommit(
      () =>
        new Promise<void>((done) => {
          started++;
          release = done;
        }),
    );
    const first = commit.request();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toBe(1);
    // Three requests while the first flush runs: they share the second.
    let settled = 0;
    const waiting = [commit.request(), commit.request(), commit.request()].map((p) => p.then(() => settled++));
    release?.();
    await first;
    await new Promise((done) => setTimeout(done, 0));
    expect(started).toBe(2);
    expect(settled).toBe(0);
    release?.();
    await Promise.all(waiting);
    expect(settled).toBe(3);
    expect(commit.flushes).toBe(2);
    await commit.idle();
  });
});
