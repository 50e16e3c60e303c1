/**
 * Read-only access to the responses, for CLIs that may run while the bot holds DATA_DIR's lock
 * (reports, exports). Takes no lock and never writes: the bot either renames a whole file into
 * place or appends a whole version line, and readers take a file's last whole line, so a reader
 * never sees half a record. A corrupt file still throws CorruptDataFileError.
 *
 * After a power cut, until the bot starts again and replays it, the answer journal may hold
 * answers their files lack (see answerJournal.ts). While no bot holds the directory, a reader
 * therefore reads the journal too and lets its last version of a response win, as the replay
 * will. While a bot holds it, the files are current (the bot writes a file before its journal
 * line) and the journal is not read: a checkpoint may delete it at any moment, and an erasure or
 * a deletion checkpoints first, so an old journal must never bring a response back.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SurveyResponse } from '../core/types.js';
import { readJournals } from './answerJournal.js';
import { DataFiles } from './dataFiles.js';
import { FileQueue } from './fileQueue.js';
import { isDataDirLocked } from './lock.js';
import { responseRecordProblem } from './records.js';
import { FileResponseStore } from './responseStore.js';
import type { ResponseStore } from './types.js';

export type ReadOnlyResponses = Pick<ResponseStore, 'get' | 'list'>;

/** Responses only the journal holds the latest version of, by `wave/id`. */
type Overlay = Map<string, SurveyResponse>;

const keyOf = (r: Pick<SurveyResponse, 'wave' | 'id'>): string => `${r.wave}/${r.id}`;

/** The journal's responses when no bot holds `dir` (see the module comment); else undefined. */
async function journalOverlay(dir: string): Promise<Overlay | undefined> {
  if (await isDataDirLocked(dir)) return undefined;
  const { latest } = await readJournals(dir, responseRecordProblem);
  if (latest.size === 0) return undefined;
  const overlay: Overlay = new Map();
  for (const record of latest.values()) {
    const response = JSON.parse(record) as SurveyResponse;
    overlay.set(keyOf(response), response);
  }
  return overlay;
}

/** `fromFiles` with the overlay's versions in place of (or beside) the files'. */
function merged(fromFiles: SurveyResponse[], overlay: Overlay, wave: string | undefined): SurveyResponse[] {
  const byKey = new Map(fromFiles.map((r) => [keyOf(r), r]));
  for (const [key, response] of overlay) {
    if (wave === undefined || response.wave === wave) byKey.set(key, structuredClone(response));
  }
  return [...byKey.values()];
}

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
  /**
   * Runs `read` with the journal overlaid; when a bot took the directory meanwhile (it replays
   * the journal at start, then may erase), once more without it.
   */
  const withJournal = async <T>(read: (overlay: Overlay | undefined) => Promise<T>): Promise<T> => {
    const overlay = await journalOverlay(absolute);
    const result = await read(overlay);
    return overlay !== undefined && (await isDataDirLocked(absolute)) ? read(undefined) : result;
  };
  // Only the reading methods, so a caller cannot write without the lock.
  return {
    get: (id) =>
      withJournal(async (overlay) => {
        const journaled = overlay === undefined ? undefined : [...overlay.values()].find((r) => r.id === id);
        return journaled === undefined ? store.get(id) : structuredClone(journaled);
      }),
    list: (wave) => withJournal(async (overlay) => (overlay === undefined ? store.list(wave) : merged(await store.list(wave), overlay, wave))),
  };
}
