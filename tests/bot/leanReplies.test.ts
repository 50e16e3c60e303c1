/**
 * Replies sent without @azure/core-client (bot/leanReplies.ts), against real HTTP servers on
 * 127.0.0.1: what reaches the channel, the credentials' header, retries on throttling and server
 * errors, no retry on a refusal or a timeout, and when the SDK client keeps the replies.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ClaimsIdentity } from 'botframework-connector';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenCheckingAuthentication } from '../../bot/authentication.js';
import { configFromEnv } from '../../bot/config.js';
import { ChannelReplyError, postReply, proxyVariable, retryAfterMs, sendRepliesLean } from '../../bot/leanReplies.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A channel whose n-th request (0-based) is answered by `answers[n]` (the last one repeats). */
async function channel(answers: ((res: ServerResponse) => void)[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
      answer?.(res);
    });
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const silent = () => () => undefined;

/** Records waits instead of waiting. */
function waits(): { sleep: (ms: number) => Promise<void>; list: number[] } {
  const list: number[] = [];
  return { list, sleep: async (ms) => void list.push(ms) };
}

const activity = { type: 'message', text: 'Kysymys 2/10: Mikä on tehtävänne? 🙂', timestamp: new Date('2026-11-28T10:00:00Z'), conversation: { id: 'a:1;messageid=7' } };

