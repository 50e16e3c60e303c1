/**
 * One process per DATA_DIR. Two bots writing the same files would overwrite each other's
 * interviews, so the directory is locked with proper-lockfile (a `.lock` directory inside
 * DATA_DIR whose mtime the holder refreshes; a lock left by a SIGKILLed process goes stale after
 * `staleMs`). Beside it, `lock-owner.json` says who holds the lock, for the error message.
 */
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { readDataFile, removeDataFile, writeDataFile } from './jsonFile.js';
import { LOCK_DIR, LOCK_OWNER_FILE } from './layout.js';

/** proper-lockfile refuses stale thresholds under 2 s. */
const MIN_STALE_MS = 2000;
export const DEFAULT_STALE_MS = 10_000;

/** Who holds a data directory. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** The command line, e.g. `node …/tsx bot/index.ts`. */
  command: string;
  since: string;
}

export interface LockOptions {
  /** A lock not refreshed for this long is taken over (default 10 s, at least 2 s). */
  staleMs?: number;
  /**
   * When the holder is a process on this host that no longer exists (SIGKILL, power cut of a
   * container), wait up to this long for its lock to go stale instead of failing
   * (default staleMs + 2 s). A live holder is refused at once.
   */
  waitForDeadOwnerMs?: number;
  /** Called if the lock is lost while held (default: throw, which stops the process). */
  onCompromised?: (error: Error) => void;
}

export interface DataDirLock {
  release(): Promise<void>;
}

const lockPath = (dir: string): string => join(dir, LOCK_DIR);
const ownerPath = (dir: string): string => join(dir, LOCK_OWNER_FILE);

/** Raised when another process (or another open DataDir in this one) holds the directory. */
export class DataDirLockedError extends Error {
  readonly code = 'EDATADIRLOCKED';
  constructor(
    readonly dir: string,
    readonly owner: LockOwner | undefined,
    staleMs: number,
  ) {
    const who =
      owner === undefined
        ? 'another process (its owner file is missing)'
        : owner.pid === process.pid && owner.hostname === hostname()
          ? `this same process (pid ${owner.pid}), which opened it already: close() the first DataDir before opening it again`
          : `process ${owner.pid} on host ${owner.hostname} since ${owner.since} (${owner.command})`;
    super(
      `Data directory ${dir} is locked by ${who}. Only one process may use a data directory: ` +
        'stop the other process (for example another `npm start` of the bot) or set DATA_DIR to a ' +
        `different directory. If that process is no longer running, its lock goes stale within ` +
        `${Math.round(staleMs / 1000)} s; then try again.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function isLockOwner(value: unknown): value is LockOwner {
  const o = value as Partial<LockOwner> | null;
  return typeof o === 'object' && o !== null && typeof o.pid === 'number' && typeof o.hostname === 'string';
}

/** Who holds (or last held) the lock of `dir`, if it says so. */
export async function readLockOwner(dir: string): Promise<LockOwner | undefined> {
  try {
    return await readDataFile<LockOwner>(ownerPath(dir), (_file, value) =>
      isLockOwner(value) ? undefined : 'not a lock owner record',
    );
  } catch {
    // A garbled owner file only costs detail in an error message.
    return undefined;
  }
}

/** True when `owner` was a process on this host that has exited. */
function ownerIsGone(owner: LockOwner | undefined): boolean {
  if (owner === undefined || owner.hostname !== hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** True while a live (not stale) lock is held on `dir` by anyone. */
export async function isDataDirLocked(dir: string, staleMs = DEFAULT_STALE_MS): Promise<boolean> {
  return lockfile.check(dir, { stale: Math.max(staleMs, MIN_STALE_MS), lockfilePath: lockPath(dir) });
}

/**
 * Takes the lock of an existing directory `dir`; rejects with DataDirLockedError when it is held.
 * The lock is released by `release()` or, as a last resort, when the process exits.
 */
export async function lockDataDir(dir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const absolute = resolve(dir);
  const staleMs = Math.max(options.staleMs ?? DEFAULT_STALE_MS, MIN_STALE_MS);
  const deadline = Date.now() + (options.waitForDeadOwnerMs ?? staleMs + 2000);
  const onCompromised =
    options.onCompromised ??
    ((error: Error) => {
      throw new Error(
        `Lost the lock on data directory ${absolute} (${error.message}): another process may now be ` +
          'writing the same files, so this one stops. Make sure only one bot uses this DATA_DIR, then restart.',
      );
    });
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(absolute, { stale: staleMs, lockfilePath: lockPath(absolute), onCompromised });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const owner = await readLockOwner(absolute);
      if (ownerIsGone(owner) && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 200));
        continue;
      }
      throw new DataDirLockedError(absolute, owner, staleMs);
    }
  }
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    command: process.argv.join(' ').slice(0, 300),
    since: new Date().toISOString(),
  };
  try {
    await writeDataFile(ownerPath(absolute), owner);
  } catch (error) {
    await release();
    throw error;
  }
  return {
    async release() {
      await removeDataFile(ownerPath(absolute));
      await release();
    },
  };
}
