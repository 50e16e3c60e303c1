/**
 * A local stand-in for Azure's Direct Line, for development without any Azure resources.
 *
 * It implements the subset of the Direct Line 3.0 REST protocol that Web Chat's own client
 * (botframework-directlinejs, polling) uses, and the few Bot Connector routes the bot posts its
 * replies to. User activities are delivered by HTTP into the bot's real `/api/messages`, and
 * replies come back through the bot's normal connector path, so development runs the same
 * client and bot code as production.
 *
 * Safety: only for a bot without authentication (no `MicrosoftAppId`) and without a Direct Line
 * secret; registration refuses otherwise. Every route answers callers on 127.0.0.1 only (403
 * otherwise); bind the server to 127.0.0.1 in this mode as well.
 */
import type { Request, Response, Server } from 'restify';
import { ConversationStore, type ConversationStoreOptions, type DirectLineActivity, type LocalConversation } from './conversationStore.js';
import { registerConnectorRoutes } from './connector.js';
import { bearerToken, isRecord, queryParam, readBodyOrReply, sendError, sendJson } from './http.js';
import { LocalTokenSigner, type LocalTokenClaims } from './localToken.js';
import { requireLoopback } from './loopback.js';
import { directLineMode, type Env } from './mode.js';

export interface LocalDirectLineOptions {
  /** Where the bot listens, e.g. `http://127.0.0.1:3978/api/messages` (a function: the port is known late). */
  messagesUrl: () => string;
  /** This server's origin as the bot should reply to it, e.g. `http://127.0.0.1:3978`. */
  serviceUrl: () => string;
  /** The environment deciding whether local mode is allowed (default `process.env`). */
  env?: Env;
  /** The bot's account on the channel. */
  bot?: { id: string; name: string };
  /** Limits of the in-memory log, or a store to share. */
  store?: ConversationStore | ConversationStoreOptions;
  /** Token lifetime in seconds (default 3600, as Azure's). */
  tokenLifetimeSeconds?: number;
  /** How long a delivery to the bot may take before the client gets 502 (default 15 s, as Azure). */
  botTimeoutMs?: number;
  /**
   * How long a poll with nothing new waits for news before answering (default 800 ms, below Web
   * Chat's 1 s polling interval, so requests stay at about one a second but replies show at once).
   * 0 answers immediately, as Azure does.
   */
  longPollMs?: number;
  /** Where delivery failures are reported (default `console.warn`). */
  log?: (message: string) => void;
  /** The clock for token expiry and idle conversations (tests move it; default `Date.now`). */
  now?: () => number;
}

/** What the token route needs from the local Direct Line. */
export interface LocalDirectLine {
  /** A token for a new conversation of `userId` (the conversation starts when the client connects). */
  issueToken(userId: string): { token: string; conversationId: string; expires_in: number };
  readonly store: ConversationStore;
}

const DL = '/v3/directline';
/** Fields a client may set on its activities; identity, ids and routing are the server's. */
const CLIENT_FIELDS = [
  'type', 'text', 'textFormat', 'locale', 'localTimestamp', 'localTimezone', 'attachments',
  'attachmentLayout', 'entities', 'channelData', 'value', 'name', 'speak', 'inputHint',
] as const;
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * Registers the local Direct Line routes on `server` (see the module comment).
 * Throws when the environment has `DIRECT_LINE_SECRET` or `MicrosoftAppId`: with either set,
 * the bot belongs behind Azure's Direct Line and this unauthenticated stand-in must stay off.
 */
