/**
 * Storage interfaces. The default implementation is lowdb files under DATA_DIR, sharded one file
 * per key; a shared database can replace it later without touching bot/ or dialogs/.
 * Nothing here imports botbuilder: `KeyValueStore` has the same shape as botbuilder's `Storage`,
 * so bot/ passes it to ConversationState/UserState directly.
 */
import type { SurveyResponse } from '../core/types.js';

/** An item with an optional eTag, as botbuilder's StoreItem. */
export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}
export type StoreItems = Record<string, any>;

/**
 * Key/value store with eTag semantics of botbuilder's MemoryStorage:
 * `*` or no eTag writes unconditionally; a stale eTag rejects with
 * `Storage: error writing "<key>" due to eTag conflict.`; a concrete eTag on a missing key is a
 * conflict too. Reading a missing key yields nothing for it.
 */
export interface KeyValueStore {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

/** Interviews, one record per wave and respondent. */
export interface ResponseStore {
  /** A response by id; with `wave` (when the caller knows it) only that wave is looked in. */
  get(id: string, wave?: string): Promise<SurveyResponse | undefined>;
  /** Writes atomically; resolves once the record is on disk. */
  save(response: SurveyResponse): Promise<void>;
  /**
   * Read-modify-write of one record with no other write to it in between (in this process): the
   * bot's answers and staff's recodes of the same interview never overwrite each other.
   * `change` gets a copy of the stored record (undefined when missing) and returns the record to
   * write, or undefined to write nothing. Resolves with what is stored afterwards.
   * `erase`: the write leaves no earlier version of the record anywhere on disk (a record file
   * may otherwise keep a few earlier versions until it is next rewritten whole; see DataFiles).
   */
  update(
    wave: string,
    id: string,
    change: (current: SurveyResponse | undefined) => SurveyResponse | undefined,
    options?: { erase?: boolean },
  ): Promise<SurveyResponse | undefined>;
  delete(id: string): Promise<void>;
  /** Every response of a wave (or of all waves), in no particular order. */
  list(wave?: string): Promise<SurveyResponse[]>;
}

/** One logged activity of a conversation (incoming or outgoing), as botbuilder's transcript. */
export interface TranscriptEntry {
  [key: string]: unknown;
}

/** Transcripts, one file per conversation; conversations whose ids share a prefix never mix. */
export interface TranscriptStore {
  append(channel: string, conversationId: string, activity: TranscriptEntry): Promise<void>;
  get(channel: string, conversationId: string): Promise<TranscriptEntry[]>;
  delete(channel: string, conversationId: string): Promise<void>;
  /** Deletes transcripts whose last activity is older than `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

/** Raised when a data file exists but cannot be read as JSON. Never overwrite such a file. */
export class CorruptDataFileError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `Data file ${file} is corrupt (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'It has not been changed. Run `npm run data -- check` to list damaged files, ' +
        'or `npm run data -- repair` to move them aside.',
    );
    this.name = 'CorruptDataFileError';
  }
}
