import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { listFilesRecursive, makeTempDir, removeTempDirs } from './helpers.js';

afterEach(removeTempDirs);

const HOSTILE_IDS = [
  '../../etc/passwd',
  '../../../../../../tmp/escape',
  'a/b',
  'a\\b',
  'x\u0000y',
  '',
  '.',
  '..',
  'k'.repeat(10_000),
  'CON',
  'conversation with spaces; and ünïcödé 👋',
];

describe('ids never become paths', () => {
  it('stores hostile keys and conversation ids under digested names inside DATA_DIR only', async () => {
    const root = await makeTempDir();
    const dir = join(root, 'var');
    const data = await openDataDir(dir);
    await data.state.write(Object.fromEntries(HOSTILE_IDS.map((id, i) => [id, { i }])));
    for (const [i, id] of HOSTILE_IDS.entries()) {
      if (id !== '') await data.transcripts.append('msteams', id, { i });
    }
    const items = await data.state.read(HOSTILE_IDS);
    HOSTILE_IDS.forEach((id, i) => expect(items[id]?.i).toBe(i));
    for (const [i, id] of HOSTILE_IDS.entries()) {
      if (id !== '') expect(await data.transcripts.get('msteams', id)).toEqual([{ i }]);
    }
    await data.close();

    expect(await readdir(root)).toEqual(['var']);
    const files = (await listFilesRecursive(dir)).map((f) => relative(dir, f));
    const dataFiles = files.filter((f) => f !== 'lock-owner.json');
    for (const file of dataFiles) expect(file).toMatch(/^(state\/[0-9a-f]{32}\.json|transcripts\/[0-9a-f]{32}\.jsonl)$/);
    expect(dataFiles.filter((f) => f.startsWith('state/'))).toHaveLength(HOSTILE_IDS.length);
    expect(dataFiles.filter((f) => f.startsWith('transcripts/'))).toHaveLength(HOSTILE_IDS.length - 1);

    // And all of it validates on the next open.
    const again = await openDataDir(dir);
    expect(again.opened.validFiles).toBe(dataFiles.length);
    await again.state.delete(HOSTILE_IDS);
    expect(await again.state.read(HOSTILE_IDS)).toEqual({});
    await again.close();
  });
});
