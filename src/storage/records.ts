/**
 * The JSON shape of each kind of data file, checked on every read and by the startup scan, so a
 * file that parses but holds the wrong thing is reported as corrupt instead of being misread.
 */
import { basename, dirname } from 'node:path';
import type { TranscriptEntry } from './types.js';
import { digest } from '../core/ids.js';
import { transcriptDigest, type DataSubdir } from './layout.js';

/** `DATA_DIR/state/<digest(key)>.json`: the key is kept so that keys can be listed. */
export interface StateRecord {
  key: string;
  item: Record<string, unknown>;
}

/** `DATA_DIR/transcripts/<digest>.json`: a transcript as versions before JSON Lines wrote it (still read; see transcriptLines.ts). */
export interface TranscriptRecord {
  channel: string;
  conversationId: string;
  /** ISO time of the last append: what `prune` compares. */
  updatedAt: string;
  activities: TranscriptEntry[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const stem = (file: string): string => basename(file, '.json');

/** Why `value`, read from `file`, is not a state record; undefined when it is one. */
export function stateRecordProblem(file: string, value: unknown): string | undefined {
  if (!isObject(value) || typeof value.key !== 'string' || !isObject(value.item)) {
    return 'expected { "key": string, "item": object }';
  }
  if (digest(value.key) !== stem(file)) return 'its key does not belong to this file name';
  return undefined;
}

/** Why `value`, read from `file`, is not a survey response; undefined when it is one. */
export function responseRecordProblem(file: string, value: unknown): string | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.wave !== 'string') {
    return 'expected a survey response with string "id" and "wave"';
  }
  if (value.id !== stem(file)) return `its id "${value.id}" does not match the file name`;
  if (value.wave !== basename(dirname(file))) return `its wave "${value.wave}" does not match its directory`;
  return undefined;
}

/** Why `value`, read from `file`, is not a transcript; undefined when it is one. */
export function transcriptRecordProblem(file: string, value: unknown): string | undefined {
  if (
    !isObject(value) ||
    typeof value.channel !== 'string' ||
    typeof value.conversationId !== 'string' ||
    typeof value.updatedAt !== 'string' ||
    Number.isNaN(Date.parse(value.updatedAt)) ||
    !Array.isArray(value.activities)
  ) {
    return 'expected { "channel", "conversationId", "updatedAt": ISO time, "activities": [] }';
  }
  if (transcriptDigest(value.channel, value.conversationId) !== stem(file)) {
    return 'its channel and conversation id do not belong to this file name';
  }
  return undefined;
}

/** The shape check for the files of one data sub-directory. */
export const RECORD_PROBLEM: Record<DataSubdir, (file: string, value: unknown) => string | undefined> = {
  state: stateRecordProblem,
  responses: responseRecordProblem,
  transcripts: transcriptRecordProblem,
};
