import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { responseFile } from '../../src/storage/layout.js';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { openResponsesReadOnly } from '../../src/storage/readOnly.js';
import { CorruptDataFileError } from '../../src/storage/types.js';
import { commentResponse, makeTempDir, removeTempDirs } from './helpers.js';

/** A journal line as the bot writes it (see answerJournal.ts). */
const line = (id: string, r: object) => `${JSON.stringify(`responses/w1/${id}.json`)}\t${JSON.stringify(r)}\n`;

afterEach(removeTempDirs);

describe('openResponsesReadOnly', () => {
  it('reads responses while the directory is held by an open DataDir, and sees later saves', async () => {
    const dir = join(await makeTempDir(), 'var');
    const bot = await openDataDir(dir);
    try {
      await bot.responses.save({ id: 'r1', wave: '2026' } as never);
      const reader = await openResponsesReadOnly(dir);
      expect((await reader.list('2026')).map((r) => r.id)).toEqual(['r1']);
      await bot.responses.save({ id: 'r2', wave: '2026' } as never);
      expect((await reader.list()).map((r) => r.id).sort()).toEqual(['r1', 'r2']);
      expect((await reader.get('r2'))?.wave).toBe('2026');
      expect('save' in reader).toBe(false);
    } finally {
      await bot.close();
    }
  });

  it('says how to fix a DATA_DIR that does not exist', async () => {
    const missing = join(await makeTempDir(), 'nope');
    await expect(openResponsesReadOnly(missing)).rejects.toThrow(`Data directory ${missing} does not exist. Set DATA_DIR`);
  });

  it('reads what a power cut left in the answer journal of a stopped bot, as its start will replay it, changing nothing', async () => {
    const dir = join(await makeTempDir(), 'var');
    const bot = await openDataDir(dir);
    await bot.responses.save(commentResponse('w1-r1', 'eka', 1));
    await bot.responses.save(commentResponse('w1-r3', 'kolmas', 1));
    await bot.close();
    // The power cut: the journal's flushed line holds r1's next answer, which its file never got;
    // r2's file was never written at all; a last append was torn.
    const journal = join(dir, 'journal', 'answers-4.jsonl');
    const left = line('w1-r1', commentResponse('w1-r1', 'toka', 2)) + line('w1-r2', commentResponse('w1-r2', 'uusi', 1)) + '"responses/w1/w1-r9.json"\t{"id":';
    await writeFile(journal, left);
    const fileBefore = await readFile(responseFile(dir, 'w1', 'w1-r1'), 'utf8');

    const reader = await openResponsesReadOnly(dir);
    const listed = await reader.list('w1');
    expect(listed.map((r) => `${r.id}:${r.answers.comments?.raw}`).sort()).toEqual(['w1-r1:toka', 'w1-r2:uusi', 'w1-r3:kolmas']);
    expect((await reader.list()).length).toBe(3);
    expect(await reader.list('w2')).toEqual([]);
    expect((await reader.get('w1-r1'))?.cursor).toBe(2);
    expect((await reader.get('w1-r2'))?.answers.comments?.raw).toBe('uusi');
    expect(await reader.get('w1-r9')).toBeUndefined();
    // A reader changes nothing: the journal and the files stay for the bot's start.
    expect(await readFile(journal, 'utf8')).toBe(left);
    expect(await readFile(responseFile(dir, 'w1', 'w1-r1'), 'utf8')).toBe(fileBefore);
  });

  it('ignores the journal while a bot holds the directory: its files are current, and a journal must never bring back what it erased', async () => {
    const dir = join(await makeTempDir(), 'var');
    const bot = await openDataDir(dir);
    try {
      await bot.responses.save(commentResponse('w1-r1', 'eka', 1));
      // A stale journal beside the bot's own (as if a checkpoint were about to delete it).
      await writeFile(join(dir, 'journal', 'answers-999.jsonl'), line('w1-r1', commentResponse('w1-r1', 'vanha', 1)) + line('w1-r8', commentResponse('w1-r8', 'poistettu', 1)));
      const reader = await openResponsesReadOnly(dir);
      expect((await reader.list('w1')).map((r) => `${r.id}:${r.answers.comments?.raw}`)).toEqual(['w1-r1:eka']);
      expect(await reader.get('w1-r8')).toBeUndefined();
    } finally {
      await bot.close();
    }
  });

  it('refuses a damaged journal of a stopped bot naming it, as a start of the bot does', async () => {
    const dir = join(await makeTempDir(), 'var');
    await (await openDataDir(dir)).close();
    const journal = join(dir, 'journal', 'answers-2.jsonl');
    await writeFile(journal, 'not a journal line\n' + line('w1-r1', commentResponse('w1-r1', 'eka', 1)));
    const reader = await openResponsesReadOnly(dir);
    const error = await reader.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptDataFileError);
    expect((error as Error).message).toContain(journal);
  });
});

