/**
 * Replies to the channel without @azure/core-client's serializer and pipeline.
 *
 * botbuilder's CloudAdapter sends every reply through `ConnectorClient.conversations`
 * (`replyToActivity`, or `sendToConversation` without a reply-to id). Under `bench:load` that
 * path — the OpenAPI mapper walking each activity, the policy pipeline, tracing spans, header
 * objects — cost about a third of a turn's CPU on the main thread. A reply is one JSON POST, so
 * those two calls are replaced here by one: the activity as JSON, the credentials' own
 * `signRequest` for the Authorization header (the same token cache botbuilder uses), keep-alive
 * agents, and the behaviour of the pipeline it replaces:
 *
 * - each attempt gives up after `timeoutMs` (an AbortError, not retried: a channel that does not
 *   answer must not hold the conversation for several timeouts);
 * - 429 and 503 with `Retry-After` wait that long (capped) and try again; 408 and other 5xx
 *   except 501 and 505, and failed connections, back off exponentially (1 s, 2 s, 4 s, with
 *   jitter); at most three retries, as @azure/core-rest-pipeline's default retry policy;
 * - any other answer outside 2xx fails at once with its status and the start of its body.
 *
 * Every other connector call (updating, deleting, members, Teams' own) stays on the SDK client,
 * as do the two replaced ones when called with options or a callback. With a proxy configured in
 * the environment the SDK client is kept whole: its pipeline honours HTTPS_PROXY and NO_PROXY.
 * `CONNECTOR_REPLIES=sdk` (bot/config.ts) keeps it whole too: an escape hatch should a channel
 * need something only the SDK's pipeline does.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ConnectorClient } from 'botframework-connector';

/** How replies reach the channel: `lean` (this module) or `sdk` (botbuilder's connector client). */
export type ConnectorReplies = 'lean' | 'sdk';

export interface LeanReplyOptions {
  /** Each attempt's limit in ms. */
  timeoutMs: number;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Waits between attempts (tests record them instead). */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1) (tests fix it). */
  random?: () => number;
}

/** What `signRequest` of botbuilder's credentials (ServiceClientCredentials) needs. */
interface Signable {
  headers: { set(name: string, value: string): void };
}
interface Credentials {
  signRequest(resource: Signable): Promise<unknown>;
}

/** A reply the channel refused or never answered. */
export class ChannelReplyError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = code === 'ABORT' ? 'AbortError' : 'ChannelReplyError';
  }
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** The proxy variable set in `env`, if any (then the SDK's pipeline must carry the replies). */
export function proxyVariable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return PROXY_VARIABLES.find((name) => (env[name] ?? '').trim() !== '');
}

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

const MAX_BODY_BYTES = 1024 * 1024;
const BASE_DELAY_MS = 1000;
/** Longest `Retry-After` honoured; a longer one is waited this long (a turn is waiting). */
const MAX_RETRY_AFTER_MS = 30_000;
const USER_AGENT = `Microsoft-BotFramework/3.1 Digikysely (Node.js ${process.version})`;

interface Answer {
  status: number;
  body: string;
  retryAfter: string | undefined;
}

/** One POST; rejects with ChannelReplyError on a failed connection or after `timeoutMs`. */
function post(url: URL, body: Buffer, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  const https = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        agent: https ? httpsAgent : httpAgent,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
        });
        res.on('error', (error: NodeJS.ErrnoException) =>
          reject(error instanceof ChannelReplyError ? error : new ChannelReplyError(`The reply to ${url.origin} failed: ${error.message}`, undefined, error.code)),
        );
      },
    );
    // A limit on the whole exchange, not on idle time: a channel that trickles its answer byte by
    // byte must not hold the turn either (the pipeline's timeout was an abort signal too).
    const timer = setTimeout(() => {
      req.destroy(new ChannelReplyError(`The operation was aborted: the channel at ${url.origin} did not answer a reply within ${timeoutMs} ms.`, undefined, 'ABORT'));
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(error instanceof ChannelReplyError ? error : new ChannelReplyError(`The reply to ${url.origin} failed: ${error.message}`, undefined, error.code));
    });
    req.end(body);
  });
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), capped; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined;
}

