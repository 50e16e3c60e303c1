import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { openResponsesReadOnly } from '../../src/storage/readOnly.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

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
});
