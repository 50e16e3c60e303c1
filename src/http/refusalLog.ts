/**
 * Logs refused requests (bad or missing tokens) without flooding: the first of each window in
 * full, then, when the window ends, how many more were refused in it. botbuilder's own
 * `process()` prints a stack trace for every one, which an attacker can use to fill the disk.
 */
export type LogFn = (message: string, fields?: Record<string, unknown>) => void;

export class RefusalLog {
  #windowStart = -Infinity;
  #suppressed = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly log: LogFn,
    private readonly windowMs = 60_000,
  ) {}

  /** Records one refusal; `reason` is cut to 200 characters (it may carry what the caller sent). */
  refused(reason: string): void {
    const now = Date.now();
    if (now - this.#windowStart < this.windowMs) {
      this.#suppressed++;
      return;
    }
    this.#summarise();
    this.#windowStart = now;
    this.log('[messages] refused an unauthenticated request', { reason: reason.slice(0, 200) });
    // The count of a burst is printed when its window ends, even if nothing follows it. The
    // timer does not keep the process alive.
    this.#timer = setTimeout(() => this.#summarise(), this.windowMs);
    this.#timer.unref?.();
  }

  /** Prints what is pending and stops the timer (the server is closing). */
  close(): void {
    this.#summarise();
  }

  #summarise(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#suppressed > 0) {
      this.log('[messages] more requests refused in the same minute', { count: this.#suppressed, windowSeconds: this.windowMs / 1000 });
    }
    this.#suppressed = 0;
  }
}