describe('lean replies', () => {
  it('POST the activity as JSON to the connector path, signed by the credentials, and return the channel\'s id', async () => {
    const ch = await channel([json(200, { id: 'reply-1' })]);
    const credentials = { signRequest: async (r: { headers: { set(n: string, v: string): void } }) => r.headers.set('Authorization', 'Bearer test-token') };
    const url = new URL(`${ch.url}/teams/v3/conversations/${encodeURIComponent('a:1;messageid=7')}/activities/${encodeURIComponent('act/1')}`);
    const response = await postReply(url, activity, credentials, { timeoutMs: 2000 });
    expect(response).toEqual({ id: 'reply-1' });
    const [request] = ch.seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/teams/v3/conversations/a%3A1%3Bmessageid%3D7/activities/act%2F1');
    expect(request?.headers.authorization).toBe('Bearer test-token');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request?.body ?? '')).toEqual({ ...activity, timestamp: '2026-11-28T10:00:00.000Z' });
  });

  it('wait as long as a 429 or 503 asks (Retry-After) and try again', async () => {
    const ch = await channel([json(429, { error: 'slow down' }, { 'retry-after': '2' }), json(503, {}, { 'retry-after': '1' }), json(201, { id: 'ok' })]);
    const w = waits();
    expect(await postReply(new URL(`${ch.url}/v3/conversations/c/activities`), activity, undefined, { timeoutMs: 2000, sleep: w.sleep })).toEqual({ id: 'ok' });
    expect(w.list).toEqual([2000, 1000]);
    expect(ch.seen).toHaveLength(3);
  });

  it('back off on server errors, at most three retries, then fail with the status and the body', async () => {
    const ch = await channel([json(500, { error: { message: 'boom' } })]);
    const w = waits();
    const error = await postReply(new URL(`${ch.url}/v3/conversations/c/activities`), activity, undefined, { timeoutMs: 2000, sleep: w.sleep, random: () => 0.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelReplyError);
    expect((error as ChannelReplyError).statusCode).toBe(500);
    expect((error as Error).message).toMatch(/answered 500 .*boom/);
    expect(w.list).toEqual([1000, 2000, 4000]);
    expect(ch.seen).toHaveLength(4);
  });

  it('fail at once on a refusal (4xx) and on a channel that does not answer in time', async () => {
    const refusing = await channel([json(403, { error: 'forbidden' })]);
    const w = waits();
    const refused = await postReply(new URL(`${refusing.url}/v3/conversations/c/activities`), activity, undefined, { timeoutMs: 2000, sleep: w.sleep }).catch((e: unknown) => e);
    expect((refused as ChannelReplyError).statusCode).toBe(403);
    expect(refusing.seen).toHaveLength(1);

    const quiet = await channel([silent()]);
    const started = Date.now();
    const timedOut = await postReply(new URL(`${quiet.url}/v3/conversations/c/activities`), activity, undefined, { timeoutMs: 300, sleep: w.sleep }).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe('AbortError');
    expect((timedOut as Error).message).toMatch(/aborted.*did not answer a reply within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(quiet.seen).toHaveLength(1);
    expect(w.list).toEqual([]);

    // A channel that answers byte by byte, never idle for long, is cut off at the limit too.
    const trickling = await channel([
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const drip = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(drip));
      },
    ]);
    const slow = await postReply(new URL(`${trickling.url}/v3/conversations/c/activities`), activity, undefined, { timeoutMs: 400, sleep: w.sleep }).catch((e: unknown) => e);
    expect((slow as Error).name).toBe('AbortError');
  });

  it('retry a connection that fails, then say which channel could not be reached', async () => {
    const ch = await channel([json(200, {})]);
    const port = new URL(ch.url).port;
    await closers.splice(0)[0]?.();
    const w = waits();
    const error = await postReply(new URL(`http://127.0.0.1:${port}/v3/conversations/c/activities`), activity, undefined, { timeoutMs: 1000, sleep: w.sleep, maxRetries: 2 }).catch((e: unknown) => e);
    expect((error as ChannelReplyError).code).toBe('ECONNREFUSED');
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect(w.list).toHaveLength(2);
  });

  it('read Retry-After as seconds or a date, capped at 30 s', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Sat, 28 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('3600', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('carry the replies of botbuilder\'s connector clients; a proxy in the environment keeps the SDK\'s pipeline', async () => {
    const ch = await channel([json(200, { id: 'from-channel' })]);
    const auth = new TokenCheckingAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }, 2000, () => undefined);
    const connector = await auth.createConnectorFactory(new ClaimsIdentity([], true)).create(`${ch.url}/`, undefined);
    const reply = await connector.conversations.replyToActivity('conv 1', 'act-1', { type: 'message', text: 'hei' } as never);
    expect(reply.id).toBe('from-channel');
    expect(ch.seen[0]?.url).toBe('/v3/conversations/conv%201/activities/act-1');
    expect(ch.seen[0]?.headers['user-agent']).toMatch(/^Microsoft-BotFramework\/3\.1 Digikysely/);
    await connector.conversations.sendToConversation('conv 1', { type: 'message', text: 'hei taas' } as never);
    expect(ch.seen[1]?.url).toBe('/v3/conversations/conv%201/activities');

    // CONNECTOR_REPLIES=sdk: botbuilder's client as it is.
    const sdkOnly = await new TokenCheckingAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }, 2000, () => undefined, 'sdk')
      .createConnectorFactory(new ClaimsIdentity([], true))
      .create(`${ch.url}/other/`, undefined);
    expect(sendRepliesLean(sdkOnly, ch.url, { timeoutMs: 2000 }, { HTTPS_PROXY: 'http://proxy.example:3128' })).toBe(false);
    expect(proxyVariable({ https_proxy: 'http://p:1' })).toBe('https_proxy');
    expect(proxyVariable({ HTTP_PROXY: ' ' })).toBeUndefined();
    expect(sendRepliesLean(sdkOnly, 'ftp://example.com/', { timeoutMs: 2000 }, {})).toBe(false);
    // Untouched, the SDK client still replies (through its own pipeline and user agent).
    await sdkOnly.conversations.replyToActivity('conv 2', 'act-2', { type: 'message', text: 'sdk' } as never);
    expect(ch.seen[2]?.url).toBe('/other/v3/conversations/conv%202/activities/act-2');
    expect(ch.seen[2]?.headers['user-agent']).not.toMatch(/Digikysely/);
  });

  it('are chosen by CONNECTOR_REPLIES (lean by default); another value stops the start saying which are allowed', () => {
    expect(configFromEnv({}).connectorReplies).toBe('lean');
    expect(configFromEnv({ CONNECTOR_REPLIES: ' sdk ' }).connectorReplies).toBe('sdk');
    expect(() => configFromEnv({ CONNECTOR_REPLIES: 'SDK' })).toThrow('CONNECTOR_REPLIES=SDK is not one of "lean", "sdk". Unset it to use the default (lean).');
  });
});
