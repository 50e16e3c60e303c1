/**
 * The Bot Connector side of the local Direct Line: where the bot posts its replies
 * (`serviceUrl` + `/v3/conversations/…`), exactly as it would to Azure's connector.
 * Only the calls a bot makes while answering a conversation: send, reply, update.
 */
import type { Request, Response, Server } from 'restify';
import type { ConversationStore, DirectLineActivity } from './conversationStore.js';
import { isRecord, readBodyOrReply, sendError, sendJson } from './http.js';
import { requireLoopback } from './loopback.js';

/** Registers sendToConversation, replyToActivity and updateActivity for the local conversations. */
export function registerConnectorRoutes(server: Server, store: ConversationStore, bot: { id: string; name: string }): void {
  async function fromBot(req: Request, res: Response): Promise<void> {
    if (!requireLoopback(req, res)) return;
    const conversation = store.get(String(req.params.conversationId));
    if (!conversation) {
      sendError(res, 404, 'ConversationNotFound', `No local conversation "${req.params.conversationId}" (expired or the server restarted).`);
      return;
    }
    const parsed = await readBodyOrReply(req, res);
    if (!parsed.ok) return;
    const sent = parsed.value;
    if (!isRecord(sent) || typeof sent.type !== 'string') {
      sendError(res, 400, 'BadArgument', 'Send one activity as JSON with a "type".');
      return;
    }
    const activity = { ...(sent as DirectLineActivity) };
    // The client must not learn the bot's callback address.
    delete activity.serviceUrl;
    const replyTo = req.params.activityId === undefined ? undefined : String(req.params.activityId);
    Object.assign(activity, {
      timestamp: new Date().toISOString(),
      channelId: 'directline',
      conversation: { id: conversation.id },
      from: { ...bot, ...(isRecord(sent.from) ? sent.from : {}), role: 'bot' },
      recipient: { id: conversation.userId, role: 'user' },
      ...(replyTo && !activity.replyToId ? { replyToId: replyTo } : {}),
    });
    const stored = store.append(conversation, activity);
    sendJson(res, 200, { id: stored.id });
  }
  server.post('/v3/conversations/:conversationId/activities', fromBot);
  server.post('/v3/conversations/:conversationId/activities/:activityId', fromBot);

  // updateActivity: the new version replaces the old one and is delivered again.
  server.put('/v3/conversations/:conversationId/activities/:activityId', async (req: Request, res: Response) => {
    if (!requireLoopback(req, res)) return;
    const conversation = store.get(String(req.params.conversationId));
    const parsed = await readBodyOrReply(req, res);
    if (!parsed.ok) return;
    const id = String(req.params.activityId);
    if (!conversation || !isRecord(parsed.value) || typeof parsed.value.type !== 'string') {
      sendError(res, conversation ? 400 : 404, 'BadArgument', 'Send the updated activity as JSON with a "type" to an existing conversation.');
      return;
    }
    const activity = { ...(parsed.value as DirectLineActivity), conversation: { id: conversation.id }, channelId: 'directline' };
    delete activity.serviceUrl;
    if (!store.replace(conversation, id, activity)) {
      sendError(res, 404, 'ActivityNotFound', `No activity "${id}" in this conversation (it may have been dropped from the bounded log).`);
      return;
    }
    sendJson(res, 200, { id });
  });
}
