/**
 * Conversation transcripts, one file per conversation:
 * `DATA_DIR/transcripts/<digest(channel + NUL + conversationId)>.json`. The file name is a digest
 * of the exact ids, never a prefix match, so `c1` and `c10` cannot mix.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mapConcurrent, READ_CONCURRENCY } from './concurrency.js';
import type { DataFiles } from './dataFiles.js';
import { readDataFile } from './jsonFile.js';
import { isDataFileName, transcriptFile } from './layout.js';
import { transcriptRecordProblem, type TranscriptRecord } from './records.js';
import type { TranscriptEntry, TranscriptStore } from './types.js';

function assertIds(channel: unknown, conversationId: unknown): asserts channel is string {
  if (typeof channel !== 'string' || channel === '' || typeof conversationId !== 'string' || conversationId === '') {
    throw new TypeError('A transcript needs a non-empty channel id and conversation id (both strings).');
  }
}

/**
 * The start of a transcript file as this store writes it: the header fields in this order, then
 * the activities, last. Captures the header's two ids (JSON string literals).
 */
const RECORD_HEAD = /^\{"channel":("(?:[^"\\]|\\.)*"),"conversationId":("(?:[^"\\]|\\.)*"),"updatedAt":"[^"\\]*","activities":\[/;

/**
 * The text of a transcript record with `entries` (each an activity's JSON text) appended and
 * `updatedAt` stamped. A turn adds
 * a few activities to a transcript that may hold hundreds, so the stored activities are kept as
 * text (no parse, no re-serialisation of the whole conversation); a file in any other layout
 * (an older version's, indented) is parsed once and rewritten in this one.
 */
export function appendToRecordText(
  stored: string | undefined,
  channel: string,
  conversationId: string,
  updatedAt: string,
  entries: string[],
): string {
  let activities: string;
  const head = stored === undefined ? null : RECORD_HEAD.exec(stored);
  if (stored === undefined) activities = '';
  else if (head && stored.endsWith(']}')) activities = stored.slice(head[0].length, -2);
  else activities = (JSON.parse(stored) as TranscriptRecord).activities.map((a) => JSON.stringify(a)).join(',');
  const added = entries.join(',');
  const all = activities && added ? `${activities},${added}` : activities || added;
  return `{"channel":${JSON.stringify(channel)},"conversationId":${JSON.stringify(conversationId)},"updatedAt":${JSON.stringify(updatedAt)},"activities":[${all}]}`;
}

/** Activities waiting for their transcript's next write. */
interface Batch {
  /** The activities' JSON text, taken when they were appended. */
  entries: string[];
  written: Promise<void>;
}

export class FileTranscriptStore implements TranscriptStore {
  readonly #batches = new Map<string, Batch>();

  constructor(
    private readonly dataDir: string,
    private readonly files: DataFiles,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Appends one activity (stored as a JSON copy) and stamps the transcript's `updatedAt`.
   * Appends to one transcript that arrive while its previous write is queued or running share
   * the next write (a turn's incoming and outgoing activities are logged together), so a turn
   * costs one file write, not one per activity; order is kept.
   */
  async append(channel: string, conversationId: string, activity: TranscriptEntry): Promise<void> {
    assertIds(channel, conversationId);
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) {
      throw new TypeError('append() needs an activity object.');
    }
    // Serialised now: the caller may change its object after this call.
    const entry = JSON.stringify(activity);
    const file = transcriptFile(this.dataDir, channel, conversationId);
    let batch = this.#batches.get(file);
    if (batch === undefined) {
      const entries: string[] = [];
      const written = this.files.lockedText(file, transcriptRecordProblem, async (stored) => {
        // From here on, new appends start the next batch.
        this.#batches.delete(file);
        await this.files.writeText(file, appendToRecordText(stored, channel, conversationId, this.now().toISOString(), entries));
      });
      batch = { entries, written };
      this.#batches.set(file, batch);
      // A failed write (corrupt file) must not leave the batch behind for later appends.
      written.catch(() => {
        if (this.#batches.get(file) === batch) this.#batches.delete(file);
      });
    }
    batch.entries.push(entry);
    await batch.written;
  }

  /** The conversation's activities in append order; empty when there is no transcript. */
  async get(channel: string, conversationId: string): Promise<TranscriptEntry[]> {
    assertIds(channel, conversationId);
    const record = await this.files.read<TranscriptRecord>(transcriptFile(this.dataDir, channel, conversationId), transcriptRecordProblem);
    return record?.activities ?? [];
  }

  async delete(channel: string, conversationId: string): Promise<void> {
    assertIds(channel, conversationId);
    const file = transcriptFile(this.dataDir, channel, conversationId);
    await this.files.locked(file, transcriptRecordProblem, () => this.files.remove(file));
  }

  /**
   * Deletes transcripts whose last append is older than `before`. Reads every transcript (a
   * maintenance job, not a turn); each is re-checked under its file's queue so an append that
   * arrives meanwhile keeps it.
   */
  async prune(before: Date): Promise<number> {
    if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
      throw new TypeError('prune(before) needs a valid Date.');
    }
    this.files.queue.assertOpen();
    const dir = join(this.dataDir, 'transcripts');
    let names: string[];
    try {
      names = (await readdir(dir)).filter(isDataFileName);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const isOld = (record: TranscriptRecord | undefined): boolean =>
      record !== undefined && Date.parse(record.updatedAt) < before.getTime();
    const removed = await mapConcurrent(names, READ_CONCURRENCY, async (name) => {
      const file = join(dir, name);
      if (!isOld(await readDataFile<TranscriptRecord>(file, transcriptRecordProblem))) return false;
      return this.files.locked<TranscriptRecord, boolean>(file, transcriptRecordProblem, async (current) => {
        if (!isOld(current)) return false;
        await this.files.remove(file);
        return true;
      });
    });
    return removed.filter(Boolean).length;
  }
}