/** Whether a status is worth another attempt with backoff (as core-rest-pipeline's exponential strategy). */
const retriableStatus = (status: number): boolean => status === 408 || (status >= 500 && status !== 501 && status !== 505);

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs `activity` to `url` as JSON with the credentials' Authorization header; resolves with
 * the channel's ResourceResponse (`{ id }`, `{}` when it sent no body). See the module comment
 * for timeouts and retries.
 */
export async function postReply(url: URL, activity: unknown, credentials: Credentials | undefined, options: LeanReplyOptions): Promise<{ id?: string }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    accept: 'application/json',
    'user-agent': USER_AGENT,
  };
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxRetries = options.maxRetries ?? 3;
  const body = Buffer.from(JSON.stringify(activity), 'utf8');
  for (let attempt = 0; ; attempt++) {
    // Signed per attempt: a token may expire while an attempt waits.
    if (credentials !== undefined) await credentials.signRequest({ headers: { set: (name, value) => (headers[name.toLowerCase()] = value) } });
    let wait: number | undefined;
    let failure: ChannelReplyError;
    try {
      const answer = await post(url, body, headers, options.timeoutMs);
      if (answer.status >= 200 && answer.status < 300) {
        if (answer.body.trim() === '') return {};
        try {
          return JSON.parse(answer.body) as { id?: string };
        } catch {
          // A channel that answers 2xx with something else has the reply; the id is unknown.
          return {};
        }
      }
      failure = new ChannelReplyError(
        `The channel answered ${answer.status} to a reply (${url.origin}${url.pathname}): ${answer.body.slice(0, 300)}`,
        answer.status,
      );
      const throttled = answer.status === 429 || answer.status === 503 ? retryAfterMs(answer.retryAfter) : undefined;
      if (throttled !== undefined) wait = throttled;
      else if (retriableStatus(answer.status)) wait = backoff(attempt, random);
    } catch (error) {
      failure = error as ChannelReplyError;
      // A timeout is not retried (see the module comment); a failed connection is.
      if (failure.code !== 'ABORT') wait = backoff(attempt, random);
    }
    if (wait === undefined || attempt >= maxRetries) throw failure;
    await sleep(wait);
  }
}

/** 1 s, 2 s, 4 s … ±20 %. */
function backoff(attempt: number, random: () => number): number {
  return Math.round(BASE_DELAY_MS * 2 ** attempt * (0.8 + 0.4 * random()));
}

/**
 * Replaces `connector`'s `replyToActivity` and `sendToConversation` (as CloudAdapter calls them)
 * with `postReply`. Returns false, changing nothing, when a proxy is configured in `env` or the
 * serviceUrl is not http(s).
 */
export function sendRepliesLean(connector: ConnectorClient, serviceUrl: string, options: LeanReplyOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  if (proxyVariable(env) !== undefined) return false;
  let base: URL;
  try {
    base = new URL(serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`);
  } catch {
    return false;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return false;
  const credentials = (connector as unknown as { credentials?: Credentials }).credentials;
  const conversations = connector.conversations as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const sdkReply = conversations.replyToActivity?.bind(connector.conversations);
  const sdkSend = conversations.sendToConversation?.bind(connector.conversations);
  if (sdkReply === undefined || sdkSend === undefined) return false;
  const activities = (conversationId: string, replyToId?: string) =>
    new URL(`v3/conversations/${encodeURIComponent(conversationId)}/activities${replyToId === undefined ? '' : `/${encodeURIComponent(replyToId)}`}`, base);
  conversations.replyToActivity = (...args: unknown[]) => {
    const [conversationId, activityId, activity] = args;
    if (args.length !== 3 || typeof conversationId !== 'string' || typeof activityId !== 'string') return sdkReply(...args);
    return postReply(activities(conversationId, activityId), activity, credentials, options);
  };
  conversations.sendToConversation = (...args: unknown[]) => {
    const [conversationId, activity] = args;
    if (args.length !== 2 || typeof conversationId !== 'string') return sdkSend(...args);
    return postReply(activities(conversationId), activity, credentials, options);
  };
  return true;
}
