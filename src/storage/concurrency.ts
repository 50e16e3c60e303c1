/**
 * Bounded concurrency for reading many small files: all at once exhausts file descriptors,
 * one by one is slow; a pool of workers keeps `limit` reads in flight.
 */

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How many files are read at once by scans and listings. */
export const READ_CONCURRENCY = 64;
