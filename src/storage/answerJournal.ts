/**
 * The answers' journal: what makes an acknowledged answer survive a power cut without a flush of
 * its own file. A saved response is written to its file (page cache: a killed process loses
 * nothing) and appended as one line to `DATA_DIR/journal/answers-<n>.jsonl`; the journal is
 * flushed once for every answer that arrived while the previous flush ran (group commit), and
 * the save resolves after that flush. Measured before it (bench:load): one `fdatasync` per answer
 * file cost ~1 ms of CPU per turn and the long latency tail; with 50 respondents a journal flush
 * covers many answers.
 *
 * A line is `<JSON of the file's path under DATA_DIR>\t<the record's JSON>`. At start, before the
 * data files are checked, `openAnswerJournal` replays what a power cut may have left: the last
 * line of each file wins where the file's current version differs, the files are flushed, and the
 * journal is removed. While running, a checkpoint moves writing to a fresh journal, flushes every
 * file the old one covered, then deletes it: when the journal grows past `maxBytes`, before an
 * erasure or a deletion (so no copy of erased answers survives in it), and at close.
 */
import { closeSync, fdatasync, openSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { mapConcurrent, READ_CONCURRENCY } from './concurrency.js';
import { flushDirectory, syncByPath } from './dataFiles.js';
import { GroupCommit } from './groupCommit.js';
import { currentVersion, inspectDataText, readDataText, writeDataText, type ProblemOf } from './jsonFile.js';
import { SAFE_ID, SAFE_RESPONSE_ID } from './layout.js';
import { CorruptDataFileError } from './types.js';

export const JOURNAL_DIR = 'journal';
const JOURNAL_NAME = /^answers-(\d{1,9})\.jsonl$/;
/** Past this size the journal is checkpointed (its files flushed, then it is deleted). */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

const fdatasyncAsync = promisify(fdatasync);

/** A response file's path under DATA_DIR, as the journal writes it: `responses/<wave>/<id>.json`. */
function isResponsePath(path: string): boolean {
  const parts = path.split('/');
  return (
    parts.length === 3 && parts[0] === 'responses' && SAFE_ID.test(parts[1] as string) &&
    (parts[2] as string).endsWith('.json') && SAFE_RESPONSE_ID.test((parts[2] as string).slice(0, -5))
  );
}

interface Generation {
  n: number;
  fd: number;
  size: number;
  /** The data files with a line in this journal (flushed at its checkpoint). */
  files: Set<string>;
  commit: GroupCommit;
}

export interface AnswerJournalOptions {
  maxBytes?: number;
}

export class AnswerJournal {
  #current: Generation;
  #checkpoints: Promise<void> = Promise.resolve();
  #closed = false;
  /** A checkpoint for the journal's size is under way. */
  #rotating = false;
  readonly #maxBytes: number;

  private constructor(
    readonly dataDir: string,
    first: number,
    options: AnswerJournalOptions,
  ) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#current = this.#open(first);
  }

  /** The journal's directory. */
  get dir(): string {
    return join(this.dataDir, JOURNAL_DIR);
  }

  /** Journal flushes so far (benchmarks and tests). */
  get flushes(): number {
    return this.#current.commit.flushes;
  }

  /**
   * Records that `file` now holds `text` (already written to it) and resolves once that is on
   * disk: with every other answer recorded while the previous flush ran, in one flush.
   */
  async record(file: string, text: string): Promise<void> {
    if (this.#closed) throw new Error('The answer journal is closed: open the data directory again.');
    const path = relative(this.dataDir, file).split(sep).join('/');
    const line = `${JSON.stringify(path)}\t${text}\n`;
    const generation = this.#current;
    writeFileSync(generation.fd, line, 'utf8');
    generation.size += Buffer.byteLength(line);
    generation.files.add(file);
    await generation.commit.request();
    // One checkpoint for crossing the size, not one per answer saved until it has rotated.
    if (generation === this.#current && generation.size > this.#maxBytes && !this.#rotating) {
      this.#rotating = true;
      void this.checkpoint()
        .catch(() => undefined)
        .finally(() => {
          this.#rotating = false;
        });
    }
  }

  /**
   * Moves writing to a fresh journal, flushes every file the old one covered, and deletes it.
   * Checkpoints run one at a time; an erasure awaits one so that no copy of the erased answers
   * stays in the journal.
   */
  checkpoint(): Promise<void> {
    const run = this.#checkpoints.catch(() => undefined).then(async () => {
      const old = this.#current;
      this.#current = this.#open(old.n + 1);
      await this.#retire(old);
    });
    this.#checkpoints = run;
    return run;
  }

  /** Checkpoints and removes the journal (clean shutdown: the files alone hold everything). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#checkpoints.catch(() => undefined);
    await this.#retire(this.#current);
  }

  #file(n: number): string {
    return join(this.dir, `answers-${n}.jsonl`);
  }

  #open(n: number): Generation {
    const fd = openSync(this.#file(n), 'a');
    return { n, fd, size: 0, files: new Set(), commit: new GroupCommit(() => fdatasyncAsync(fd)) };
  }

  /** Flushes the files a journal covered, then closes and deletes it. */
  async #retire(generation: Generation): Promise<void> {
    // Lines written to it are flushed or about to be: let those flushes finish on the open descriptor.
    await generation.commit.idle();
    const files = [...generation.files];
    // Thousands of files after a busy hour: a bounded number open at once (descriptors are finite).
    await mapConcurrent(files, READ_CONCURRENCY, (file) => syncByPath(file, true));
    // New files' names are in their directories: flush those too.
    await Promise.all([...new Set(files.map((file) => dirname(file)))].map((dir) => syncByPath(dir, true)));
    closeSync(generation.fd);
    unlinkSync(this.#file(generation.n));
    await flushDirectory(this.dir);
  }

  /**
   * Opens the journal of `dataDir` (the caller holds its lock), first replaying any journal a
   * power cut or a crash left: returns how many files it brought up to date. A damaged line
   * anywhere but at the very end (a torn last append is ignored) stops with CorruptDataFileError
   * naming the journal, which is left as it is.
   */
  static async open(dataDir: string, problemOf: ProblemOf, options: AnswerJournalOptions = {}): Promise<{ journal: AnswerJournal; replayed: number }> {
    const dir = join(dataDir, JOURNAL_DIR);
    await mkdir(dir, { recursive: true });
    const { found, latest } = await readJournals(dataDir, problemOf);
    let replayed = 0;
    for (const [file, record] of latest) {
      const onDisk = await readDataText(file);
      if (onDisk !== undefined && currentVersion(onDisk).record === record) continue;
      await writeDataText(file, `${record}\n`, { durable: true });
      replayed++;
    }
    for (const { file } of found) unlinkSync(file);
    if (found.length > 0) await flushDirectory(dir);
    const next = (found.at(-1)?.n ?? 0) + 1;
    return { journal: new AnswerJournal(dataDir, next, options), replayed };
  }
}

