/**
 * Conversation transcripts, one file per conversation:
 * `DATA_DIR/transcripts/<digest(channel + NUL + conversationId)>.json`. The file name is a digest
 * of the exact ids, never a prefix match, so `c1` and `c10` cannot mix.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mapConcurrent, READ_CONCURRENCY } from './concurrency.js';
import type { FileQueue } from './fileQueue.js';
import { readDataFile, removeDataFile, writeDataFile } from './jsonFile.js';
import { isDataFileName, transcriptFile } from './layout.js';
import { transcriptRecordProblem, type TranscriptRecord } from './records.js';
import type { TranscriptEntry, TranscriptStore } from './types.js';

function assertIds(channel: unknown, conversationId: unknown): asserts channel is string {
  if (typeof channel !== 'string' || channel === '' || typeof conversationId !== 'string' || conversationId === '') {
    throw new TypeError('A transcript needs a non-empty channel id and conversation id (both strings).');
  }
}

export class FileTranscriptStore implements TranscriptStore {
  constructor(
    private readonly dataDir: string,
    private readonly queue: FileQueue,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends one activity (stored as a JSON copy) and stamps the transcript's `updatedAt`. */
  async append(channel: string, conversationId: string, activity: TranscriptEntry): Promise<void> {
    assertIds(channel, conversationId);
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) {
      throw new TypeError('append() needs an activity object.');
    }
    const entry = JSON.parse(JSON.stringify(activity)) as TranscriptEntry;
    const file = transcriptFile(this.dataDir, channel, conversationId);
    await this.queue.run(file, async () => {
      const record = (await readDataFile<TranscriptRecord>(file, transcriptRecordProblem)) ?? {
        channel,
        conversationId,
        updatedAt: this.now().toISOString(),
        activities: [],
      };
      record.activities.push(entry);
      record.updatedAt = this.now().toISOString();
      await writeDataFile(file, record);
    });
  }

  /** The conversation's activities in append order; empty when there is no transcript. */
  async get(channel: string, conversationId: string): Promise<TranscriptEntry[]> {
    assertIds(channel, conversationId);
    this.queue.assertOpen();
    const record = await readDataFile<TranscriptRecord>(
      transcriptFile(this.dataDir, channel, conversationId),
      transcriptRecordProblem,
    );
    return record?.activities ?? [];
  }

  async delete(channel: string, conversationId: string): Promise<void> {
    assertIds(channel, conversationId);
    const file = transcriptFile(this.dataDir, channel, conversationId);
    await this.queue.run(file, async () => {
      await readDataFile(file, transcriptRecordProblem);
      await removeDataFile(file);
    });
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
    this.queue.assertOpen();
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
      return this.queue.run(file, async () => {
        if (!isOld(await readDataFile<TranscriptRecord>(file, transcriptRecordProblem))) return false;
        await removeDataFile(file);
        return true;
      });
    });
    return removed.filter(Boolean).length;
  }
}
