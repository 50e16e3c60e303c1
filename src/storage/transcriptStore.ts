/**
 * Conversation transcripts, one append-only JSON Lines file per conversation:
 * `DATA_DIR/transcripts/<digest(channel + NUL + conversationId)>.jsonl` (format:
 * transcriptLines.ts). The file name is a digest of the exact ids, never a prefix match, so `c1`
 * and `c10` cannot mix. A transcript an earlier version wrote as one JSON document (`.json`) is
 * still read, and moves into the `.jsonl` file at its next append.
 *
 * Every operation on a conversation's transcript runs in the queue slot of its `.jsonl` path,
 * including those that touch the old `.json` file, so they are ordered.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mapConcurrent, READ_CONCURRENCY } from './concurrency.js';
import type { DataFiles } from './dataFiles.js';
import { readDataFile, readDataText } from './jsonFile.js';
import { isDataFileName, isJsonLinesFileName, legacyTranscriptFile, transcriptFile } from './layout.js';
import { transcriptRecordProblem, type TranscriptRecord } from './records.js';
import { activityLine, headerLine, parseTranscriptLines, type ParsedTranscript } from './transcriptLines.js';
import { CorruptDataFileError, type TranscriptEntry, type TranscriptStore } from './types.js';

function assertIds(channel: unknown, conversationId: unknown): asserts channel is string {
  if (typeof channel !== 'string' || channel === '' || typeof conversationId !== 'string' || conversationId === '') {
    throw new TypeError('A transcript needs a non-empty channel id and conversation id (both strings).');
  }
}

/** Activities waiting for their transcript's next append. */
interface Batch {
  /** The activities' JSON text, taken when they were appended. */
  entries: string[];
  written: Promise<void>;
}

const inspectLines = (file: string, text: string) => {
  const parsed = parseTranscriptLines(file, text);
  return 'problem' in parsed ? parsed : { validLength: parsed.validLength };
};

/** The time of a transcript's last append; undefined when it holds no activity. */
function lastAppendOf(parsed: ParsedTranscript): number | undefined {
  const last = parsed.lines.at(-1);
  return last === undefined ? undefined : Date.parse(last.at);
}

export class FileTranscriptStore implements TranscriptStore {
  readonly #batches = new Map<string, Batch>();

  constructor(
    private readonly dataDir: string,
    private readonly files: DataFiles,
    private readonly now: () => Date = () => new Date(),
    /**
     * Whether DATA_DIR may hold `.json` transcripts of an earlier version (the start-up scan
     * counts them). Without any, a new conversation's first append skips looking for one: a
     * missing-file read is a thread-pool trip, and every new conversation made one.
     */
    private readonly legacy = true,
  ) {}

  /**
   * Appends one activity (stored as a JSON copy) with the time of the append. Appends to one
   * transcript that arrive while its previous append is queued or running share the next one (a
   * turn's incoming and outgoing activities are logged together), so a turn costs one small
   * write whatever the conversation's length; order is kept.
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
      const written = this.files.lockedAppend(file, inspectLines, async (target) => {
        // From here on, new appends start the next batch.
        this.#batches.delete(file);
        const at = this.now().toISOString();
        let text = '';
        let legacy: string | undefined;
        if (!target.exists) {
          text = headerLine(channel, conversationId);
          if (this.legacy) {
            legacy = legacyTranscriptFile(this.dataDir, channel, conversationId);
            const old = await this.files.read<TranscriptRecord>(legacy, transcriptRecordProblem);
            if (old === undefined) legacy = undefined;
            else for (const a of old.activities) text += activityLine(old.updatedAt, JSON.stringify(a));
          }
        }
        for (const e of entries) text += activityLine(at, e);
        await target.append(text);
        if (legacy !== undefined) await this.files.remove(legacy);
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
    const file = transcriptFile(this.dataDir, channel, conversationId);
    return this.files.queue.run(file, async () => {
      const parsed = await this.#readLines(file);
      if (parsed !== undefined) return parsed.lines.map((l) => l.activity);
      const legacy = legacyTranscriptFile(this.dataDir, channel, conversationId);
      const record = await this.files.read<TranscriptRecord>(legacy, transcriptRecordProblem);
      return record?.activities ?? [];
    });
  }

  async delete(channel: string, conversationId: string): Promise<void> {
    assertIds(channel, conversationId);
    const file = transcriptFile(this.dataDir, channel, conversationId);
    const legacy = legacyTranscriptFile(this.dataDir, channel, conversationId);
    // A corrupt file is evidence to keep: both checks refuse it (`npm run data -- repair` moves it aside).
    await this.files.lockedAppend(file, inspectLines, async () => {
      await this.files.locked(legacy, transcriptRecordProblem, () => this.files.remove(legacy));
      await this.files.remove(file);
    });
  }

  /**
   * Deletes transcripts whose last append is older than `before`. Reads every transcript (a
   * maintenance job, not a turn); each is re-checked under its file's queue so an append that
   * arrives meanwhile keeps it. A file with no whole activity (a crash cut its first append
   * short) holds nothing and goes too.
   */
  async prune(before: Date): Promise<number> {
    if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
      throw new TypeError('prune(before) needs a valid Date.');
    }
    this.files.queue.assertOpen();
    const dir = join(this.dataDir, 'transcripts');
    let names: string[];
    try {
      names = (await readdir(dir)).filter((name) => isDataFileName(name) || isJsonLinesFileName(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const cutoff = before.getTime();
    const removed = await mapConcurrent(names, READ_CONCURRENCY, async (name) => {
      const file = join(dir, name);
      if (isJsonLinesFileName(name)) {
        const isOld = (parsed: ParsedTranscript | undefined): boolean => parsed !== undefined && (lastAppendOf(parsed) ?? -Infinity) < cutoff;
        if (!isOld(await this.#readLines(file))) return false;
        return this.files.queue.run(file, async () => {
          if (!isOld(await this.#readLines(file))) return false;
          await this.files.remove(file);
          return true;
        });
      }
      const isOld = (record: TranscriptRecord | undefined): boolean => record !== undefined && Date.parse(record.updatedAt) < cutoff;
      if (!isOld(await readDataFile<TranscriptRecord>(file, transcriptRecordProblem))) return false;
      // The old `.json` file's operations are ordered in the queue slot of its `.jsonl` path.
      return this.files.queue.run(`${file}l`, () =>
        this.files.locked<TranscriptRecord, boolean>(file, transcriptRecordProblem, async (current) => {
          if (!isOld(current)) return false;
          await this.files.remove(file);
          return true;
        }),
      );
    });
    return removed.filter(Boolean).length;
  }

  /** A `.jsonl` transcript read and checked (torn tail ignored); undefined when missing. */
  async #readLines(file: string): Promise<ParsedTranscript | undefined> {
    const text = await readDataText(file);
    if (text === undefined) return undefined;
    const parsed = parseTranscriptLines(file, text);
    if ('problem' in parsed) throw new CorruptDataFileError(file, new Error(parsed.problem));
    return parsed;
  }
}
