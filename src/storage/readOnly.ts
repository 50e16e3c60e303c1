/**
 * Read-only access to the responses of a DATA_DIR for reports and exports, safe while the bot
 * runs and holds the directory's lock. It takes no lock and writes nothing: every write of the
 * stores is a temp file renamed over the record (steno), so a reader always sees a whole file,
 * the old one or the new one; temp files (`.<name>.tmp`) are never listed. A damaged record is
 * reported (CorruptDataFileError), never changed.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FileQueue } from './fileQueue.js';
import { FileResponseStore } from './responseStore.js';
import type { ResponseStore } from './types.js';

/** A ResponseStore whose `save` and `delete` refuse; `get` and `list` read the files directly. */
export async function openResponsesReadOnly(dir: string): Promise<ResponseStore> {
  const absolute = resolve(dir);
  try {
    if (!(await stat(absolute)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new Error(
      `DATA_DIR ${absolute} cannot be read (${(error as Error).message}). ` +
        'Set DATA_DIR to the directory the bot stores its data in (default ./var).',
    );
  }
  const store = new FileResponseStore(absolute, new FileQueue());
  const refuse = (): Promise<never> =>
    Promise.reject(new Error('This response store is read-only (opened for a report); open the data directory with openDataDir to write.'));
  return {
    get: (id) => store.get(id),
    list: (wave) => store.list(wave),
    save: refuse,
    delete: refuse,
  };
}
