/**
 * Runs the turns of one conversation one after another. Bot Framework channels may deliver two
 * messages of the same conversation at once (a double click, a retry); without this, both turns
 * would read the same state and one answer could overwrite the other.
 */
import type { Middleware, TurnContext } from 'botbuilder';

export class ConversationQueue implements Middleware {
  private readonly tails = new Map<string, Promise<void>>();

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    const key = `${a.channelId}\u0000${a.conversation?.id ?? ''}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      await next();
    } finally {
      release();
      // Forget the conversation once nothing is queued behind this turn.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
