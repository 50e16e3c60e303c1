/**
 * Group commit: one flush shared by every caller that asked while the previous flush ran. A caller
 * is only ever answered by a flush that started after its request, so what it wrote before asking
 * is covered; callers arriving meanwhile join the next flush instead of queueing one each.
 */
export class GroupCommit {
  #waiting: Promise<void> | undefined;
  #running: Promise<void> | undefined;
  #count = 0;

  constructor(private readonly flush: () => Promise<void>) {}

  /** Resolves once a flush that started after this call has completed. */
  request(): Promise<void> {
    if (this.#waiting !== undefined) return this.#waiting;
    const previous = this.#running ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => {
        this.#waiting = undefined;
        this.#count++;
        const run = this.flush();
        this.#running = run;
        const done = () => {
          if (this.#running === run) this.#running = undefined;
        };
        run.then(done, done);
        return run;
      });
    this.#waiting = next;
    return next;
  }

  /** Flushes started so far (benchmarks and tests). */
  get flushes(): number {
    return this.#count;
  }

  /** Resolves when no flush is waiting or running. */
  async idle(): Promise<void> {
    while (this.#waiting !== undefined || this.#running !== undefined) {
      await (this.#waiting ?? this.#running)?.catch(() => undefined);
    }
  }
}
