/**
 * Slows down guessing: failed sign-ins are counted per account name and per remote address.
 * After a few free failures every further attempt waits exponentially longer (0, 0, 0.5 s, 1 s,
 * 2 s … capped at 8 s), and after many the answer is 429 with Retry-After until the failures
 * age out. An attempt counts as a failure from the moment it starts (and is given back when it
 * succeeds), so sending many guesses in parallel does not dodge the delay.
 */

export interface ThrottleRule {
  /** Failures that cost nothing (typos). */
  free: number;
  /** At this many failures, refuse with 429 until they age out. */
  lockAfter: number;
}

export interface ThrottleOptions {
  /** Delay after the free failures; doubles with each further failure (default 500 ms). */
  baseDelayMs?: number;
  /** Cap of the delay (default 8 s). */
  maxDelayMs?: number;
  /** Failures are forgotten this long after the last one (default 15 min). */
  windowMs?: number;
  account?: ThrottleRule;
  /** Looser: several staff may share an office's address. */
  address?: ThrottleRule;
  now?: () => number;
}

export type ThrottleDecision = { kind: 'wait'; delayMs: number } | { kind: 'locked'; retryAfterSeconds: number };

interface Counter {
  failures: number;
  lastFailureAt: number;
}

/** Keeps memory bounded when someone sprays random names. */
const MAX_KEYS = 10_000;

export class SignInThrottle {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
  readonly #rules: { account: ThrottleRule; address: ThrottleRule };
  readonly #counters = new Map<string, Counter>();
  readonly #now: () => number;

  constructor(options: ThrottleOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.#rules = {
      account: options.account ?? { free: 2, lockAfter: 10 },
      address: options.address ?? { free: 10, lockAfter: 50 },
    };
    this.#now = options.now ?? Date.now;
  }

  /** The delay before the next attempt after `failures` failures under `rule`. */
  delayFor(failures: number, rule: ThrottleRule = this.#rules.account): number {
    if (failures < rule.free) return 0;
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (failures - rule.free));
  }

  #keys(name: string, address: string): { account: string; address: string } {
    return { account: `n:${name.toLowerCase().slice(0, 64)}`, address: `a:${address}` };
  }

  #counter(key: string): Counter | undefined {
    const c = this.#counters.get(key);
    if (c && this.#now() - c.lastFailureAt >= this.windowMs) {
      this.#counters.delete(key);
      return undefined;
    }
    return c;
  }

  /**
   * Decides about an attempt and, unless it is refused, counts it as a failure right away.
   * Call `succeeded` when the password was right.
   */
  begin(name: string, address: string): ThrottleDecision {
    const keys = this.#keys(name, address);
    const account = this.#counter(keys.account);
    const addr = this.#counter(keys.address);
    const now = this.#now();
    const lockedUntil = Math.max(
      account && account.failures >= this.#rules.account.lockAfter ? account.lastFailureAt + this.windowMs : 0,
      addr && addr.failures >= this.#rules.address.lockAfter ? addr.lastFailureAt + this.windowMs : 0,
    );
    if (lockedUntil > now) return { kind: 'locked', retryAfterSeconds: Math.ceil((lockedUntil - now) / 1000) };
    const delayMs = Math.max(
      this.delayFor(account?.failures ?? 0, this.#rules.account),
      this.delayFor(addr?.failures ?? 0, this.#rules.address),
    );
    this.#fail(keys.account);
    this.#fail(keys.address);
    return { kind: 'wait', delayMs };
  }

  /** The attempt was right: its account starts afresh and the address gets its attempt back. */
  succeeded(name: string, address: string): void {
    const keys = this.#keys(name, address);
    this.#counters.delete(keys.account);
    const addr = this.#counters.get(keys.address);
    if (addr) {
      addr.failures -= 1;
      if (addr.failures <= 0) this.#counters.delete(keys.address);
    }
  }

  #fail(key: string): void {
    const now = this.#now();
    const c = this.#counter(key);
    if (c) {
      c.failures += 1;
      c.lastFailureAt = now;
      return;
    }
    if (this.#counters.size >= MAX_KEYS) {
      // Forget the oldest entry (Map keeps insertion order).
      const oldest = this.#counters.keys().next().value;
      if (oldest !== undefined) this.#counters.delete(oldest);
    }
    this.#counters.set(key, { failures: 1, lastFailureAt: now });
  }
}
