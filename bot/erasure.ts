/**
 * Erasing a respondent's conversations (data rights: "poista tietoni", Teams' deleteUserData).
 * The transcript logger writes a turn's activities when the turn ends, so the erasing turn's own
 * messages would reappear in a fresh transcript; this middleware, placed outside the transcript
 * logger, deletes those transcripts once more after the turn.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { KeyValueStore, TranscriptStore } from '../src/storage/types.js';

const PENDING = Symbol('digikysely.erasedConversations');

interface Pending {
  channel: string;
  userId: string;
  conversationIds: string[];
}

/** The storage keys botbuilder's ConversationState and UserState use. */
function stateKeys(p: Pending): string[] {
  return [...p.conversationIds.map((c) => `${p.channel}/conversations/${c}/`), `${p.channel}/users/${p.userId}/`];
}

export class ConversationEraser implements Middleware {
  constructor(
    private readonly state: KeyValueStore,
    private readonly transcripts: TranscriptStore,
  ) {}

  /** Deletes conversation state and transcripts now, and the turn's own transcript after it. */
  async erase(context: TurnContext, channel: string, conversationIds: string[]): Promise<void> {
    const pending: Pending = { channel, userId: context.activity.from.id, conversationIds };
    await this.state.delete(stateKeys(pending));
    for (const c of conversationIds) await this.transcripts.delete(channel, c);
    context.turnState.set(PENDING, pending);
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    await next();
    const pending = context.turnState.get(PENDING) as Pending | undefined;
    if (!pending) return;
    // The logger has queued this turn's activities by now; the store runs deletes after them.
    // The turn also saved its (now empty) state again: remove that too.
    for (const c of pending.conversationIds) await this.transcripts.delete(pending.channel, c);
    await this.state.delete(stateKeys(pending));
  }
}
