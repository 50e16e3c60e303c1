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

/**
 * A state item's JSON without its eTag, taken at the call (so neither side can change the other's
 * object afterwards; no clone needed), and the eTag it was written against. Throws unless `value`
 * is a plain object that serialises to a JSON object.
 */
function serialise(key: string, value: unknown): { body: string; wanted: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Storage item for "${key}" must be a plain object (got ${Array.isArray(value) ? 'an array' : typeof value}).`);
  }
  const { eTag: wanted, ...rest } = value as Record<string, unknown>;
  const body = JSON.stringify(rest);
  if (body === undefined || !body.startsWith('{')) {
    throw new TypeError(`Storage item for "${key}" must serialise to a JSON object.`);
  }
  return { body, wanted };
}

/** Where this store writes a record's eTag: last, so it can be read without parsing the record. */
const TRAILING_ETAG = /,?"eTag":("(?:[^"\\]|\\.)*")\}\}$/;

/** The eTag of a stored record's text (already checked to be a state record). */
function storedETag(text: string): unknown {
  const match = TRAILING_ETAG.exec(text);
  // A record written otherwise (an older version, an operator's edit) is parsed.
  return match ? (JSON.parse(match[1] as string) as string) : (JSON.parse(text) as StateRecord).item.eTag;
}

/** The state record's text: `{ key, item }` with the item's new eTag added. */
function recordText(key: string, body: string, eTag: string): string {
  const item = body === '{}' ? `{"eTag":${JSON.stringify(eTag)}}` : `${body.slice(0, -1)},"eTag":${JSON.stringify(eTag)}}`;
  return `{"key":${JSON.stringify(key)},"item":${item}}`;
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
    // Validate and serialise every item before touching any file.
    const items = Object.entries(changes).map(([key, value]) => {
      return [key, serialise(key, value)] as const;
    });
    const results = await Promise.allSettled(
      items.map(([key, { body, wanted }]) =>
        // `locked` reads (from the cache when it can) even for unconditional writes: a corrupt
        // file must fail loudly, not be overwritten.
        this.files.lockedText(stateFile(this.dataDir, key), stateRecordProblem, async (current) => {
          if (wanted !== undefined && wanted !== null && wanted !== '*' && wanted !== '') {
            if (current === undefined || storedETag(current) !== wanted) throw new Error(eTagConflictMessage(key));
          }
          const text = recordText(key, body, `${Date.now().toString(36)}-${randomUUID()}`);
          // State is written without a flush (a power cut may lose the last turns' place in the
          // dialog, never an answer): its compaction needs none either.
          await this.files.writeText(stateFile(this.dataDir, key), text, { neverDurable: true });
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
