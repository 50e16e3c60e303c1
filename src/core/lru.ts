/**
 * A map that keeps at most `limit` entries, the least recently used going first (Map keeps
 * insertion order; a read moves an entry to the end). For caches whose keys come from outside
 * (channel ids, serviceUrls, file names), so memory stays bounded whatever is sent.
 */
export class Lru<K, V> {
  readonly #map = new Map<K, V>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`An Lru limit must be a whole number ≥ 0, got ${limit}`);
  }

  /** The value under `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  /** Keeps `value` under `key` (most recently used), dropping the oldest beyond the limit. */
  set(key: K, value: V): void {
    this.#map.delete(key);
    if (this.limit === 0) return;
    this.#map.set(key, value);
    for (const oldest of this.#map.keys()) {
      if (this.#map.size <= this.limit) break;
      this.#map.delete(oldest);
    }
  }

  /** Forgets `key`. */
  delete(key: K): void {
    this.#map.delete(key);
  }

  /** The value under `key` without touching its recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  get size(): number {
    return this.#map.size;
  }
}
