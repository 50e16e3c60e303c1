/**
 * Staff sessions. The running process holds them in memory; with a `file` (the review routes use
 * `DATA_DIR/staff-sessions.json`) they also survive a restart, so a deploy does not sign staff
 * out. The file keeps no session id, only its SHA-256: a copy of it signs nobody in. A session
 * ends at its absolute expiry (8 h by default, `REVIEW_SESSION_HOURS`), after an idle hour, on
 * sign-out, or when its account is removed (checked by the caller on every request).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeDataText } from '../storage/jsonFile.js';
import type { StaffRole } from './accounts.js';

export interface Session {
  /** 32 random bytes, base64url: the cookie value. */
  id: string;
  name: string;
  /** The role at sign-in; the caller re-reads the account for the current one. */
  role: StaffRole;
  /** The account's password stamp at sign-in (a password change ends the session). */
  stamp: string;
  /** Required in `X-CSRF-Token` on every state-changing request. */
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface SessionOptions {
  /** Absolute lifetime (default 8 h). */
  absoluteMs?: number;
  /** Ends a session not used for this long (default 1 h, never more than the absolute lifetime). */
  idleMs?: number;
  now?: () => number;
  /** Where sessions are kept across restarts (none: memory only). */
  file?: string;
  /** Where a problem with `file` is reported (default console.warn). */
  log?: (message: string) => void;
}

const HOUR = 3_600_000;
/** The sessions' file in DATA_DIR. */
export const STAFF_SESSIONS_FILE = 'staff-sessions.json';
/** A session's last use is written down at most this often (its idle limit is an hour). */
const TOUCH_PERSIST_MS = 5 * 60_000;

/** What the file keeps of a session: everything but its id, which only the browser holds. */
type StoredSession = Omit<Session, 'id'> & { key: string };

const keyOf = (id: string): string => createHash('sha256').update(id).digest('base64url');

const ROLES = new Set(['viewer', 'editor', 'admin']);
function isStoredSession(v: unknown): v is StoredSession {
  const s = v as Partial<StoredSession> | null;
  return (
    typeof s === 'object' && s !== null &&
    typeof s.key === 'string' && typeof s.name === 'string' && ROLES.has(s.role as string) &&
    typeof s.stamp === 'string' && typeof s.csrf === 'string' &&
    [s.createdAt, s.lastSeenAt, s.expiresAt].every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

/** Session lifetime from `REVIEW_SESSION_HOURS` (default 8; a clear error for nonsense). */
export function sessionHoursFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.REVIEW_SESSION_HOURS?.trim();
  if (raw === undefined || raw === '') return 8;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) {
    throw new Error(`REVIEW_SESSION_HOURS=${JSON.stringify(raw)} is not valid: give a number of hours between 0 and 720 (default 8).`);
  }
  return hours;
}

/** Constant-time comparison of two tokens (strings of any length). */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  /** By the SHA-256 of the session id (see keyOf). */
  readonly #sessions = new Map<string, Session>();
  readonly absoluteMs: number;
  readonly idleMs: number;
  readonly #now: () => number;
  readonly #file: string | undefined;
  readonly #log: (message: string) => void;
  /** Last use as last written to the file, by key (touches are written at most every 5 minutes). */
  readonly #persistedSeen = new Map<string, number>();
  #saving: Promise<void> | undefined;
  #dirty = false;

  constructor(options: SessionOptions = {}) {
    this.absoluteMs = options.absoluteMs ?? 8 * HOUR;
    this.idleMs = Math.min(options.idleMs ?? HOUR, this.absoluteMs);
    this.#now = options.now ?? Date.now;
    this.#file = options.file;
    this.#log = options.log ?? ((message) => console.warn(message));
    if (this.#file) this.#load(this.#file);
  }

  /** Starts a session for an account that just signed in. */
  create(name: string, role: StaffRole, stamp: string): Session {
    this.#sweep();
    const now = this.#now();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      name,
      role,
      stamp,
      csrf: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.absoluteMs,
    };
    this.#sessions.set(keyOf(session.id), session);
    this.#persist();
    return session;
  }

  /** The live session with this id (touching it), or undefined when unknown or expired. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const key = keyOf(id);
    const session = this.#sessions.get(key);
    if (!session) return undefined;
    const now = this.#now();
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.idleMs) {
      this.#sessions.delete(key);
      this.#persist();
      return undefined;
    }
    // A session restored from the file learns its id back from the cookie that named it.
    session.id = id;
    session.lastSeenAt = now;
    if (now - (this.#persistedSeen.get(key) ?? 0) >= TOUCH_PERSIST_MS) this.#persist();
    return session;
  }

  delete(id: string): void {
    if (this.#sessions.delete(keyOf(id))) this.#persist();
  }

  /** Ends every session of an account (removed, or its password changed). */
  deleteFor(name: string): void {
    let changed = false;
    for (const [key, s] of this.#sessions) {
      if (s.name === name) changed = this.#sessions.delete(key) || changed;
    }
    if (changed) this.#persist();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Resolves once every change so far is in the file (tests; a clean shutdown). */
  async flush(): Promise<void> {
    while (this.#saving) await this.#saving;
  }

  /** Drops expired sessions (on each sign-in: no timer keeps the process alive). */
  #sweep(): void {
    const now = this.#now();
    for (const [key, s] of this.#sessions) {
      if (now >= s.expiresAt || now - s.lastSeenAt >= this.idleMs) this.#sessions.delete(key);
    }
  }

  /**
   * Reads the sessions kept by an earlier run. Sessions are disposable: a file that cannot be
   * read is reported and the store starts empty (staff sign in again), and the next change
   * replaces it.
   */
  #load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#log(`Staff sessions not restored from ${file}: ${(error as Error).message}`);
      return;
    }
    let stored: unknown;
    try {
      stored = JSON.parse(text);
    } catch (error) {
      this.#log(`Staff sessions not restored: ${file} is not valid JSON (${(error as Error).message}); staff sign in again.`);
      return;
    }
    if (!Array.isArray(stored)) {
      this.#log(`Staff sessions not restored: ${file} does not hold a list; staff sign in again.`);
      return;
    }
    const now = this.#now();
    for (const s of stored) {
      if (!isStoredSession(s)) continue;
      if (now >= s.expiresAt || now - s.lastSeenAt >= this.idleMs) continue;
      const { key, ...rest } = s;
      this.#sessions.set(key, { ...rest, id: '' });
      this.#persistedSeen.set(key, s.lastSeenAt);
    }
  }

  /** Writes the sessions to the file soon (one write at a time; changes meanwhile join the next). */
  #persist(): void {
    const file = this.#file;
    if (!file) return;
    this.#dirty = true;
    if (this.#saving) return;
    this.#saving = (async () => {
      while (this.#dirty) {
        this.#dirty = false;
        const list: StoredSession[] = [...this.#sessions].map(([key, { id: _id, ...rest }]) => ({ key, ...rest }));
        try {
          await writeDataText(file, `${JSON.stringify(list)}\n`);
          for (const s of list) this.#persistedSeen.set(s.key, s.lastSeenAt);
        } catch (error) {
          this.#log(`Staff sessions not saved to ${file}: ${(error as Error).message}`);
        }
      }
    })().finally(() => {
      this.#saving = undefined;
    });
  }
}
