/**
 * The local Direct Line's memory: conversations and their activity logs.
 *
 * Bounded on purpose (it is a development tool that must not grow without limit): each
 * conversation keeps its last `maxActivities` activities, conversations idle longer than
 * `idleMs` are forgotten, and beyond `maxConversations` the least recently used one goes.
 * Nothing is persisted: a restart forgets every conversation (the bot's own storage keeps the
 * interview, so a new conversation with the same user resumes it).
 */
import { randomBytes } from 'node:crypto';

/** The parts of a Bot Framework activity the local Direct Line reads or writes. */
export interface DirectLineActivity {
  type: string;
  id?: string;
  timestamp?: string;
  channelId?: string;
  serviceUrl?: string;
  from?: { id: string; name?: string; role?: string };
  recipient?: { id: string; name?: string; role?: string };
  conversation?: { id: string };
  replyToId?: string;
  locale?: string;
  text?: string;
  [key: string]: unknown;
}

export interface LocalConversation {
  readonly id: string;
  /** The user the conversation was issued to; every user activity is `from` this id. */
  readonly userId: string;
  /** True once the bot has been told the members joined (so it greets once). */
  started: boolean;
  /** The locale the client asked for when starting (`fi-FI`, `en-US`). */
  locale?: string;
  /** Activities in order; `seq` is the watermark position. */
  readonly log: { seq: number; activity: DirectLineActivity }[];
  nextSeq: number;
  lastUsed: number;
  /** Deliveries to the bot run one after another per conversation, as turns would. */
  queue: Promise<unknown>;
  /** Held GET requests waiting for the next activity (see {@link ConversationStore.waitForActivity}). */
  readonly waiters: Set<() => void>;
}

export interface ConversationStoreOptions {
  maxActivities?: number;
  idleMs?: number;
  maxConversations?: number;
  now?: () => number;
}

/** In-memory, bounded conversation logs with Direct Line watermark semantics. */
export class ConversationStore {
  readonly maxActivities: number;
  readonly idleMs: number;
  readonly maxConversations: number;
  private readonly now: () => number;
  /** Insertion order is recency order: {@link get} moves a conversation to the end. */
  private readonly conversations = new Map<string, LocalConversation>();

  constructor(opts: ConversationStoreOptions = {}) {
    this.maxActivities = opts.maxActivities ?? 500;
    this.idleMs = opts.idleMs ?? 12 * 3600 * 1000;
    this.maxConversations = opts.maxConversations ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  /** A new, not yet started conversation for `userId`. */
  create(userId: string): LocalConversation {
    this.sweep();
    while (this.conversations.size >= this.maxConversations) {
      const oldest = this.conversations.keys().next().value as string;
      this.conversations.delete(oldest);
    }
    const conversation: LocalConversation = {
      id: `local-${randomBytes(12).toString('base64url')}`,
      userId,
      started: false,
      log: [],
      nextSeq: 1,
      lastUsed: this.now(),
      queue: Promise.resolve(),
      waiters: new Set(),
    };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** The conversation, or undefined when unknown or expired; marks it as used. */
  get(id: string): LocalConversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    this.conversations.delete(id);
    if (this.now() - conversation.lastUsed > this.idleMs) return undefined;
    conversation.lastUsed = this.now();
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** Number of conversations held (after forgetting idle ones). */
  size(): number {
    this.sweep();
    return this.conversations.size;
  }

  /**
   * Appends `activity` with a new id `<conversation>|<seq>` and returns the stored activity.
   * The oldest activities beyond `maxActivities` are dropped.
   */
  append(conversation: LocalConversation, activity: DirectLineActivity): DirectLineActivity {
    const seq = conversation.nextSeq++;
    const stored = { ...activity, id: `${conversation.id}|${String(seq).padStart(7, '0')}` };
    conversation.log.push({ seq, activity: stored });
    this.trim(conversation);
    this.wake(conversation);
    return stored;
  }

  /**
   * Resolves true as soon as an activity is appended or replaced, or false after `ms`.
   * Lets a poll wait briefly for news instead of answering "nothing" and being asked again.
   */
  waitForActivity(conversation: LocalConversation, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (woken: boolean) => {
        clearTimeout(timer);
        conversation.waiters.delete(wake);
        resolve(woken);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      conversation.waiters.add(wake);
    });
  }

  /**
   * Replaces the activity with `id` by `activity` (keeping the id) and moves it to the end of
   * the log, so clients polling past its old position receive the update. False when unknown.
   */
  replace(conversation: LocalConversation, id: string, activity: DirectLineActivity): boolean {
    const index = conversation.log.findIndex((entry) => entry.activity.id === id);
    if (index < 0) return false;
    conversation.log.splice(index, 1);
    conversation.log.push({ seq: conversation.nextSeq++, activity: { ...activity, id } });
    this.wake(conversation);
    return true;
  }

  /**
   * Activities after `watermark` and the new watermark (the last position written, so a client
   * that sends a watermark from the future catches up instead of waiting). An absent or
   * unparsable watermark means "everything still held".
   */
  since(conversation: LocalConversation, watermark: string | undefined): { activities: DirectLineActivity[]; watermark: string } {
    const after = watermark !== undefined && /^\d+$/.test(watermark) ? Number(watermark) : 0;
    const fresh = conversation.log.filter((entry) => entry.seq > after);
    return { activities: fresh.map((entry) => entry.activity), watermark: String(conversation.nextSeq - 1) };
  }

  private wake(conversation: LocalConversation): void {
    for (const wake of [...conversation.waiters]) wake();
  }

  private trim(conversation: LocalConversation): void {
    const excess = conversation.log.length - this.maxActivities;
    if (excess > 0) conversation.log.splice(0, excess);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, conversation] of this.conversations) {
      // Recency order: the first conversation still in use ends the sweep.
      if (now - conversation.lastUsed <= this.idleMs) break;
      this.conversations.delete(id);
    }
  }
}
