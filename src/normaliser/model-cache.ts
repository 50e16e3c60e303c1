/**
 * The snapshot cache: trained weights saved under a key that hashes everything the training
 * read (questionnaire, cue lexicons, training files, staff examples) and the normaliser's own
 * source. A start with unchanged inputs loads the snapshot instead of training (tens of ms
 * instead of about a second); any change to data or code gives a new key, so a stale model is
 * never used. The cache is an optimisation only: unreadable or unwritable means "train".
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DontKnowJson } from './dont-know-model.js';
import type { QuestionModelJson } from './question-model.js';

/** Bump when the snapshot's shape changes. */
const FORMAT = 2;
/** Snapshots kept per cache folder (the newest), so staff retraining does not fill the disk. */
const KEEP = 4;

export interface Snapshot {
  format: number;
  key: string;
  questions: QuestionModelJson[];
  dontKnow: DontKnowJson;
}

/** Default cache folder: `var/cache/normaliser/` in the project (git-ignored runtime data). */
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../var/cache/normaliser/', import.meta.url));

let fingerprint: string | undefined;

/** A hash of the normaliser's source files: changed code never meets an old model. */
export function sourceFingerprint(): string {
  if (fingerprint) return fingerprint;
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') || f.endsWith('.js')).sort()) {
    hash.update(file).update(readFileSync(join(dir, file)));
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}

/** The key of a set of training inputs (any JSON-able value). */
export function snapshotKey(inputs: unknown): string {
  return createHash('sha256').update(`${FORMAT}\n${sourceFingerprint()}\n`).update(JSON.stringify(inputs)).digest('hex');
}

function fileOf(dir: string, key: string): string {
  return join(dir, `model-${key.slice(0, 24)}.json`);
}

/** The snapshot for `key`, or undefined when there is none or it does not read back cleanly. */
export function readSnapshot(dir: string, key: string): Snapshot | undefined {
  try {
    const snapshot = JSON.parse(readFileSync(fileOf(dir, key), 'utf8')) as Snapshot;
    return snapshot.format === FORMAT && snapshot.key === key ? snapshot : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Saves a snapshot atomically (temp file + rename, so a concurrent reader never sees half a
 * file) and prunes old ones. Returns false when the folder is not writable: training still
 * worked, the next start just trains again.
 */
export function writeSnapshot(dir: string, key: string, models: Omit<Snapshot, 'format' | 'key'>): boolean {
  const snapshot: Snapshot = { format: FORMAT, key, ...models };
  try {
    mkdirSync(dir, { recursive: true });
    const target = fileOf(dir, snapshot.key);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, JSON.stringify(snapshot));
    renameSync(temp, target);
    const old = readdirSync(dir)
      .filter((f) => /^model-[0-9a-f]+\.json$/.test(f))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .slice(KEEP);
    for (const { f } of old) unlinkSync(join(dir, f));
    return true;
  } catch {
    return false;
  }
}
