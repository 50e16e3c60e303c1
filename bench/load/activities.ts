/**
 * Activities as a Bot Framework channel posts them to `/api/messages` (the shape Direct Line
 * and the Emulator use), for the benches and the hardening tests.
 */
import { randomUUID } from 'node:crypto';
import type { Lang } from '../../src/core/types.js';
import { localeOf } from './scripts.js';

/** One virtual respondent: their own user and conversation. */
export interface Respondent {
  userId: string;
  conversationId: string;
  lang: Lang;
  /** Default `directline`. */
  channelId?: string;
}

function base(serviceUrl: string, who: Respondent) {
  return {
    id: randomUUID(),
    channelId: who.channelId ?? 'directline',
    serviceUrl,
    from: { id: who.userId, name: 'Vastaaja', role: 'user' },
    recipient: { id: 'digikysely-bot', name: 'Digikysely', role: 'bot' },
    conversation: { id: who.conversationId },
    locale: localeOf(who.lang),
    timestamp: new Date().toISOString(),
  };
}

/** A message from the respondent. */
export function messageActivity(serviceUrl: string, who: Respondent, text: string): Record<string, unknown> {
  return { ...base(serviceUrl, who), type: 'message', text, textFormat: 'plain' };
}

/** The conversationUpdate a channel sends when the respondent opens the chat. */
export function joinActivity(serviceUrl: string, who: Respondent): Record<string, unknown> {
  return {
    ...base(serviceUrl, who),
    type: 'conversationUpdate',
    membersAdded: [{ id: 'digikysely-bot', name: 'Digikysely' }, { id: who.userId, name: 'Vastaaja' }],
  };
}
