/**
 * Where every record lives under DATA_DIR. The only place that turns ids into paths:
 * ids that come from channels (keys, conversation ids, user ids) are digested, and wave ids and
 * response ids are checked against a strict pattern, so no id can name a file outside DATA_DIR.
 */
import { basename, dirname, join } from 'node:path';
import { digest } from '../core/ids.js';
import { Lru } from '../core/lru.js';

/** Sub-directories of DATA_DIR that hold data files (the scan and repair walk exactly these). */
export const DATA_SUBDIRS = ['state', 'responses', 'transcripts'] as const;
export type DataSubdir = (typeof DATA_SUBDIRS)[number];

/** proper-lockfile's lock directory and the note of who holds it, both in DATA_DIR itself. */
export const LOCK_DIR = '.lock';
export const LOCK_OWNER_FILE = 'lock-owner.json';

/** Where `repair` moves corrupt files; never read as data. */
export const QUARANTINE_DIR = 'quarantine';

/** Wave ids and response ids become path segments, so only this alphabet is allowed. */
export const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A response id is `<wave id>-<32 hex digits>` (src/core/ids.ts), so it may be longer than a wave id. */
export const SAFE_RESPONSE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Throws a clear error unless `id` may be used as a file or directory name. */
export function assertSafeId(kind: 'wave id' | 'response id', id: unknown): asserts id is string {
  const pattern = kind === 'response id' ? SAFE_RESPONSE_ID : SAFE_ID;
  if (typeof id !== 'string' || !pattern.test(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id) : String(id);
    throw new Error(
      `Invalid ${kind} ${shown}: use 1 to ${kind === 'response id' ? 100 : 64} characters from A-Z, a-z, 0-9, "_" and "-" ` +
        '(it becomes a file name under DATA_DIR).',
    );
  }
}

/**
 * Recently named files by kind, directory and id: a turn names its state and transcript files
 * several times, and each name costs a SHA-256. Bounded (4,096 names of short ids); the oldest
 * names go first.
 */
const recentNames = new Lru<string, string>(4096);

function remembered(cacheKey: string, name: () => string): string {
  // Long ids are not kept: the memory must stay small whatever a channel sends.
  if (cacheKey.length > 512) return name();
  const known = recentNames.get(cacheKey);
  if (known !== undefined) return known;
  const made = name();
  recentNames.set(cacheKey, made);
  return made;
}

/** `DATA_DIR/state/<digest(key)>.json`. */
export function stateFile(dataDir: string, key: string): string {
  return remembered(`s\u0000${dataDir}\u0000${key}`, () => join(dataDir, 'state', `${digest(key)}.json`));
}

/** `DATA_DIR/responses/<wave>`. */
export function waveDir(dataDir: string, wave: string): string {
  assertSafeId('wave id', wave);
  return join(dataDir, 'responses', wave);
}

/** `DATA_DIR/responses/<wave>/<responseId>.json`. */
export function responseFile(dataDir: string, wave: string, id: string): string {
  assertSafeId('response id', id);
  return join(waveDir(dataDir, wave), `${id}.json`);
}

/** The digest that names a conversation's transcript; NUL cannot occur in a channel id. */
export function transcriptDigest(channel: string, conversationId: string): string {
  return digest(`${channel}\u0000${conversationId}`);
}

/** `DATA_DIR/transcripts/<digest(channel + NUL + conversationId)>.jsonl` (see transcriptLines.ts). */
export function transcriptFile(dataDir: string, channel: string, conversationId: string): string {
  return remembered(`t\u0000${dataDir}\u0000${channel}\u0000${conversationId}`, () =>
    join(dataDir, 'transcripts', `${transcriptDigest(channel, conversationId)}.jsonl`),
  );
}

/**
 * `…/<digest>.json`: a transcript as versions before JSON Lines wrote it (one JSON document).
 * Still read; the next append moves its activities into the `.jsonl` file and removes it.
 */
export function legacyTranscriptFile(dataDir: string, channel: string, conversationId: string): string {
  return join(dataDir, 'transcripts', `${transcriptDigest(channel, conversationId)}.json`);
}

/**
 * The temporary file steno (lowdb's writer) writes before renaming it over `file`:
 * `/some/file` → `/some/.file.tmp` (node_modules/steno/lib/index.js, getTempFilename).
 */
export function tempFileOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp`);
}

/** True for a name steno uses as a temporary file (`.<name>.tmp`). */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp') && name.length > '..tmp'.length;
}

/** True for a data file name (`<something>.json`, not hidden). */
export function isDataFileName(name: string): boolean {
  return !name.startsWith('.') && name.endsWith('.json');
}

/** True for an append-only data file name (`<something>.jsonl`, not hidden): transcripts. */
export function isJsonLinesFileName(name: string): boolean {
  return !name.startsWith('.') && name.endsWith('.jsonl');
}
