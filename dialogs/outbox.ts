/**
 * The replies of one turn, sent together when the turn ends. A turn often says two things — a
 * short reflection ("Kirjasin: rahoitus") and the next question — and each outgoing activity is
 * a separate HTTP call to the channel. Consecutive plain texts are folded into the message that
 * follows them, so the respondent sees one bubble and the channel gets one call instead of two.
 * Replies are sent only after the turn's state is saved, so what the respondent reads is what
 * is stored.
 */
import type { Activity, TurnContext } from 'botbuilder';

const OUTBOX = Symbol('digikysely.outbox');

/** A text-only message with nothing else attached: it may be folded into the next message. */
function isPlainText(activity: Partial<Activity>): boolean {
  return (
    activity.type === 'message' &&
    typeof activity.text === 'string' &&
    !activity.attachments?.length &&
    !activity.suggestedActions?.actions?.length &&
    activity.channelData === undefined
  );
}

/**
 * Folds each run of plain texts into the message that follows it (or into one message when the
 * run ends the turn). Anything else — typing, events — keeps its place and splits runs.
 */
export function foldReplies(replies: Partial<Activity>[]): Partial<Activity>[] {
  const out: Partial<Activity>[] = [];
  let pending: string[] = [];
  // Texts fold only into a message of the same format: plain words must never become Markdown.
  let format: string | undefined;
  const flushPending = (): void => {
    if (pending.length === 0) return;
    out.push({ type: 'message', text: pending.join('\n\n'), ...(format ? { textFormat: format } : {}) });
    pending = [];
  };
  for (const reply of replies) {
    if (isPlainText(reply)) {
      if (reply.textFormat !== format) flushPending();
      format = reply.textFormat;
      pending.push(reply.text as string);
    } else if (reply.type === 'message' && pending.length > 0 && reply.textFormat === format) {
      const text = [...pending, ...(reply.text ? [reply.text] : [])].join('\n\n');
      out.push({ ...reply, text });
      pending = [];
    } else {
      flushPending();
      out.push(reply);
    }
  }
  flushPending();
  return out;
}

export class Outbox {
  readonly #replies: Partial<Activity>[] = [];

  private constructor(private readonly context: TurnContext) {}

  /** Starts collecting the replies of `context`'s turn (see `reply`). */
  static open(context: TurnContext): Outbox {
    const outbox = new Outbox(context);
    context.turnState.set(OUTBOX, outbox);
    return outbox;
  }

  /** Queues `activity` when the turn has an outbox, or else sends it at once. */
  static async reply(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    const outbox = context.turnState.get(OUTBOX) as Outbox | undefined;
    if (outbox) outbox.#replies.push(activity);
    else await context.sendActivity(activity);
  }

  /** Sends what was queued, folded, in one call; later replies of the turn go out at once. */
  async flush(): Promise<void> {
    if (this.context.turnState.get(OUTBOX) === this) this.context.turnState.delete(OUTBOX);
    const replies = foldReplies(this.#replies.splice(0));
    if (replies.length > 0) await this.context.sendActivities(replies);
  }
}
