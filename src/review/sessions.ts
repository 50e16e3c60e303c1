/**
 * Staff sessions, in memory: a restart signs everybody out, which is acceptable for a handful of
 * staff and keeps session ids out of DATA_DIR. A session ends at its absolute expiry (8 h by
 * default, `REVIEW_SESSION_HOURS`), after an idle hour, on sign-out, or when its account is
 * removed (checked by the caller on every request).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
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
}

const HOUR = 3_600_000;

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
  readonly #sessions = new Map<string, Session>();
  readonly absoluteMs: number;
  readonly idleMs: number;
  readonly #now: () => number;

  constructor(options: SessionOptions = {}) {
    this.absoluteMs = options.absoluteMs ?? 8 * HOUR;
    this.idleMs = Math.min(options.idleMs ?? HOUR, this.absoluteMs);
    this.#now = options.now ?? Date.now;
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
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (touching it), or undefined when unknown or expired. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.#now();
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.idleMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  /** Ends every session of an account (removed, or its password changed). */
  deleteFor(name: string): void {
    for (const [id, s] of this.#sessions) if (s.name === name) this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Drops expired sessions (on each sign-in: no timer keeps the process alive). */
  #sweep(): void {
    const now = this.#now();
    for (const [id, s] of this.#sessions) {
      if (now >= s.expiresAt || now - s.lastSeenAt >= this.idleMs) this.#sessions.delete(id);
    }
  }
}
