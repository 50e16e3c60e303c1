/**
 * The data files of one open DATA_DIR, with a bounded in-memory cache in front of them.
 *
 * Why a cache is safe here: the process holds DATA_DIR's lock, so every write goes through this
 * object, and every cache fill or change happens inside the file's FileQueue slot, ordered with
 * the writes to that file. A turn then reads its state, interview and transcript from memory and
 * only writes to disk; the file on disk stays the truth (a write updates the cache only after its
 * rename succeeded, a failed write forgets the entry).
 *
 * Before every write the file's identity (inode, size, mtime) is compared with what this process
 * last saw — through the descriptor it keeps open when it has one (see isVersion) — so a file
 * changed, replaced or removed behind its back (an operator's edit, a damaged disk) is read and
 * checked again, and a corrupt file is still refused and never overwritten. Plain reads trust the
 * cache: they return what this process last wrote.
 *
 * The cache holds each file's JSON text (immutable, so no caller can change another's object) or
 * the fact that the file is missing. It is bounded by entries and bytes (least recently used go
 * first), so memory does not grow with what is stored.
 */
import { closeSync, fdatasync, fstatSync, fsync, ftruncateSync, open, rename, statSync, writeFileSync, type Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { Lru } from '../core/lru.js';
import { GroupCommit } from './groupCommit.js';
import { tempFileOf } from './layout.js';
import type { FileQueue } from './fileQueue.js';
import { currentVersion, parseDataVersion, readDataText, removeDataFile, type ProblemOf, type WriteOptions } from './jsonFile.js';
import { CorruptDataFileError } from './types.js';

export interface DataFileCacheOptions {
  /** Most files kept (default 4,096; 0 turns the cache off). */
  maxEntries?: number;
  /** Most bytes of JSON text kept (default 64 MiB). */
  maxBytes?: number;
  /** Larger files are never cached (default 512 KiB). */
  maxEntryBytes?: number;
  /** Record files kept open for appending their next version (default 256; 0: every write rewrites). */
  maxOpenRecords?: number;
}

/** A cached file: its text and identity, both `null` when the file is known not to exist. */
interface Entry {
  text: string | null;
  id: string | null;
}

/** The steps that go through libuv's thread pool (see writeAtomically), with the callback API. */
const fdatasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);
const renameAsync = promisify(rename);
const openAsync = promisify(open) as (path: string, flags: string) => Promise<number>;

/**
 * Writes `text` atomically: a temp file (steno's name, so the start-up scan knows it) renamed
 * over `file`. With `durable`, it also survives a power cut: the temp file is flushed through
 * the descriptor that wrote it before the rename, and the directory after it, so the rename
 * itself is on disk. Resolves with the descriptor, still open at the end of the file (it now
 * names `file`), so the next version can be appended through it (see DataFiles.writeText).
 *
 * Which steps block and which go through libuv's thread pool was measured (bench:load with
 * --cpu-prof, bench/storage.ts): the steps that change metadata (open/create, rename) and the
 * flushes take ext4's journal and can wait milliseconds while another file's flush commits, so
 * they run in the thread pool (callback API: no FileHandle objects); writing a few KB into the
 * page cache and closing are synchronous calls of microseconds, cheaper than a thread-pool trip.
 */
