/**
 * An interview's transcript: the activities the bot's transcript middleware
 * (bot/transcriptLogger.ts) logged for each of its conversations, merged in time order and
 * reduced to what a reader needs (who, when, what was said, the buttons offered, which question
 * was asked). Every activity is kept, not only messages, so a conversation update or an event
 * shows where it happened.
 */
import type { SurveyResponse } from '../core/types.js';
import { plainText } from '../interview/markdown.js';
import type { TranscriptEntry, TranscriptStore } from '../storage/types.js';

export interface TranscriptItem {
  conversation: string;
  type: string;
  /** `user` (the respondent), `bot`, or `unknown`. */
  role: 'user' | 'bot' | 'unknown';
  timestamp: string | null;
  text: string | null;
  locale: string | null;
  /** The question the bot was asking (`channelData.question`). */
  question: string | null;
  /** Titles of suggested actions or card buttons offered. */
  buttons: string[];
  /** Attachments, reduced to their type and visible text. */
  attachments: { contentType: string; text: string }[];
  /** A button payload or other value the client sent (as JSON text). */
  value: string | null;
  /** For events and invokes: the name. */
  name: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** Visible text of a hero card or adaptive card (title, text, TextBlocks), best effort. */
function cardText(content: unknown, depth = 0): string[] {
  const c = obj(content);
  if (!c || depth > 6) return [];
  const out: string[] = [];
  for (const key of ['title', 'subtitle', 'text']) {
    const v = str(c[key]);
    if (v) out.push(v);
  }
  for (const key of ['body', 'items', 'columns']) {
    const list = c[key];
    if (Array.isArray(list)) for (const item of list) out.push(...cardText(item, depth + 1));
  }
  return out;
}

function buttonTitles(activity: Record<string, unknown>): string[] {
  const titles: string[] = [];
  const suggested = obj(activity.suggestedActions);
  if (Array.isArray(suggested?.actions)) {
    for (const a of suggested.actions) {
      const t = str(obj(a)?.title);
      if (t) titles.push(t);
    }
  }
  if (Array.isArray(activity.attachments)) {
    for (const att of activity.attachments) {
      const buttons = obj(obj(att)?.content)?.buttons ?? obj(obj(att)?.content)?.actions;
      if (Array.isArray(buttons)) for (const b of buttons) {
        const t = str(obj(b)?.title);
        if (t) titles.push(t);
      }
    }
  }
  return titles;
}

/**
 * Who sent an activity. The transcript middleware marks incoming activities `user` when the
 * channel did not, but leaves outgoing ones as the channel addressed the bot (Teams gives no
 * role): an activity without a role is the respondent's when it comes from their id, else the bot's.
 */
function roleOf(from: Record<string, unknown> | undefined, respondentId: string | undefined): TranscriptItem['role'] {
  if (from?.role === 'user' || from?.role === 'bot') return from.role;
  if (from === undefined || typeof from.id !== 'string') return 'unknown';
  return respondentId !== undefined && from.id === respondentId ? 'user' : 'bot';
}

/** One logged activity as the transcript view shows it. */
export function toItem(conversation: string, entry: TranscriptEntry, respondentId?: string): TranscriptItem {
  const a = entry as Record<string, unknown>;
  const role = roleOf(obj(a.from), respondentId);
  const attachments = Array.isArray(a.attachments)
    ? a.attachments.map((att) => {
        const at = obj(att);
        return { contentType: str(at?.contentType) ?? 'unknown', text: cardText(at?.content).join('\n') };
      })
    : [];
  let value: string | null = null;
  if (a.value !== undefined) {
    try {
      value = JSON.stringify(a.value);
    } catch {
      value = null;
    }
  }
  return {
    conversation,
    type: str(a.type) ?? 'unknown',
    role,
    timestamp: str(a.timestamp) ?? str(a.localTimestamp),
    // The bot's Markdown (the greeting) as the respondent read it, not its escapes.
    text: a.textFormat === 'markdown' && role === 'bot' && typeof a.text === 'string' ? plainText(a.text) : str(a.text),
    locale: str(a.locale),
    question: str(obj(a.channelData)?.question),
    buttons: buttonTitles(a),
    attachments,
    value,
    name: str(a.name),
  };
}

/** Every activity of the interview's conversations, oldest first (file order breaks ties). */
export async function interviewTranscript(response: SurveyResponse, store: TranscriptStore): Promise<TranscriptItem[]> {
  if (response.status === 'withdrawn') return [];
  const channel = response.respondent.channel;
  const items: { item: TranscriptItem; order: number }[] = [];
  let order = 0;
  for (const conversation of [...new Set(response.conversations)]) {
    for (const entry of await store.get(channel, conversation)) items.push({ item: toItem(conversation, entry, response.respondent.userId), order: order++ });
  }
  const time = (t: string | null) => (t === null || Number.isNaN(Date.parse(t)) ? Number.POSITIVE_INFINITY : Date.parse(t));
  items.sort((x, y) => time(x.item.timestamp) - time(y.item.timestamp) || x.order - y.order);
  return items.map((x) => x.item);
}
