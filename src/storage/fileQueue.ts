/**
 * Serialises operations per file: an operation on a path starts only after the previous one on
 * the same path has settled, so two writers never race on steno's shared temp file and a
 * read-check-write (eTags, transcript appends) is not interleaved with another. Different paths
 * run concurrently. Also the gate that `close()` uses to wait for work in flight.
 */
export class FileQueue {
  readonly #tails = new Map<string, Promise<unknown>>();
  #closed = false;

  /** Runs `operation` once every earlier operation on `path` has settled. */
  run<T>(path: string, operation: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const previous = this.#tails.get(path) ?? Promise.resolve();
    const result = previous.then(() => operation());
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(path, tail);
    // Forget idle paths so the map does not grow with the number of keys ever touched.
    void tail.then(() => {
      if (this.#tails.get(path) === tail) this.#tails.delete(path);
    });
    return result;
  }

  /** Throws once `close()` was called (reads check this too, though they need no queue). */
  assertOpen(): void {
    if (this.#closed) {
      throw new Error('Storage is closed: this DataDir was closed; open the data directory again to use it.');
    }
  }

  /** Number of paths with work queued or running (for tests). */
  get busyPaths(): number {
    return this.#tails.size;
  }

  /**
   * Resolves when all queued work has settled, then refuses new work. Work queued before the call
   * may still start work of its own while it drains (a transcript append that reads an old file,
   * an erasure that removes two): the gate closes only once everything is idle, so a shutdown
   * finishes what turns left behind (botbuilder logs transcripts without awaiting them) instead
   * of failing it. Callers stop new work arriving first (the HTTP server is closed).
   */
  async close(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
    this.#closed = true;
    // Anything that slipped in between the last settle and the gate.
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