async function writeAtomically(file: string, text: string, durable: boolean): Promise<number> {
  const temp = tempFileOf(file);
  const fd = await openAsync(temp, 'w');
  try {
    writeFileSync(fd, text, 'utf8');
    if (durable) await fdatasyncAsync(fd);
    await renameAsync(temp, file);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  try {
    if (durable) await flushDirectory(dirname(file));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** Appends in a row without the event loop turning, after which an append yields (see afterAppend). */
const APPENDS_PER_LOOP_TURN = 16;
let appendsThisTurn = 0;
const resetAppends = (): void => {
  appendsThisTurn = 0;
};

/**
 * Called after each append through an open descriptor, which is synchronous from start to end:
 * without a pause, a loop of writes (an import, a script) would run on microtasks alone and starve
 * timers — among them the DATA_DIR lock's refresh — and I/O. A bot turn makes three appends;
 * making each wait for the loop's next turn put three loop iterations (each serving every other
 * connection) on every turn's path, so only the appends beyond APPENDS_PER_LOOP_TURN in one turn
 * of the loop wait for the next.
 */
async function afterAppend(): Promise<void> {
  if (appendsThisTurn === 0) setImmediate(resetAppends);
  appendsThisTurn++;
  if (appendsThisTurn > APPENDS_PER_LOOP_TURN) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A data file's text, undefined when it does not exist. Most files read past the cache do not
 * exist yet (a new conversation's state, interview and transcript), so a synchronous stat answers
 * that first: a few microseconds against a read through libuv's thread pool, which costs ~30 µs
 * of CPU even to fail (an existing file's read is four trips: open, stat, read, close).
 */
function readIfPresent(file: string): Promise<string | undefined> {
  return statSync(file, { throwIfNoEntry: false }) === undefined ? Promise.resolve(undefined) : readDataText(file);
}

/**
 * fsync a file, or a directory (so a rename in it is on disk). With `missingOk`, a path removed
 * meanwhile needs nothing.
 */
export async function syncByPath(path: string, missingOk = false): Promise<void> {
  let fd: number;
  try {
    fd = await openAsync(path, 'r');
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** One group commit per directory (a handful: the data directory's subdirectories and waves). */
const directoryCommits = new Map<string, GroupCommit>();

/**
 * Flushes `dir` after the caller's rename, sharing one flush among the writes that wait for it
 * (group commit): while a flush of a wave's directory runs (a few ms on this disk), every
 * answer saved meanwhile joins the next one instead of queueing a flush of its own. A flush
 * that started before a caller's rename never counts for it.
 */
export function flushDirectory(dir: string): Promise<void> {
  let commit = directoryCommits.get(dir);
  if (commit === undefined) {
    commit = new GroupCommit(() => syncByPath(dir));
    directoryCommits.set(dir, commit);
  }
  return commit.request();
}

/**
 * What identifies one version of a file on disk; null when it does not exist. Synchronous on
 * purpose: a stat of a local file takes microseconds, far less than a trip through libuv's
 * thread pool.
 */
function identityOf(file: string): string | null {
  const s = statSync(file, { throwIfNoEntry: false });
  return s === undefined ? null : identity(s);
}

const identity = (s: Stats): string => `${s.ino}:${s.size}:${s.mtimeMs}`;

/**
 * Whether `file` is still the version `id` names. A file this process keeps open (see OpenRecord)
 * is checked through its descriptor: fstat needs no path lookup (5 µs here against 21 for a stat
 * of a DATA_DIR path, and a turn checks three files), and a file replaced or removed behind our
 * back shows as an inode with no links left. The one change it cannot see is the file renamed to
 * another name while the bot runs (it then notices when it lets go of the file).
 */
function isVersion(file: string, id: string | null, open: OpenRecord | undefined): boolean {
  if (open !== undefined && id !== null && open.id === id) {
    try {
      const s = fstatSync(open.fd);
      return s.nlink > 0 && identity(s) === id;
    } catch {
      // A descriptor closed meanwhile: ask the path.
    }
  }
  return identityOf(file) === id;
}

/**
 * A record file this process wrote, kept open to append its next version: `id` is the file's
 * identity after that write (so a file replaced or changed since is never written through it),
 * `size` its length, `busy` set while a write uses the descriptor (it is closed only after).
 */
interface OpenRecord {
  fd: number;
  id: string;
  size: number;
  busy: boolean;
  closeWhenIdle: boolean;
  /** Versions in the file (1 after a whole write; 0 for an append-only log, never compacted); more than one is compacted when let go. */
  versions: number;
  /** Its compaction is flushed (false only while every write to it said `neverDurable`). */
  flushCompaction: boolean;
}

/**
 * A record file is rewritten whole (one version) instead of appended to once it would grow past
 * this many bytes, or past four times the new version. 64 KiB holds all the versions of a
 * 13-question interview with room for going back and changing answers (a dialog-state version is
 * ~0.3 KB, a response version grows to ~1.5–4 KB), so an interview's files are usually rewritten
 * only when the bot lets go of them: each rewrite costs a create, a flush, a rename and a
 * directory flush, four trips through libuv's thread pool at ~30 µs of CPU each on this machine
 * (at 16 KiB a response file was rewritten once or twice mid-interview). Files at rest are one
 * line again (compacted when let go and at shutdown); only a crash leaves longer ones, which the
 * start-up scan reads whole but parses only the last line of.
 */
const COMPACT_MIN_BYTES = 64 * 1024;
const COMPACT_FACTOR = 4;

const DEFAULTS = { maxEntries: 4096, maxBytes: 64 * 1024 * 1024, maxEntryBytes: 512 * 1024, maxOpenRecords: 256 };

/**
 * What `lockedAppend` needs to know of an append-only file's text: how much of it is whole (a
 * torn last line beyond that is cut off before the next append), or why it is corrupt.
 */
export type InspectAppendOnly = (file: string, text: string) => { validLength: number } | { problem: string };

/** What `lockedAppend` hands its operation. */
export interface AppendOnlyFile {
  /** Whether the file exists with some whole content (false: write its header first). */
  exists: boolean;
  /** Appends `text` (whole lines) to the file. */
  append(text: string): Promise<void>;
}

export class DataFiles {
  readonly #entries = new Map<string, Entry>();
  /** Identity of each append-only file after this process's last append (bounded like the cache). */
  readonly #appended: Lru<string, string>;
  readonly #dirs = new Set<string>();
  /** Record files kept open for appends, least recently written first (see writeText). */
  readonly #open = new Map<string, OpenRecord>();
  readonly #limits: Required<DataFileCacheOptions>;
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #compactions = 0;
  #flushedCompactions = 0;

  constructor(
    readonly queue: FileQueue,
    options: DataFileCacheOptions = {},
  ) {
    this.#limits = { ...DEFAULTS, ...options };
    this.#appended = new Lru(this.#limits.maxEntries);
  }

  /**
   * The parsed content of `file` (a fresh object the caller may change), or undefined when it
   * does not exist. A corrupt file throws CorruptDataFileError and is not cached.
   */
  async read<T>(file: string, problemOf: ProblemOf): Promise<T | undefined> {
    this.queue.assertOpen();
    const hit = this.#get(file);
    if (hit !== undefined) return hit.text === null ? undefined : (JSON.parse(hit.text) as T);
    // A miss fills the cache inside the file's queue slot, so it cannot overtake a write.
    const { text } = await this.queue.run(file, () => this.#load(file, problemOf, false));
    return text === null ? undefined : (JSON.parse(text) as T);
  }

  /**
   * Runs `operation` in `file`'s queue slot with the file's current content (undefined when
   * missing); use it for read-check-write sequences. The file on disk is checked to be the one
   * this process last saw, or else read and checked with `problemOf` again, so a corrupt file is
   * never silently overwritten.
   */
  locked<T, R>(file: string, problemOf: ProblemOf, operation: (current: T | undefined) => Promise<R>): Promise<R> {
    return this.lockedText(file, problemOf, (text) => operation(text === undefined ? undefined : (JSON.parse(text) as T)));
  }

  /** As `locked`, with the file's JSON text (already checked with `problemOf`) instead of a copy. */
  lockedText<R>(file: string, problemOf: ProblemOf, operation: (text: string | undefined) => Promise<R>): Promise<R> {
    return this.queue.run(file, async () => {
      const { text } = await this.#load(file, problemOf, true);
      return operation(text ?? undefined);
    });
  }

  /**
   * Writes `value` atomically (a temp file renamed over the file; with `durable`, flushed too:
   * see writeAtomically). Call it inside the file's queue slot (`locked`), which
   * serialises writers of one file. Resolves with the JSON
   * text written (parse it for a copy that shares nothing with `value`).
   */
  async write(file: string, value: unknown, options: WriteOptions = {}): Promise<string> {
    // Compact: a turn rewrites these files, and indentation only makes that slower.
    const text = JSON.stringify(value);
    await this.writeText(file, text, options);
    return text;
  }

  /**
   * Writes JSON `text` the caller built itself (it must be valid: it is cached as the file's
   * content). Same rules as `write`.
   *
   * A record file holds one version per line, the last whole line current (jsonFile's
   * currentVersion): when this process wrote the file last and it is unchanged since (the
   * identity `lockedText` just checked is the one after that write), the new version is appended
   * through the descriptor kept open from then — one write, plus one flush when `durable`, instead
   * of creating a temp file, renaming it and flushing the directory. A torn append (a crash
   * mid-write) is never acknowledged and is ignored by readers. Otherwise, or once the file
   * would grow too long, the version is written whole, atomically (writeAtomically).
   */
  async writeText(file: string, text: string, options: WriteOptions = {}): Promise<void> {
    const durable = options.durable === true;
    const line = `${text}\n`;
    const bytes = Buffer.byteLength(line);
    const known = this.#entries.get(file);
    const open = this.#open.get(file);
    this.#forget(file);
    const appendable = open !== undefined && known !== undefined && known.id === open.id && options.whole !== true;
    if (appendable && open.size + bytes <= Math.max(COMPACT_MIN_BYTES, COMPACT_FACTOR * bytes)) {
      this.#open.delete(file);
      this.#open.set(file, open);
      open.busy = true;
      try {
        writeFileSync(open.fd, line, 'utf8');
        await (durable ? fdatasyncAsync(open.fd) : afterAppend());
        const stats = fstatSync(open.fd);
        open.size = stats.size;
        open.id = identity(stats);
        open.versions++;
        if (options.neverDurable !== true) open.flushCompaction = true;
      } catch (error) {
        open.closeWhenIdle = true;
        throw error;
      } finally {
        open.busy = false;
        if (open.closeWhenIdle) this.#close(file, open);
      }
      this.#set(file, { text, id: open.id });
      return;
    }
    if (open !== undefined) this.#close(file, open);
    const fd = await this.#inDirectory(dirname(file), () => writeAtomically(file, line, durable));
    const stats = fstatSync(fd);
    const record: OpenRecord = { fd, id: identity(stats), size: stats.size, busy: false, closeWhenIdle: false, versions: 1, flushCompaction: options.neverDurable !== true };
    this.#set(file, { text, id: record.id });
    this.#keepOpen(file, record);
  }

  /** Keeps `record` open for the next append, closing the least recently written beyond the limit. */
  #keepOpen(file: string, record: OpenRecord): void {
    if (this.#limits.maxOpenRecords === 0) {
      closeSync(record.fd);
      return;
    }
    this.#open.set(file, record);
    for (const [oldest, old] of this.#open) {
      if (this.#open.size <= this.#limits.maxOpenRecords) break;
      this.#close(oldest, old);
      // In the file's queue slot, after the write that let it go; nobody waits for it.
      if (old.versions > 1) this.queue.run(oldest, () => this.#compact(oldest, old)).catch(() => undefined);
    }
  }

  /**
   * Rewrites a record file this process let go of as its one current version, so files at rest
   * stay one line (the start-up scan reads whole files). Only when the file is still as this
   * process left it; a failure leaves a valid file of several versions. Call it in the file's slot.
   */
  async #compact(file: string, record: OpenRecord): Promise<void> {
    if (identityOf(file) !== record.id) return;
    const cached = this.#entries.get(file);
    const text = cached !== undefined && cached.id === record.id ? cached.text : null;
    const current = text ?? (await readDataText(file));
    if (current === undefined) return;
    const line = text !== null ? `${text}\n` : `${currentVersion(current).record}\n`;
    this.#compactions++;
    // Flushed unless the file's writes all said they never need to be durable: the rename
    // replaces a file whose content may have been made durable by the answer journal, whose copy
    // a checkpoint may already have deleted.
    if (record.flushCompaction) this.#flushedCompactions++;
    const fd = await writeAtomically(file, line, record.flushCompaction);
    try {
      const id = identity(fstatSync(fd));
      if (text !== null) this.#set(file, { text, id });
      else this.#forget(file);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Compacts every record file kept open (see #compact) and closes them: DataDir.close runs it
   * before closing the queue, so a clean shutdown leaves every record file one line.
   */
  async compactOpenRecords(): Promise<void> {
    const open = [...this.#open];
    for (const [file, record] of open) this.#close(file, record);
    await Promise.all(
      open.filter(([, record]) => record.versions > 1).map(([file, record]) => this.queue.run(file, () => this.#compact(file, record)).catch(() => undefined)),
    );
  }

  /** Stops appending through `record`; its descriptor closes now, or when its write is done. */
  #close(file: string, record: OpenRecord): void {
    if (this.#open.get(file) === record) this.#open.delete(file);
    if (record.busy) {
      record.closeWhenIdle = true;
      return;
    }
    try {
      closeSync(record.fd);
    } catch {
      // Already closed: nothing to release.
    }
  }

  /** Closes every record file kept open for appends (DataDir.close, after the queue drained). */
  closeOpenRecords(): void {
    for (const [file, record] of [...this.#open]) this.#close(file, record);
  }

  /** Record files kept open for appends (benchmarks and tests). */
  get openRecords(): number {
    return this.#open.size;
  }

  /**
   * Runs a write in `dir`, creating the directory the first time this process writes there, and
   * once more if it was removed under us since (a test, an operator): the write then fails with
   * ENOENT and is tried again.
   */
  async #inDirectory<R>(dir: string, write: () => Promise<R>): Promise<R> {
    if (!this.#dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.#dirs.add(dir);
    }
    try {
      return await write();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dir, { recursive: true });
      return write();
    }
  }

  /**
   * Runs `operation` in `file`'s queue slot with a way to append to it (JSON Lines files, whose
   * text is not cached). Unless the file on disk is the one this process last appended to, its
   * text is read and checked with `inspect` first: a corrupt file throws CorruptDataFileError and
   * is never written to, and a torn last line (a write a crash cut short) is cut off.
   */
  lockedAppend<R>(file: string, inspect: InspectAppendOnly, operation: (target: AppendOnlyFile) => Promise<R>): Promise<R> {
    return this.queue.run(file, async () => {
      let size = await this.#checkAppendOnly(file, inspect);
      const dir = dirname(file);
      const target: AppendOnlyFile = {
        exists: size !== 0,
        append: async (text) => {
          const known = this.#appended.get(file);
          this.#appended.delete(file);
          // The file is the one this process last appended to (checked above): append through the
          // descriptor kept open since, as record files do (see writeText).
          const open = this.#open.get(file);
          if (size === -1 && open !== undefined && open.id === known) {
            this.#open.delete(file);
            this.#open.set(file, open);
            try {
              writeFileSync(open.fd, text, 'utf8');
              const id = identity(fstatSync(open.fd));
              open.id = id;
              this.#appended.set(file, id);
            } catch (error) {
              this.#close(file, open);
              throw error;
            }
            await afterAppend();
            return;
          }
          if (open !== undefined) this.#close(file, open);
          // As writeAtomically (see there): open in the thread pool, write at once.
          const fd = await this.#inDirectory(dir, () => openAsync(file, 'a'));
          let id: string;
          try {
            // Appends land at the end whatever the offset; cut a torn tail off first (never
            // extend: a file found shorter than checked, recreated meanwhile, is left as it is).
            if (size >= 0 && fstatSync(fd).size > size) ftruncateSync(fd, size);
            writeFileSync(fd, text, 'utf8');
            id = identity(fstatSync(fd));
          } catch (error) {
            closeSync(fd);
            throw error;
          }
          size = -1;
          this.#appended.set(file, id);
          // Kept open for the conversation's next turn; an append-only log is never compacted.
          this.#keepOpen(file, { fd, id, size: 0, busy: false, closeWhenIdle: false, versions: 0, flushCompaction: false });
        },
      };
      return operation(target);
    });
  }

  /**
   * The whole length of an append-only file (0 when missing or holding no whole line; -1 when it
   * is the file this process last appended to, which needs no cut), after checking it.
   */
  async #checkAppendOnly(file: string, inspect: InspectAppendOnly): Promise<number> {
    const known = this.#appended.get(file);
    if (known !== undefined && isVersion(file, known, this.#open.get(file))) return -1;
    this.#appended.delete(file);
    const text = await readIfPresent(file);
    if (text === undefined) return 0;
    const result = inspect(file, text);
    if ('problem' in result) throw new CorruptDataFileError(file, new Error(result.problem));
    return result.validLength;
  }

  /** Removes `file` (missing is fine). Call it inside the file's queue slot. */
  async remove(file: string, options: WriteOptions = {}): Promise<void> {
    this.#forget(file);
    const open = this.#open.get(file);
    if (open !== undefined) this.#close(file, open);
    this.#appended.delete(file);
    await removeDataFile(file, options);
    this.#set(file, { text: null, id: null });
  }

  /** Cache figures and compactions (all, and those flushed), for benchmarks and tests. */
  stats(): { entries: number; bytes: number; hits: number; misses: number; compactions: number; flushedCompactions: number } {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      hits: this.#hits,
      misses: this.#misses,
      compactions: this.#compactions,
      flushedCompactions: this.#flushedCompactions,
    };
  }

  async #load(file: string, problemOf: ProblemOf, verify: boolean): Promise<Entry> {
    const hit = this.#get(file);
    if (hit !== undefined && (!verify || isVersion(file, hit.id, this.#open.get(file)))) return hit;
    if (hit !== undefined) this.#forget(file);
    this.#misses++;
    const text = (await readIfPresent(file)) ?? null;
    // The cache holds the current version only (a record file may hold several, one per line).
    const record = text === null ? null : parseDataVersion(file, text, problemOf).record;
    const entry = { text: record, id: text === null ? null : identityOf(file) };
    this.#set(file, entry);
    return entry;
  }

  #get(file: string): Entry | undefined {
    const entry = this.#entries.get(file);
    if (entry === undefined) return undefined;
    this.#hits++;
    // Most recently used last: Map keeps insertion order.
    this.#entries.delete(file);
    this.#entries.set(file, entry);
    return entry;
  }

  #set(file: string, entry: Entry): void {
    this.#forget(file);
    const size = entry.text?.length ?? 0;
    if (this.#limits.maxEntries === 0 || size > this.#limits.maxEntryBytes) return;
    this.#entries.set(file, entry);
    this.#bytes += size;
    for (const [oldest, old] of this.#entries) {
      if (this.#entries.size <= this.#limits.maxEntries && this.#bytes <= this.#limits.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= old.text?.length ?? 0;
    }
  }

  #forget(file: string): void {
    const entry = this.#entries.get(file);
    if (entry === undefined) return;
    this.#entries.delete(file);
    this.#bytes -= entry.text?.length ?? 0;
  }
}