/**
 * What the journals of `dataDir` hold: `found` (their paths and numbers, oldest first) and `latest`, each
 * response file's last version there (absolute path → record JSON). Read-only: the bot replays
 * this at start (AnswerJournal.open); a reader of a stopped bot's directory overlays it
 * (readOnly.ts). A torn last line is ignored; a damaged line elsewhere throws
 * CorruptDataFileError naming the journal.
 */
export async function readJournals(dataDir: string, problemOf: ProblemOf): Promise<{ found: { file: string; n: number }[]; latest: Map<string, string> }> {
  const dir = join(dataDir, JOURNAL_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { found: [], latest: new Map() };
    throw error;
  }
  const found = names
    .map((name) => ({ name, n: Number(JOURNAL_NAME.exec(name)?.[1] ?? NaN) }))
    .filter((j) => Number.isInteger(j.n))
    .sort((a, b) => a.n - b.n)
    .map(({ name, n }) => ({ file: join(dir, name), n }));
  const latest = new Map<string, string>();
  for (const { file } of found) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // Checkpointed away meanwhile (a running bot): its answers are in their files.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    // Whole lines only: text after the last newline is an append a crash cut short (never acknowledged).
    const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line !== '');
    lines.forEach((line, i) => {
      const tab = line.indexOf('\t');
      let path: unknown;
      try {
        path = tab > 0 ? JSON.parse(line.slice(0, tab)) : undefined;
      } catch {
        path = undefined;
      }
      const record = tab > 0 ? line.slice(tab + 1) : '';
      const target = typeof path === 'string' && isResponsePath(path) ? join(dataDir, ...path.split('/')) : undefined;
      const problem = target === undefined ? 'not a response file path' : inspectDataText(target, record, problemOf).problem;
      if (problem !== undefined) throw new CorruptDataFileError(file, new Error(`line ${i + 1}: ${problem}`));
      latest.set(target as string, record);
    });
  }
  return { found, latest };
}
