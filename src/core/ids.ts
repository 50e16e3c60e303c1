import { createHash } from 'node:crypto';
import { Lru } from './lru.js';
import type { Respondent } from './types.js';

/** A short, file-name-safe digest of arbitrary text (ids from channels are never used as paths). */
export function digest(text: string, length = 32): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);
}

/**
 * Keys of recent respondents: a turn derives its respondent's key several times (each a SHA-256,
 * ~30 µs of a turn under bench:load). Bounded; long ids are not kept.
 */
const recentKeys = new Lru<string, string>(4096);

/** The key of a respondent: the same channel and user id always give the same key. */
export function respondentKey(respondent: Respondent): string {
  const text = `${respondent.channel}\u0000${respondent.userId}`;
  if (text.length > 512) return digest(text);
  let key = recentKeys.get(text);
  if (key === undefined) {
    key = digest(text);
    recentKeys.set(text, key);
  }
  return key;
}

/** One interview per wave and respondent: its id is derived, so lookups need no index. */
export function responseId(wave: string, respondent: Respondent): string {
  return `${wave}-${respondentKey(respondent)}`;
}
