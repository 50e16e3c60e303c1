/** /chat and its assets: served locally, right types and caching, no inline code, locales in step. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerChatPage, webchatBundlePath } from '../../src/directline/page.js';
import { startEchoServer, TEST_COMPANY, TEST_PRIVACY_URL, type EchoServer } from './echoServer.js';
import { LOCALES_DIR } from '../../src/i18n.js';

let server: EchoServer;
beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(async () => server?.close());

const flatKeys = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([k, v]) => flatKeys(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

describe('/chat page', () => {
  it('serves the page with no inline scripts or styles and only same-origin resources', async () => {
    for (const path of ['/chat', '/chat/', '/chat?lang=fi']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      // A fresh nonce in every response: never stored, nothing to revalidate.
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('etag')).toBeNull();
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
      expect(html).toMatch(/<html lang="fi">/);
    }
  });

  it.each([
    ['/chat/chat.js', 'text/javascript; charset=utf-8'],
    ['/chat/chat.css', 'text/css; charset=utf-8'],
    ['/chat/avatar.svg', 'image/svg+xml'],
    ['/chat/locales/fi.json', 'application/json; charset=utf-8'],
    ['/chat/locales/en.json', 'application/json; charset=utf-8'],
  ])('serves %s as %s with an ETag that revalidates', async (path, type) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${server.url}${path}`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });

  it('serves the installed Web Chat bundle, gzipped when asked, cacheable', async () => {
    const original = readFileSync(webchatBundlePath());
    const plain = await fetch(`${server.url}/chat/webchat.js`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true);

    // node's fetch would decompress transparently; a raw request shows what travels.
    const { request } = await import('node:http');
    const gz = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(`${server.url}/chat/webchat.js`, { headers: { 'Accept-Encoding': 'gzip, br' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.length).toBeLessThan(original.length / 2);
    expect(gunzipSync(gz.body).equals(original)).toBe(true);
    expect(gz.headers.etag).not.toBe(plain.headers.get('etag'));
  });

  it('refuses unknown locales and files', async () => {
    expect((await fetch(`${server.url}/chat/locales/sv.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/chat/locales/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/chat/index.html`)).status).toBe(404);
  });

  it('has the same keys in locales/fi/chat.json and locales/en/chat.json, all non-empty', () => {
    const read = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'chat.json'), 'utf8')) as Record<string, string>;
    const [fi, en] = [read('fi'), read('en')];
    expect(flatKeys(fi).sort()).toEqual(flatKeys(en).sort());
    for (const strings of [fi, en]) for (const value of Object.values(strings)) expect(value.trim()).not.toBe('');
    expect(fi.switchLanguageLang).toBe('en');
    expect(en.switchLanguageLang).toBe('fi');
  });

  it('serves the strings with the company name and privacy link filled in', async () => {
    for (const lang of ['fi', 'en']) {
      const served = (await (await fetch(`${server.url}/chat/locales/${lang}.json`)).json()) as Record<string, string>;
      expect(served.company).toBe(TEST_COMPANY);
      expect(served.privacyUrl).toBe(TEST_PRIVACY_URL);
      expect(served.intro).toContain(TEST_COMPANY);
      expect(JSON.stringify(served)).not.toContain('{{');
    }
  });

  it('refuses a privacy link that is neither http(s) nor a path', () => {
    expect(() => registerChatPage(restify.createServer(), { privacyUrl: 'javascript:alert(1)' })).toThrow(/privacyUrl/);
  });

  it('refuses to register when a file is missing, naming it', () => {
    expect(() => registerChatPage(restify.createServer(), { webDir: '/nonexistent/web/chat' })).toThrow(/\/nonexistent\/web\/chat\/index.html is missing/);
  });
});
