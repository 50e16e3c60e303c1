/**
 * The local Direct Line against a real restify server and a real CloudAdapter echo bot on
 * 127.0.0.1: start, welcome, post, echo, watermarks, tokens, spoofing, connector replies.
 */
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLocalDirectLine } from '../../src/directline/local.js';
import { isLoopbackAddress } from '../../src/directline/loopback.js';
import { dl, getToken, pollUntil, tokenClaims, type TokenBody } from './dlClient.js';
import { startEchoServer, type EchoServer } from './echoServer.js';

let server: EchoServer;

beforeAll(async () => {
  server = await startEchoServer();
});

afterAll(async () => {
  await server?.close();
});

/** A started conversation whose welcome has arrived. */
async function started(locale = 'fi-FI'): Promise<{ t: TokenBody; watermark: string }> {
  const { body: t } = await getToken(server.url);
  const res = await dl(t.domain, t.token).start({ locale, user: { id: 'ignored' } });
  expect(res.status).toBe(201);
  const set = await pollUntil(t.domain, t.token, t.conversationId, (s) => s.activities.length > 0);
  return { t, watermark: set.watermark };
}

describe('local Direct Line: conversation flow', () => {
  it('starts a conversation and delivers the bot welcome sent on membersAdded', async () => {
    const { body: t } = await getToken(server.url);
    expect(t.domain).toBe(`${server.url}/v3/directline`);
    const res = await dl(t.domain, t.token).start({ locale: 'fi-FI' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { conversationId: string; token: string; expires_in: number };
    expect(body.conversationId).toBe(t.conversationId);
    expect(body.expires_in).toBeGreaterThan(3500);

    const set = await pollUntil(t.domain, t.token, t.conversationId, (s) => s.activities.length > 0);
    expect(set.activities).toHaveLength(1);
    expect(set.activities[0]).toMatchObject({
      type: 'message',
      text: 'Tervetuloa! Valitse väri.',
      from: { role: 'bot' },
      conversation: { id: t.conversationId },
      channelId: 'directline',
    });
    expect(set.activities[0]).not.toHaveProperty('serviceUrl');
    const update = server.seen.find((s) => s.type === 'conversationUpdate' && s.conversationId === t.conversationId);
    expect(update).toMatchObject({ userId: tokenClaims(t.token).user, locale: 'fi-FI', channelId: 'directline' });

    // Starting again (or reconnecting) does not greet twice.
    expect((await dl(t.domain, t.token).start()).status).toBe(200);
    expect((await dl(t.domain, t.token).reconnect(t.conversationId)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.seen.filter((s) => s.type === 'conversationUpdate' && s.conversationId === t.conversationId)).toHaveLength(1);
  });

  it('echoes the user activity and the bot reply after the watermark, with increasing watermarks', async () => {
    const { t, watermark } = await started();
    const post = await dl(t.domain, t.token).post(t.conversationId, {
      type: 'message',
      text: 'hei',
      channelData: { clientActivityID: 'client-1' },
    });
    expect(post.status).toBe(200);
    const { id } = (await post.json()) as { id: string };
    expect(id).toMatch(new RegExp(`^${t.conversationId}\\|\\d+$`));

    const set = await pollUntil(t.domain, t.token, t.conversationId, (s) => s.activities.length >= 2, watermark);
    expect(Number(set.watermark)).toBeGreaterThan(Number(watermark));
    expect(set.activities.map((a) => [a.from.role, a.text])).toEqual([
      ['user', 'hei'],
      ['bot', 'Echo: hei'],
    ]);
    // Web Chat matches its pending message to the echo by clientActivityID.
    expect(set.activities[0]).toMatchObject({ id, channelData: { clientActivityID: 'client-1' }, locale: 'fi-FI' });
    expect(set.activities[1].replyToId).toBe(id);

    // At the latest watermark nothing is new; without one, everything held comes back in order.
    const none = (await (await dl(t.domain, t.token).get(t.conversationId, set.watermark)).json()) as { activities: unknown[]; watermark: string };
    expect(none).toEqual({ activities: [], watermark: set.watermark });
    const all = await pollUntil(t.domain, t.token, t.conversationId, () => true);
    expect(all.activities.map((a) => a.text)).toEqual(['Tervetuloa! Valitse väri.', 'hei', 'Echo: hei']);
    const between = await pollUntil(t.domain, t.token, t.conversationId, () => true, '2');
    expect(between.activities.map((a) => a.text)).toEqual(['Echo: hei']);
  });

  it('holds a poll with nothing new until the reply arrives, instead of answering empty', async () => {
    const { t, watermark } = await started();
    const poll = dl(t.domain, t.token).get(t.conversationId, watermark);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await dl(t.domain, t.token).post(t.conversationId, { type: 'message', text: 'quick' });
    // An empty answer would mean the poll did not wait; it returns with the news that came in.
    const set = (await (await poll).json()) as { activities: { text: string }[] };
    expect(set.activities.length).toBeGreaterThan(0);
    expect(set.activities[0]!.text).toBe('quick');
  });

  it('ignores the client-sent from.id: the token says who speaks', async () => {
    const { t, watermark } = await started();
    const user = tokenClaims(t.token).user;
    await dl(t.domain, t.token).post(t.conversationId, {
      type: 'message',
      text: 'spoof',
      from: { id: 'dl_SomebodyElse000000000000', role: 'bot', name: 'Mayor' },
      recipient: { id: 'other-bot' },
      conversation: { id: 'other-conversation' },
      serviceUrl: 'https://attacker.example',
    });
    const set = await pollUntil(t.domain, t.token, t.conversationId, (s) => s.activities.some((a) => a.text === 'Echo: spoof'), watermark);
    expect(set.activities[0].from).toEqual({ id: user, role: 'user' });
    expect(set.activities[0].conversation).toEqual({ id: t.conversationId });
    const seen = server.seen.find((s) => s.text === 'spoof');
    expect(seen).toMatchObject({ userId: user, conversationId: t.conversationId });
  });

  it('refuses bad requests with clear errors', async () => {
    const { t } = await started();
    const bad = await dl(t.domain, t.token).post(t.conversationId, { type: 'invoke', name: 'x' });
    expect(bad.status).toBe(400);
    const notJson = await fetch(`${t.domain}/conversations/${t.conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
  });
});

describe('local Direct Line: tokens', () => {
  it('answers 401 without a token, with a forged or tampered one', async () => {
    const { t } = await started();
    const noAuth = await fetch(`${t.domain}/conversations/${t.conversationId}/activities`);
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as { error: { code: string } }).error.code).toBe('Unauthorized');
    expect((await dl(t.domain, 'not-a-token').get(t.conversationId)).status).toBe(401);

    // Same claims, another user: the signature no longer matches.
    const [header, payload, signature] = t.token.split('.');
    const claims = tokenClaims(t.token);
    const forged = Buffer.from(JSON.stringify({ ...claims, user: 'dl_SomebodyElse000000000000' })).toString('base64url');
    expect(payload).not.toBe(forged);
    expect((await dl(t.domain, `${header}.${forged}.${signature}`).get(t.conversationId)).status).toBe(401);
    expect((await dl(t.domain, `${header}.${payload}.${signature.slice(0, -2)}AA`).get(t.conversationId)).status).toBe(401);
  });

  it("refuses another conversation's token with 403", async () => {
    const a = await started();
    const b = await started();
    expect((await dl(a.t.domain, b.t.token).get(a.t.conversationId)).status).toBe(403);
    expect((await dl(a.t.domain, b.t.token).post(a.t.conversationId, { type: 'message', text: 'x' })).status).toBe(403);
    expect((await dl(a.t.domain, b.t.token).reconnect(a.t.conversationId)).status).toBe(403);
  });

  it('refreshes a token: the new one works, binds the same user and conversation', async () => {
    const { t } = await started();
    const res = await dl(t.domain, t.token).refresh();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; conversationId: string; expires_in: number };
    expect(body.conversationId).toBe(t.conversationId);
    expect(tokenClaims(body.token)).toMatchObject({ user: tokenClaims(t.token).user, conv: t.conversationId });
    expect((await dl(t.domain, body.token).get(t.conversationId)).status).toBe(200);
  });

  it('answers 403 TokenExpired for an expired token (Web Chat then stops and the page starts anew)', async () => {
    let now = Date.now();
    const shortLived = await startEchoServer({ tokenLifetimeSeconds: 60, now: () => now });
    try {
      const { body: t } = await getToken(shortLived.url);
      expect((await dl(t.domain, t.token).start()).status).toBe(201);
      now += 59_000;
      expect((await dl(t.domain, t.token).get(t.conversationId)).status).toBe(200);
      now += 1_000;
      const res = await dl(t.domain, t.token).get(t.conversationId);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TokenExpired');
      expect((await dl(t.domain, t.token).refresh()).status).toBe(403);
    } finally {
      await shortLived.close();
    }
  });
});

describe('local Direct Line: the connector side the bot replies to', () => {
  it('stores proactive and reply activities, updates in place, 404 for unknown conversations', async () => {
    const { t, watermark } = await started();
    const post = (path: string, body: unknown, method = 'POST') =>
      fetch(`${server.url}/v3/conversations/${encodeURIComponent(t.conversationId)}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const proactive = await post('/activities', { type: 'message', text: 'proactive', serviceUrl: 'http://x' });
    expect(proactive.status).toBe(200);
    const { id } = (await proactive.json()) as { id: string };
    const updated = await post(`/activities/${encodeURIComponent(id)}`, { type: 'message', text: 'proactive (edited)' }, 'PUT');
    expect(updated.status).toBe(200);
    const set = await pollUntil(t.domain, t.token, t.conversationId, () => true, watermark);
    expect(set.activities.map((a) => [a.id, a.text])).toEqual([[id, 'proactive (edited)']]);
    expect(set.activities[0]).not.toHaveProperty('serviceUrl');

    const unknown = await fetch(`${server.url}/v3/conversations/nope/activities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x' }),
    });
    expect(unknown.status).toBe(404);
  });

  it('answers 502 when the bot cannot be reached, and says so', async () => {
    const lonely = restify.createServer();
    const local = registerLocalDirectLine(lonely, {
      env: {},
      messagesUrl: () => 'http://127.0.0.1:9/api/messages',
      serviceUrl: () => 'http://127.0.0.1:9',
      log: () => undefined,
    });
    await new Promise<void>((resolve) => lonely.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = lonely.address() as AddressInfo;
      const issued = local.issueToken('dl_AAAAAAAAAAAAAAAAAAAAAA');
      const res = await dl(`http://127.0.0.1:${port}/v3/directline`, issued.token).post(issued.conversationId, { type: 'message', text: 'x' });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/bot did not accept/);
    } finally {
      await new Promise<void>((resolve) => lonely.close(() => resolve()));
    }
  });
});

describe('local Direct Line: only for local development', () => {
  it('refuses to register when a Direct Line secret or bot authentication is configured', () => {
    const opts = { messagesUrl: () => '', serviceUrl: () => '' };
    expect(() => registerLocalDirectLine(restify.createServer(), { ...opts, env: { DIRECT_LINE_SECRET: 's' } })).toThrow(/unset DIRECT_LINE_SECRET/);
    expect(() => registerLocalDirectLine(restify.createServer(), { ...opts, env: { MicrosoftAppId: 'app' } })).toThrow(/MicrosoftAppId/);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['192.168.1.20', false],
    ['::ffff:10.0.0.5', false],
    ['fe80::1', false],
    ['::', false],
    ['', false],
    [undefined, false],
    ['localhost', false],
    ['128.0.0.1', false],
  ])('isLoopbackAddress(%s) is %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  // A real non-loopback caller: listen on all interfaces and connect through this machine's
  // own LAN address (skipped when the machine has none).
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!lan)('answers 403 to a caller from a non-loopback address', async () => {
    const open = restify.createServer();
    const local = registerLocalDirectLine(open, { env: {}, messagesUrl: () => '', serviceUrl: () => '' });
    await new Promise<void>((resolve) => open.listen(0, '0.0.0.0', resolve));
    try {
      const { port } = open.address() as AddressInfo;
      const issued = local.issueToken('dl_AAAAAAAAAAAAAAAAAAAAAA');
      const viaLan = await dl(`http://${lan}:${port}/v3/directline`, issued.token).get(issued.conversationId);
      expect(viaLan.status).toBe(403);
      const connector = await fetch(`http://${lan}:${port}/v3/conversations/${issued.conversationId}/activities`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'injected' }),
      });
      expect(connector.status).toBe(403);
      // The same request over loopback is served.
      expect((await dl(`http://127.0.0.1:${port}/v3/directline`, issued.token).get(issued.conversationId)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => open.close(() => resolve()));
    }
  });
});
