import { createHash } from 'node:crypto';
import type { Respondent } from './types.js';

/** A short, file-name-safe digest of arbitrary text (ids from channels are never used as paths). */
export function digest(text: string, length = 32): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);
}

/** The key of a respondent: the same channel and user id always give the same key. */
export function respondentKey(respondent: Respondent): string {
  return digest(`${respondent.channel}\u0000${respondent.userId}`);
}

/** One interview per wave and respondent: its id is derived, so lookups need no index. */
export function responseId(wave: string, respondent: Respondent): string {
  return `${wave}-${respondentKey(respondent)}`;
}
