/**
 * The transcript file format: JSON Lines, appended to, never rewritten.
 *
 * ```
 * {"channel":"msteams","conversationId":"19:abc"}
 * {"at":"2026-11-28T09:05:00.000Z","activity":{…}}
 * {"at":"2026-11-28T09:05:00.000Z","activity":{…}}
 * ```
 *
 * The first line names the conversation (its digest is the file name); every further line is
 * one activity with the time it was logged. A turn appends its few lines, so its cost does not
 * grow with the conversation (the whole-file JSON of earlier versions was rewritten every turn).
 *
 * A crash (or power cut) can cut the last append short. Such a tail is a write whose turn was
 * never acknowledged, so it is not data: a last line without its newline that does not parse
 * is ignored by readers and cut off by the next append. Anything else that does not parse is
 * corruption, reported with its line number.
 */
import { basename } from 'node:path';
import type { TranscriptEntry } from './types.js';
import { transcriptDigest } from './layout.js';

/** One activity as read back: its time and the activity. */
export interface TranscriptLine {
  at: string;
  activity: TranscriptEntry;
}

export interface ParsedTranscript {
  /** Undefined only for a file with no whole line (a crash cut its first append short). */
  channel?: string;
  conversationId?: string;
  lines: TranscriptLine[];
  /** Bytes up to the end of the last whole line (fewer than the file's when its tail is torn). */
  validLength: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const LINE_START = '{"at":"';
const HEADER_START = '{"channel":"';

/**
 * Whether `tail` (the text after the last newline) is an append a crash cut short: the start
 * of a line as this module writes it (or, after a power cut, the zeros of blocks never
 * written). Anything else there, such as a line that parses, is content and checked as such.
 */
function isTorn(tail: string, first: boolean): boolean {
  if (/^\0+$/.test(tail)) return true;
  const start = first ? HEADER_START : LINE_START;
  if (!(start.startsWith(tail) || tail.startsWith(start))) return false;
  try {
    JSON.parse(tail);
    return false;
  } catch {
    return true;
  }
}

/** The header line (with its newline) of a conversation's transcript. */
export function headerLine(channel: string, conversationId: string): string {
  return `${JSON.stringify({ channel, conversationId })}\n`;
}

/** An activity's line (with its newline); `activityJson` is the activity's JSON text. */
export function activityLine(at: string, activityJson: string): string {
  return `{"at":${JSON.stringify(at)},"activity":${activityJson}}\n`;
}

/**
 * Parses a transcript file's text, checking every line and that the header belongs to `file`.
 * Returns why it is corrupt instead when it is.
 */
export function parseTranscriptLines(file: string, text: string): ParsedTranscript | { problem: string } {
  let lines = text.split('\n');
  // The text after the last newline: empty for a whole file, else a torn last append.
  const tail = lines.pop() ?? '';
  let whole = text;
  if (tail !== '') {
    if (isTorn(tail, lines.length === 0)) whole = text.slice(0, text.length - tail.length);
    else lines = [...lines, tail];
  }
  // In bytes, as the file is cut (the whole lines before a torn tail are whole UTF-8).
  const end = Buffer.byteLength(whole, 'utf8');
  // Nothing whole was ever written (the first append was cut short): no data, nothing wrong.
  if (lines.length === 0) return { lines: [], validLength: 0 };
  let header: unknown;
  try {
    header = JSON.parse(lines[0] as string);
  } catch (error) {
    return { problem: `line 1: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isObject(header) || typeof header.channel !== 'string' || typeof header.conversationId !== 'string') {
    return { problem: 'line 1: expected a header {"channel": string, "conversationId": string}' };
  }
  if (transcriptDigest(header.channel, header.conversationId) !== basename(file, '.jsonl')) {
    return { problem: 'line 1: its channel and conversation id do not belong to this file name' };
  }
  const parsed: TranscriptLine[] = [];
  for (let i = 1; i < lines.length; i++) {
    let value: unknown;
    try {
      value = JSON.parse(lines[i] as string);
    } catch (error) {
      return { problem: `line ${i + 1}: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!isObject(value) || typeof value.at !== 'string' || Number.isNaN(Date.parse(value.at)) || !isObject(value.activity)) {
      return { problem: `line ${i + 1}: expected {"at": ISO time, "activity": object}` };
    }
    parsed.push({ at: value.at, activity: value.activity as TranscriptEntry });
  }
  return { channel: header.channel, conversationId: header.conversationId, lines: parsed, validLength: end };
}

/** Why `text` read from `file` is not a transcript; undefined when it is one (a torn tail is fine). */
export function transcriptLinesProblem(file: string, text: string): string | undefined {
  const parsed = parseTranscriptLines(file, text);
  return 'problem' in parsed ? parsed.problem : undefined;
}
