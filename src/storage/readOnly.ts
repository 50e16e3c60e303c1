/**
 * Read-only access to the responses, for CLIs that may run while the bot holds DATA_DIR's lock
 * (reports, exports). Takes no lock and never writes: the bot either renames a whole file into
 * place or appends a whole version line, and readers take a file's last whole line, so a reader
 * never sees half a record. A corrupt file still throws CorruptDataFileError. After a power cut
 * and before the bot has started again, the files may lack the last answers, which only the
 * answer journal holds until the bot replays it at start.
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