export function registerLocalDirectLine(server: Server, opts: LocalDirectLineOptions): LocalDirectLine {
  const mode = directLineMode(opts.env ?? process.env);
  if (mode !== 'local') {
    throw new Error(
      'The local Direct Line is only for development without bot authentication: unset DIRECT_LINE_SECRET ' +
        'and MicrosoftAppId to use it, or keep them and use Azure Bot Service Direct Line (see docs/webchat.md).',
    );
  }
  const store = opts.store instanceof ConversationStore ? opts.store : new ConversationStore({ now: opts.now, ...opts.store });
  const signer = new LocalTokenSigner(opts.tokenLifetimeSeconds, opts.now);
  const bot = opts.bot ?? { id: 'digikysely-bot', name: 'Digikysely' };
  const botTimeoutMs = opts.botTimeoutMs ?? 15_000;
  const longPollMs = opts.longPollMs ?? 800;
  const log = opts.log ?? ((message: string) => console.warn(message));

  /** Checks the bearer token (401 unknown, 403 expired or another conversation, 404 forgotten). */
  function authorize(req: Request, res: Response, conversationId?: string): { conversation: LocalConversation; claims: LocalTokenClaims } | undefined {
    if (!requireLoopback(req, res)) return undefined;
    const check = signer.check(bearerToken(req));
    if (!check.ok) {
      if (check.reason === 'expired') {
        sendError(res, 403, 'TokenExpired', 'The token has expired; get a new one from POST /api/directline/token.');
      } else {
        sendError(res, 401, 'Unauthorized', 'Send "Authorization: Bearer <token>" with a token from POST /api/directline/token.');
      }
      return undefined;
    }
    if (conversationId !== undefined && conversationId !== check.claims.conv) {
      sendError(res, 403, 'Forbidden', 'This token belongs to another conversation.');
      return undefined;
    }
    const conversation = store.get(check.claims.conv);
    if (!conversation) {
      sendError(res, 404, 'NotFound', 'The conversation has expired or the server restarted; start a new one.');
      return undefined;
    }
    return { conversation, claims: check.claims };
  }

  function conversationResponse(conversation: LocalConversation, claims: LocalTokenClaims, token: string) {
    return { conversationId: conversation.id, token, expires_in: signer.remaining(claims) };
  }

  async function deliver(activity: DirectLineActivity): Promise<void> {
    const response = await fetch(opts.messagesUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...activity, serviceUrl: opts.serviceUrl() }),
      signal: AbortSignal.timeout(botTimeoutMs),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`the bot answered HTTP ${response.status}`);
  }

  /** Runs deliveries of one conversation in order, as the bot would see turns on Azure. */
  function enqueue(conversation: LocalConversation, activity: DirectLineActivity): Promise<void> {
    const run = conversation.queue.then(() => deliver(activity));
    conversation.queue = run.catch(() => undefined);
    return run;
  }

  function base(conversation: LocalConversation): Partial<DirectLineActivity> {
    return {
      timestamp: new Date().toISOString(),
      channelId: 'directline',
      conversation: { id: conversation.id },
      recipient: { ...bot, role: 'bot' },
    };
  }

  /** Tells the bot the bot and the user joined, once per conversation, so it greets. */
  function start(conversation: LocalConversation, locale: unknown): boolean {
    if (conversation.started) return false;
    conversation.started = true;
    if (typeof locale === 'string' && LOCALE.test(locale)) conversation.locale = locale;
    const update: DirectLineActivity = {
      ...base(conversation),
      type: 'conversationUpdate',
      id: `${conversation.id}|start`,
      from: { id: conversation.userId, role: 'user' },
      membersAdded: [{ id: bot.id, name: bot.name }, { id: conversation.userId }],
      ...(conversation.locale ? { locale: conversation.locale } : {}),
    };
    enqueue(conversation, update).catch((err: Error) => {
      log(`[directline] conversation ${conversation.id}: the bot at ${opts.messagesUrl()} did not take the welcome (${err.message}). Is the bot running?`);
    });
    return true;
  }

  // Start a conversation (the token already names it, as Azure's generated tokens do).
  server.post(`${DL}/conversations`, async (req: Request, res: Response) => {
    const auth = authorize(req, res);
    if (!auth) return;
    const parsed = await readBodyOrReply(req, res);
    if (!parsed.ok) return;
    const locale = isRecord(parsed.value) ? parsed.value.locale : undefined;
    const started = start(auth.conversation, locale);
    sendJson(res, started ? 201 : 200, conversationResponse(auth.conversation, auth.claims, bearerToken(req)!));
  });

  // Reconnect (Web Chat calls this when given a conversationId, e.g. after a page reload).
  server.get(`${DL}/conversations/:conversationId`, async (req: Request, res: Response) => {
    const auth = authorize(req, res, String(req.params.conversationId));
    if (!auth) return;
    start(auth.conversation, undefined);
    sendJson(res, 200, conversationResponse(auth.conversation, auth.claims, bearerToken(req)!));
  });

  server.post(`${DL}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    const auth = authorize(req, res, String(req.params.conversationId));
    if (!auth) return;
    const parsed = await readBodyOrReply(req, res);
    if (!parsed.ok) return;
    const sent = parsed.value;
    if (!isRecord(sent) || typeof sent.type !== 'string' || !CLIENT_TYPES.has(sent.type)) {
      sendError(res, 400, 'BadArgument', 'Send one activity as JSON with "type" "message", "event" or "typing".');
      return;
    }
    const { conversation } = auth;
    start(conversation, undefined);
    const activity: DirectLineActivity = { type: sent.type };
    for (const field of CLIENT_FIELDS) if (sent[field] !== undefined) (activity as Record<string, unknown>)[field] = sent[field];
    Object.assign(activity, base(conversation), {
      // The token, never the client, says who is speaking.
      from: { id: conversation.userId, role: 'user' },
    });
    if (!activity.locale && conversation.locale) activity.locale = conversation.locale;
    // Direct Line echoes the user's own activities to the client (Web Chat uses the echo to
    // mark a message as sent); typing is passed to the bot only.
    const stored = sent.type === 'typing' ? { ...activity, id: `${conversation.id}|typing` } : store.append(conversation, activity);
    try {
      await enqueue(conversation, stored);
    } catch (err) {
      log(`[directline] conversation ${conversation.id}: delivery to ${opts.messagesUrl()} failed (${(err as Error).message}).`);
      sendError(res, 502, 'BotError', 'The bot did not accept the activity; check that it is running and see its log.');
      return;
    }
    sendJson(res, 200, { id: stored.id });
  });

  server.get(`${DL}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    const auth = authorize(req, res, String(req.params.conversationId));
    if (!auth) return;
    const watermark = queryParam(req, 'watermark');
    let set = store.since(auth.conversation, watermark);
    if (set.activities.length === 0 && longPollMs > 0 && (await store.waitForActivity(auth.conversation, longPollMs))) {
      // The user's echo wakes the poll first; the bot's replies follow within milliseconds.
      await new Promise((resolve) => setTimeout(resolve, 100));
      set = store.since(auth.conversation, watermark);
    }
    sendJson(res, 200, set);
  });

  server.post(`${DL}/tokens/refresh`, async (req: Request, res: Response) => {
    const auth = authorize(req, res);
    if (!auth) return;
    const { token, expiresIn } = signer.issue(auth.conversation.userId, auth.conversation.id);
    sendJson(res, 200, { conversationId: auth.conversation.id, token, expires_in: expiresIn });
  });

  registerConnectorRoutes(server, store, bot);

  return {
    store,
    issueToken(userId: string) {
      const conversation = store.create(userId);
      const { token, expiresIn } = signer.issue(userId, conversation.id);
      return { token, conversationId: conversation.id, expires_in: expiresIn };
    },
  };
}
