/**
 * POST /api/directline/token in its three modes. Azure mode talks to a fake token service on
 * 127.0.0.1 (via DIRECT_LINE_ENDPOINT) that records what it was sent.
 */
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directLineEndpoint, directLineMode } from '../../src/directline/mode.js';
import { registerTokenRoute } from '../../src/directline/token.js';
import { isUserId, newUserId, userIdFromCookie } from '../../src/directline/userId.js';
import { getToken, tokenClaims } from './dlClient.js';
import { startEchoServer, type EchoServer } from './echoServer.js';

const SECRET = 'super-secret-direct-line-key-0123456789';

/** Parses a Set-Cookie header into its value and attribute names (lower-cased). */
function parseSetCookie(header: string | null): { name: string; value: string; attrs: Map<string, string> } {
  expect(header).toBeTruthy();
  const [pair, ...rest] = header!.split(';').map((p) => p.trim());
  const [name, value] = pair.split('=');
  return { name, value, attrs: new Map(rest.map((a) => [a.split('=')[0].toLowerCase(), a.split('=')[1] ?? ''])) };
}

async function listen(server: restify.Server | HttpServer): Promise<string> {
  await new Promise<void>((resolve) => (server as HttpServer).listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${((server as HttpServer).address() as AddressInfo).port}`;
}

async function close(server: restify.Server | HttpServer): Promise<void> {
  await new Promise<void>((resolve) => (server as HttpServer).close(() => resolve()));
}

describe('token route, local mode', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(async () => server?.close());

  it('hands out a local token, a domain on this server and an HttpOnly SameSite=Strict user cookie', async () => {
    const { status, body, setCookie } = await getToken(server.url);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['conversationId', 'domain', 'expires_in', 'token']);
    expect(body.domain).toBe(`${server.url}/v3/directline`);
    const cookie = parseSetCookie(setCookie);
    expect(cookie.name).toBe('dk_uid');
    expect(cookie.value).toMatch(/^dl_[A-Za-z0-9_-]{22}$/);
    expect(cookie.attrs.has('httponly')).toBe(true);
    expect(cookie.attrs.get('samesite')).toBe('Strict');
    expect(cookie.attrs.get('path')).toBe('/api/directline');
    expect(Number(cookie.attrs.get('max-age'))).toBeGreaterThan(180 * 24 * 3600);
    // Web Chat reads the user id from the token; it is the cookie's.
    expect(tokenClaims(body.token)).toMatchObject({ user: cookie.value, conv: body.conversationId });
  });

  it('keeps the same user across calls that send the cookie back, with a new conversation each time', async () => {
    const first = await getToken(server.url);
    const id = parseSetCookie(first.setCookie).value;
    const second = await getToken(server.url, `other=1; dk_uid=${id}`);
    expect(parseSetCookie(second.setCookie).value).toBe(id);
    expect(tokenClaims(second.body.token).user).toBe(id);
    expect(second.body.conversationId).not.toBe(first.body.conversationId);
    // A malformed cookie is replaced, never passed on.
    const third = await getToken(server.url, 'dk_uid=dl_short');
    expect(parseSetCookie(third.setCookie).value).not.toBe('dl_short');
    expect(isUserId(tokenClaims(third.body.token).user)).toBe(true);
  });
});

describe('token route, cross-site requests', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(async () => server?.close());

  it('refuses a request the browser marks as cross-site, without touching the cookie', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const res = await fetch(`${server.url}/api/directline/token`, { method: 'POST', headers: { 'Sec-Fetch-Site': site } });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const same = await fetch(`${server.url}/api/directline/token`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' } });
    expect(same.status).toBe(200);
  });
});

describe('token route, Azure mode (fake token service on 127.0.0.1)', () => {
  const calls: { auth: string | undefined; body: { user?: { id?: string } }; path: string }[] = [];
  let fakeStatus = 200;
  let fake: HttpServer;
  let fakeUrl = '';
  let bot: restify.Server;
  let botUrl = '';
  const logs: string[] = [];

  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  };

  beforeAll(async () => {
    fake = createServer(async (req, res) => {
      calls.push({ auth: req.headers.authorization, body: await read(req), path: `${req.method} ${req.url}` });
      res.writeHead(fakeStatus, { 'Content-Type': 'application/json' });
      res.end(
        fakeStatus === 200
          ? JSON.stringify({ conversationId: `azure-conv-${calls.length}`, token: `azure-token-${calls.length}`, expires_in: 3600 })
          : JSON.stringify({ error: { code: 'BadArgument', message: `Invalid secret ${SECRET}` } }),
      );
    });
    fakeUrl = await listen(fake);
    bot = restify.createServer();
    registerTokenRoute(bot, {
      env: { DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_ENDPOINT: `${fakeUrl}/v3/directline/`, MicrosoftAppId: 'app-id' },
      log: (m) => logs.push(m),
    });
    botUrl = await listen(bot);
  });
  afterAll(async () => {
    await close(bot);
    await close(fake);
  });

  it('exchanges the secret for a token with the cookie user embedded, and hands the page only the token', async () => {
    fakeStatus = 200;
    const first = await fetch(`${botUrl}/api/directline/token`, { method: 'POST' });
    const text = await first.text();
    expect(first.status).toBe(200);
    expect(text).not.toContain(SECRET);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['conversationId', 'domain', 'expires_in', 'token']);
    expect(body).toMatchObject({ token: `azure-token-${calls.length}`, conversationId: `azure-conv-${calls.length}`, expires_in: 3600 });
    expect(body.domain).toBe(`${fakeUrl}/v3/directline`);
    expect(first.headers.get('cache-control')).toBe('no-store');

    const cookie = parseSetCookie(first.headers.get('set-cookie'));
    expect(cookie.attrs.has('secure')).toBe(true);
    expect(cookie.attrs.has('httponly')).toBe(true);
    expect(cookie.attrs.get('samesite')).toBe('Strict');
    const call = calls[calls.length - 1];
    expect(call.path).toBe('POST /v3/directline/tokens/generate');
    expect(call.auth).toBe(`Bearer ${SECRET}`);
    expect(call.body).toEqual({ user: { id: cookie.value } });

    // The same browser comes back: Azure is asked for the same user.
    const again = await fetch(`${botUrl}/api/directline/token`, { method: 'POST', headers: { Cookie: `dk_uid=${cookie.value}` } });
    expect(again.status).toBe(200);
    expect(calls[calls.length - 1].body).toEqual({ user: { id: cookie.value } });
  });

  it('gives a partitioned SameSite=None cookie when another site frames the chat, so its iframe remembers the respondent', async () => {
    fakeStatus = 200;
    const framed = restify.createServer();
    registerTokenRoute(framed, {
      env: { DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_ENDPOINT: `${fakeUrl}/v3/directline/`, MicrosoftAppId: 'app-id' },
      embeddedCrossSite: true,
      log: (m) => logs.push(m),
    });
    const url = await listen(framed);
    try {
      // The iframe asks its own origin: same-origin, though the top-level page is another site.
      const res = await fetch(`${url}/api/directline/token`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' } });
      expect(res.status).toBe(200);
      const cookie = parseSetCookie(res.headers.get('set-cookie'));
      expect(cookie.attrs.get('samesite')).toBe('None');
      expect(cookie.attrs.has('secure')).toBe(true);
      expect(cookie.attrs.has('partitioned')).toBe(true);
      expect(cookie.attrs.has('httponly')).toBe(true);
      // A cross-site page still cannot reset it.
      const cross = await fetch(`${url}/api/directline/token`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } });
      expect(cross.status).toBe(403);
      expect(cross.headers.get('set-cookie')).toBeNull();
    } finally {
      await close(framed);
    }
  });

  it('answers 502 without details when Azure refuses, and never leaks the secret', async () => {
    fakeStatus = 403;
    const res = await fetch(`${botUrl}/api/directline/token`, { method: 'POST' });
    const text = await res.text();
    expect(res.status).toBe(502);
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text).error.code).toBe('DirectLineUnavailable');
    expect(logs.join('\n')).toMatch(/HTTP 403/);
    expect(logs.join('\n')).not.toContain(SECRET);
  });
});

describe('token route, misconfigured', () => {
  it('says how to fix a bot with authentication but no Direct Line secret (503)', async () => {
    const bot = restify.createServer();
    registerTokenRoute(bot, { env: { MicrosoftAppId: 'app-id' } });
    const url = await listen(bot);
    try {
      const res = await fetch(`${url}/api/directline/token`, { method: 'POST' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/DIRECT_LINE_SECRET/);
    } finally {
      await close(bot);
    }
  });

  it('refuses local mode without a local Direct Line, and a DIRECT_LINE_ENDPOINT that is no URL', () => {
    expect(() => registerTokenRoute(restify.createServer(), { env: {} })).toThrow(/registerLocalDirectLine/);
    expect(() => registerTokenRoute(restify.createServer(), { env: { DIRECT_LINE_SECRET: 's', DIRECT_LINE_ENDPOINT: 'europe' } })).toThrow(
      /DIRECT_LINE_ENDPOINT/,
    );
  });
});

describe('mode and endpoint from the environment', () => {
  it.each([
    [{}, 'local'],
    [{ DIRECT_LINE_SECRET: 's' }, 'azure'],
    [{ DIRECT_LINE_SECRET: 's', MicrosoftAppId: 'a' }, 'azure'],
    [{ MicrosoftAppId: 'a' }, 'unconfigured'],
    [{ DIRECT_LINE_SECRET: '  ', MicrosoftAppId: '' }, 'local'],
  ])('%j → %s', (env, mode) => {
    expect(directLineMode(env)).toBe(mode);
  });

  it.each([
    [undefined, 'https://directline.botframework.com'],
    ['https://europe.directline.botframework.com', 'https://europe.directline.botframework.com'],
    ['https://europe.directline.botframework.com/v3/directline/', 'https://europe.directline.botframework.com'],
    ['http://127.0.0.1:5000/', 'http://127.0.0.1:5000'],
  ])('DIRECT_LINE_ENDPOINT=%s → %s', (value, expected) => {
    expect(directLineEndpoint({ DIRECT_LINE_ENDPOINT: value })).toBe(expected);
  });
});

describe('user id cookie', () => {
  it('makes random dl_ ids of the documented shape and reads only well-formed ones back', () => {
    const a = newUserId();
    expect(a).toMatch(/^dl_[A-Za-z0-9_-]{22}$/);
    expect(newUserId()).not.toBe(a);
    expect(userIdFromCookie(`x=1; dk_uid=${a}; y=2`)).toBe(a);
    expect(userIdFromCookie('dk_uid=dl_<script>')).toBeUndefined();
    expect(userIdFromCookie(undefined)).toBeUndefined();
  });
});
