/**
 * botbuilder-style key/value storage (bot/ hands it to ConversationState and UserState), one
 * file per key: `DATA_DIR/state/<digest(key)>.json` holding `{ key, item }`. A turn touches only
 * its own keys' files, so its cost does not grow with the number of stored conversations.
 */
import { randomUUID } from 'node:crypto';
import type { DataFiles } from './dataFiles.js';
import { stateFile } from './layout.js';
import { stateRecordProblem, type StateRecord } from './records.js';
import type { KeyValueStore, StoreItems } from './types.js';

/** The message botbuilder's MemoryStorage uses; callers (BotState) may match on it. */
export function eTagConflictMessage(key: string): string {
  return `Storage: error writing "${key}" due to eTag conflict.`;
}

function assertKeys(keys: unknown, action: 'reading' | 'deleting'): asserts keys is string[] {
  if (!Array.isArray(keys)) throw new ReferenceError(`Keys are required when ${action}: pass an array of keys.`);
  for (const key of keys) {
    if (typeof key !== 'string') throw new TypeError(`Storage keys must be strings; got ${typeof key} when ${action}.`);
  }
}

/** A JSON deep copy, so that neither side can change the other's object afterwards. */
function jsonClone(value: unknown, key: string): Record<string, unknown> {
  const text = JSON.stringify(value);
  const clone: unknown = text === undefined ? undefined : JSON.parse(text);
  if (typeof clone !== 'object' || clone === null || Array.isArray(clone)) {
    throw new TypeError(`Storage item for "${key}" must be a plain object (got ${Array.isArray(value) ? 'an array' : typeof value}).`);
  }
  return clone as Record<string, unknown>;
}

export class FileKeyValueStore implements KeyValueStore {
  constructor(
    private readonly dataDir: string,
    private readonly files: DataFiles,
  ) {}

  /** Returns the existing keys only, each item with its eTag. */
  async read(keys: string[]): Promise<StoreItems> {
    assertKeys(keys, 'reading');
    const items: StoreItems = {};
    const records = await Promise.all(keys.map((key) => this.files.read<StateRecord>(stateFile(this.dataDir, key), stateRecordProblem)));
    records.forEach((record, i) => {
      if (record !== undefined) items[keys[i] as string] = record.item;
    });
    return items;
  }

  /**
   * Writes each key under its own file's queue: `*` or no eTag writes unconditionally, any other
   * eTag must equal the stored one (a missing key has none, so that is a conflict too). Every
   * key is attempted; the first failure is then thrown.
   */
  async write(changes: StoreItems): Promise<void> {
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
      throw new ReferenceError('Changes are required when writing: pass an object of key → item.');
    }
    // Clone (and so validate) every item before touching any file.
    const items = Object.entries(changes).map(([key, value]) => [key, jsonClone(value, key)] as const);
    const results = await Promise.allSettled(
      items.map(([key, item]) =>
        // `locked` reads (from the cache when it can) even for unconditional writes: a corrupt
        // file must fail loudly, not be overwritten.
        this.files.locked<StateRecord, void>(stateFile(this.dataDir, key), stateRecordProblem, async (current) => {
          const wanted = item.eTag;
          if (wanted !== undefined && wanted !== null && wanted !== '*' && wanted !== '') {
            if (current === undefined || current.item.eTag !== wanted) throw new Error(eTagConflictMessage(key));
          }
          item.eTag = `${Date.now().toString(36)}-${randomUUID()}`;
          const record: StateRecord = { key, item };
          await this.files.write(stateFile(this.dataDir, key), record);
        }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Removes the keys' files; a missing key is fine, a corrupt file is refused. */
  async delete(keys: string[]): Promise<void> {
    assertKeys(keys, 'deleting');
    await Promise.all(
      keys.map((key) => {
        const file = stateFile(this.dataDir, key);
        // A corrupt file is evidence to keep (`locked` refuses it): `npm run data -- repair` moves it aside.
        return this.files.locked(file, stateRecordProblem, () => this.files.remove(file));
      }),
    );
  }
}
