/**
 * Logs every activity in and out (through botbuilder's TranscriptLoggerMiddleware) into our
 * TranscriptStore: one file per conversation, so logging does not slow down with volume and
 * conversations whose ids share a prefix never mix.
 */
import type { Activity, TranscriptLogger } from 'botbuilder';
import type { TranscriptEntry, TranscriptStore } from '../src/storage/types.js';

export class StoreTranscriptLogger implements TranscriptLogger {
  constructor(
    private readonly store: TranscriptStore,
    private readonly onError: (error: unknown) => void = (error) => console.error('[transcripts]', error),
  ) {
    if (!store) throw new Error('[StoreTranscriptLogger]: Missing parameter: store');
  }

  async logActivity(activity: Activity): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId || !activity.channelId) return;
    // A transcript must never fail a turn: the answer itself is already stored.
    try {
      // The store keeps a JSON copy of its own.
      await this.store.append(activity.channelId, conversationId, activity as unknown as TranscriptEntry);
    } catch (error) {
      this.onError(error);
    }
  }
}
