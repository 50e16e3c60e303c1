/**
 * Opens DATA_DIR: the one entry point bot/ and the CLIs use to get the stores. Opening creates
 * the directory tree, takes the directory's lock (one process per DATA_DIR), removes temp files
 * left by writes a crash interrupted, and checks every data file, refusing to start on a corrupt
 * one rather than overwriting it later.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AnswerJournal, type AnswerJournalOptions } from './answerJournal.js';
import { DataFiles, type DataFileCacheOptions } from './dataFiles.js';
import { responseRecordProblem } from './records.js';
import { FileQueue } from './fileQueue.js';
import { FileKeyValueStore } from './keyValueStore.js';
import { DATA_SUBDIRS } from './layout.js';
import { lockDataDir, type LockOptions } from './lock.js';
import { removeTempFiles } from './repair.js';
import { FileResponseStore } from './responseStore.js';
import { scanDataDir } from './scan.js';
import { FileTranscriptStore } from './transcriptStore.js';
import { CorruptDataFileError, type KeyValueStore, type ResponseStore, type TranscriptStore } from './types.js';

/** The default data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = './var';

/** `DATA_DIR` from the environment (default `./var`), as an absolute path. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.DATA_DIR?.trim();
  return resolve(value === undefined || value === '' ? DEFAULT_DATA_DIR : value);
}

export interface OpenReport {
  /** Data files checked and found valid. */
  validFiles: number;
  /** Response files brought up to date from the answer journal (after a power cut or a crash). */
  replayedAnswers: number;
  /** Temp files of interrupted writes that were removed. */
  removedTempFiles: string[];
  /** Entries the stores ignore (worth a log line). */
  unexpected: string[];
  /** How long the check took. */
  scanMs: number;
}

export interface DataDir {
  /** Absolute path of the data directory. */
  dir: string;
  /** The data files and their cache (figures for benchmarks). */
  files: DataFiles;
  /** The answers' journal (see answerJournal.ts; figures for benchmarks and tests). */
  journal: AnswerJournal;
  state: KeyValueStore;
  responses: ResponseStore;
  transcripts: TranscriptStore;
  /** What opening found (for a startup log line). */
  opened: OpenReport;
  /** Waits for writes in flight, then releases the lock; the stores refuse work afterwards. */
  close(): Promise<void>;
}

export interface OpenOptions extends LockOptions {
  /** Clock for transcript times (tests). */
  now?: () => Date;
  /** Limits of the in-memory cache of data files (see DataFiles). */
  cache?: DataFileCacheOptions;
  /** The answer journal's checkpoint size (see answerJournal.ts). */
  journal?: AnswerJournalOptions;
}

/**
 * Opens (creating if needed) the data directory `dir`. Rejects with DataDirLockedError when
 * another process uses it and with CorruptDataFileError (naming the file, which is left as it
 * is) when a data file is damaged.
 */
export async function openDataDir(dir: string, options: OpenOptions = {}): Promise<DataDir> {
  const absolute = resolve(dir);
  for (const sub of DATA_SUBDIRS) await mkdir(join(absolute, sub), { recursive: true });
  const lock = await lockDataDir(absolute, options);
  let opened: OpenReport;
  let legacyTranscripts = true;
  let journal: AnswerJournal | undefined;
  let replayed = 0;
  try {
    const started = performance.now();
    // First what a power cut may have left in the answer journal, so the check sees the result.
    ({ journal, replayed } = await AnswerJournal.open(absolute, responseRecordProblem, options.journal));
    const report = await scanDataDir(absolute);
    legacyTranscripts = report.legacyTranscripts > 0;
    const removedTempFiles = await removeTempFiles(report.tempFiles);
    const [first, ...others] = report.corrupt;
    if (first !== undefined) {
      const more = others.length > 0 ? `; ${others.length} more corrupt file(s) in ${absolute}` : '';
      throw new CorruptDataFileError(first.file, new Error(`${first.reason}${more}`));
    }
    opened = {
      validFiles: report.validFiles,
      replayedAnswers: replayed,
      removedTempFiles,
      unexpected: report.unexpected,
      scanMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    await journal?.close();
    await lock.release();
    throw error;
  }
  const answers = journal as AnswerJournal;
  const queue = new FileQueue();
  // One cache for all three stores: safe because this process holds the lock (see DataFiles).
  const files = new DataFiles(queue, options.cache);
  let closing: Promise<void> | undefined;
  return {
    dir: absolute,
    files,
    state: new FileKeyValueStore(absolute, files),
    responses: new FileResponseStore(absolute, files, answers),
    journal: answers,
    // Nothing writes `.json` transcripts any more: none at the start means none to look for.
    transcripts: new FileTranscriptStore(absolute, files, options.now, legacyTranscripts),
    opened,
    close() {
      closing ??= (async () => {
        await files.compactOpenRecords();
        await queue.close();
        files.closeOpenRecords();
        await answers.close();
        await lock.release();
      })();
      return closing;
    },
  };
}
