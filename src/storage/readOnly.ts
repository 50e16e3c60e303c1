/**
 * Read-only access to the responses, for CLIs that may run while the bot holds DATA_DIR's lock
 * (reports, exports). Takes no lock and never writes: every write is an atomic rename, so a
 * reader always sees whole files. A corrupt file still throws CorruptDataFileError.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DataFiles } from './dataFiles.js';
import { FileQueue } from './fileQueue.js';
import { FileResponseStore } from './responseStore.js';
import type { ResponseStore } from './types.js';

export type ReadOnlyResponses = Pick<ResponseStore, 'get' | 'list'>;

/** Opens `dir`'s responses for reading; rejects with a clear message when `dir` does not exist. */
export async function openResponsesReadOnly(dir: string): Promise<ReadOnlyResponses> {
  const absolute = resolve(dir);
  const exists = await stat(absolute).then(
    (s) => s.isDirectory(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (!exists) {
    throw new Error(
      `Data directory ${absolute} does not exist. Set DATA_DIR to the directory the bot uses ` +
        '(default ./var, relative to where `npm start` runs).',
    );
  }
  // No cache: the bot may be writing these files from its own process meanwhile.
  const store = new FileResponseStore(absolute, new DataFiles(new FileQueue(), { maxEntries: 0 }));
  // Only the reading methods, so a caller cannot write without the lock.
  return { get: (id) => store.get(id), list: (wave) => store.list(wave) };
}
