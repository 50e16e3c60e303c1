/** The chat page's Content-Security-Policy: nonce per response, frame-ancestors from the environment. */
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { afterEach, describe, expect, it } from 'vitest';
import { chatContentSecurityPolicy, chatFrameAncestors, EMPTY_STYLE_HASH, framedCrossSite } from '../../src/directline/csp.js';
import { registerWebChat } from '../../src/directline/index.js';

const servers: restify.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A server with only the web chat wired, as `bot/app.ts` does, for `env`. */
async function chatServer(env: Record<string, string>): Promise<string> {
  const server = restify.createServer();
  servers.push(server);
  let origin = '';
  registerWebChat(server, { env, baseUrl: () => origin });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return origin;
}

/** The CSP as a map of directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

describe('chat page security headers', () => {
  it('sends a strict policy with a new style nonce each time, the same nonce as on chat.js', async () => {
    const url = await chatServer({});
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${url}/chat`);
      const csp = directives(res.headers.get('content-security-policy') ?? '');
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'none'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
      const style = csp.get('style-src') ?? [];
      expect(style).toEqual(["'self'", expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}=='$/), EMPTY_STYLE_HASH]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      // Framing by this origin is allowed, which X-Frame-Options cannot say: it is left out.
      expect(res.headers.get('x-frame-options')).toBeNull();
      const nonce = style[1]!.slice("'nonce-".length, -1);
      const html = await res.text();
      expect(html).toContain(`<script src="/chat/chat.js" nonce="${nonce}" defer></script>`);
      expect(html).not.toContain('__CSP_NONCE__');
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('lets the consultancy site frame the chat when CHAT_FRAME_ANCESTORS names it', async () => {
    const url = await chatServer({ CHAT_FRAME_ANCESTORS: "'self' https://www.example.fi, https://*.example.com" });
    const res = await fetch(`${url}/chat`);
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp.get('frame-ancestors')).toEqual(["'self'", 'https://www.example.fi', 'https://*.example.com']);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it("forbids framing with 'none' (and says so to old browsers too)", async () => {
    const url = await chatServer({ CHAT_FRAME_ANCESTORS: "'none'" });
    const res = await fetch(`${url}/chat`);
    expect(directives(res.headers.get('content-security-policy') ?? '').get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('allows the Azure Direct Line origin in connect-src in Azure mode', async () => {
    const url = await chatServer({ DIRECT_LINE_SECRET: 'test-secret', DIRECT_LINE_ENDPOINT: 'https://europe.directline.botframework.com/v3/directline' });
    const res = await fetch(`${url}/chat`);
    expect(directives(res.headers.get('content-security-policy') ?? '').get('connect-src')).toEqual([
      "'self'",
      'https://europe.directline.botframework.com',
    ]);
    expect(await res.text()).not.toContain('test-secret');
  });

  it('refuses malformed CHAT_FRAME_ANCESTORS at start-up, saying how to write it', () => {
    expect(chatFrameAncestors({})).toEqual(["'self'"]);
    expect(chatFrameAncestors({ CHAT_FRAME_ANCESTORS: '  ' })).toEqual(["'self'"]);
    expect(chatFrameAncestors({ CHAT_FRAME_ANCESTORS: 'https://www.example.fi:8443' })).toEqual(['https://www.example.fi:8443']);
    expect(() => chatFrameAncestors({ CHAT_FRAME_ANCESTORS: 'self' })).toThrow(/single quotes/);
    expect(() => chatFrameAncestors({ CHAT_FRAME_ANCESTORS: 'https://www.example.fi/page' })).toThrow(/"https:\/\/www.example.fi\/page" is not an origin/);
    expect(() => chatFrameAncestors({ CHAT_FRAME_ANCESTORS: "https://a.fi; script-src 'unsafe-inline'" })).toThrow(/not an origin/);
    expect(() => chatFrameAncestors({ CHAT_FRAME_ANCESTORS: "'none' https://a.fi" })).toThrow(/'none' cannot be combined/);
    expect(() => registerWebChat(restify.createServer(), { env: { CHAT_FRAME_ANCESTORS: '*' }, baseUrl: () => '' })).toThrow(/CHAT_FRAME_ANCESTORS/);
  });

  it('knows when other sites frame the chat (their iframes get a partitioned cookie)', () => {
    expect(framedCrossSite(chatFrameAncestors({}))).toBe(false);
    expect(framedCrossSite(chatFrameAncestors({ CHAT_FRAME_ANCESTORS: "'none'" }))).toBe(false);
    expect(framedCrossSite(chatFrameAncestors({ CHAT_FRAME_ANCESTORS: "'self' https://www.example.fi" }))).toBe(true);
  });

  it('builds the policy from the nonce alone', () => {
    expect(chatContentSecurityPolicy({ nonce: 'abc' })).toContain("style-src 'self' 'nonce-abc' " + EMPTY_STYLE_HASH);
    expect(chatContentSecurityPolicy({ nonce: 'abc' })).toContain("img-src 'self' data: blob:");
  });
});
