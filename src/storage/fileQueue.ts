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

  /** Refuses new work and resolves when all queued work has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
