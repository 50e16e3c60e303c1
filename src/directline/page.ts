/**
 * The `/chat` page and its assets, all served by the bot's own server (no CDN): the page,
 * its script, style and avatar from `web/chat/`, its strings from `locales/<lang>/chat.json`,
 * and Web Chat's browser bundle from `node_modules/botframework-webchat`. The page is sent
 * with a Content-Security-Policy (see `csp.ts`) and a fresh style nonce each time.
 */
import { CONTENT_TYPES } from '../http/contentTypes.js';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { chatSecurityHeaders, DEFAULT_FRAME_ANCESTORS, newNonce } from './csp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ChatPageOptions {
  /** Folder with index.html, chat.js, chat.css, avatar.svg (default `web/chat`). */
  webDir?: string;
  /** Folder with `<lang>/chat.json` (default `locales`). */
  localesDir?: string;
  /** Web Chat's browser bundle (default: resolved from the installed botframework-webchat). */
  webchatBundle?: string;
  /** The consultancy's name, shown in the header and put into `{{company}}` in the strings. */
  company?: string;
  /** The privacy notice (http(s) URL or a path on this server); without it the link is hidden. */
  privacyUrl?: string;
  /** Who may embed the page (CSP `frame-ancestors`); default `'self'`. See `chatFrameAncestors`. */
  frameAncestors?: string[];
  /** Origins the page may call besides its own (CSP `connect-src`), e.g. the Azure Direct Line. */
  connectSrc?: string[];
}

const TYPES = CONTENT_TYPES;
/** Strings revalidate every time; assets may be reused for an hour, then revalidated by ETag. */
const PAGE_CACHE = 'no-cache';
/** The page itself carries a fresh nonce each time: never stored, never revalidated (no ETag). */
const NONCE_PAGE_CACHE = 'no-store';
/** Where index.html asks for the response's style nonce (on the chat.js script tag). */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';
const ASSET_CACHE = 'public, max-age=3600';
const ASSETS = ['chat.js', 'chat.css', 'avatar.svg'] as const;
const LOCALE_FILES = new Set(['fi.json', 'en.json']);

/** The path of Web Chat's full browser bundle (`dist/webchat.js`) in node_modules. */
export function webchatBundlePath(): string {
  // The package's exports hide dist/ and package.json; its CommonJS entry sits in lib/.
  const entry = createRequire(import.meta.url).resolve('botframework-webchat');
  return join(dirname(entry), '..', 'dist', 'webchat.js');
}

/**
 * Registers `GET /chat` and `/chat/*` (see the module comment). Throws at registration when a
 * file is missing, naming it, rather than serving a broken page later.
 */
export function registerChatPage(server: Server, opts: ChatPageOptions = {}): void {
  const webDir = opts.webDir ?? join(ROOT, 'web', 'chat');
  const localesDir = opts.localesDir ?? join(ROOT, 'locales');
  const bundle = opts.webchatBundle ?? webchatBundlePath();
  for (const file of [join(webDir, 'index.html'), ...ASSETS.map((a) => join(webDir, a)), bundle]) {
    if (!existsSync(file)) {
      throw new Error(`registerChatPage: ${file} is missing (for webchat.js: npm install botframework-webchat).`);
    }
  }
  const company = opts.company?.trim() || 'Digikysely';
  const privacyUrl = opts.privacyUrl?.trim();
  if (privacyUrl && !/^(https?:\/\/[^\s"<>]+|\/[^\s"<>]*)$/i.test(privacyUrl)) {
    throw new Error(`registerChatPage: privacyUrl "${privacyUrl}" must be an http(s) URL or a path starting with "/".`);
  }

  const html = join(webDir, 'index.html');
  if (readFileSync(html, 'utf8').split(NONCE_PLACEHOLDER).length !== 2) {
    throw new Error(`registerChatPage: ${html} must contain ${NONCE_PLACEHOLDER} once (<script src="/chat/chat.js" nonce="${NONCE_PLACEHOLDER}" defer>).`);
  }
  const policy = { frameAncestors: opts.frameAncestors ?? DEFAULT_FRAME_ANCESTORS, connectSrc: opts.connectSrc ?? [] };

  // chat.js reads the nonce from its own script tag and hands it to Web Chat, which puts it on
  // the <style> elements it creates; the CSP allows exactly those.
  const page = async (_req: Request, res: Response) => {
    const nonce = newNonce();
    const body = Buffer.from((await readFile(html, 'utf8')).replace(NONCE_PLACEHOLDER, nonce));
    chatSecurityHeaders(res, { ...policy, nonce });
    res.writeHead(200, {
      'Content-Type': TYPES.html,
      'Cache-Control': NONCE_PAGE_CACHE,
      'Content-Length': String(body.length),
    });
    res.end(body);
  };
  server.get('/chat', page);
  server.get('/chat/', page);
  for (const asset of ASSETS) {
    server.get(`/chat/${asset}`, async (req: Request, res: Response) => serveFile(req, res, join(webDir, asset), ASSET_CACHE));
  }
  server.get('/chat/locales/:file', async (req: Request, res: Response) => {
    const file = String(req.params.file);
    if (!LOCALE_FILES.has(file)) {
      res.writeHead(404, { 'Content-Type': TYPES.json, 'X-Content-Type-Options': 'nosniff' });
      res.end(JSON.stringify({ error: { code: 'NotFound', message: 'Use /chat/locales/fi.json or /chat/locales/en.json.' } }));
      return;
    }
    const strings = JSON.parse(await readFile(join(localesDir, file.slice(0, 2), 'chat.json'), 'utf8')) as Record<string, string>;
    const served: Record<string, string> = { company };
    for (const [key, value] of Object.entries(strings)) served[key] = value.replaceAll('{{company}}', company);
    if (privacyUrl) served.privacyUrl = privacyUrl;
    const body = Buffer.from(JSON.stringify(served));
    send(req, res, body, 'json', PAGE_CACHE, etagOf(body), false);
  });

  // 3.9 MB raw, ~1 MB gzipped: read and compress once, on first use.
  let cached: Promise<{ raw: Buffer; gz: Buffer; etag: string }> | undefined;
  server.get('/chat/webchat.js', async (req: Request, res: Response) => {
    cached ??= readFile(bundle).then(async (raw) => ({ raw, gz: await promisify(gzip)(raw), etag: etagOf(raw) }));
    const { raw, gz, etag } = await cached;
    const useGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    send(req, res, useGzip ? gz : raw, 'js', ASSET_CACHE, useGzip ? etag.replace(/"$/, '-gz"') : etag, useGzip);
  });
}

async function serveFile(req: Request, res: Response, file: string, cacheControl: string): Promise<void> {
  const body = await readFile(file);
  const ext = file.slice(file.lastIndexOf('.') + 1);
  send(req, res, body, ext, cacheControl, etagOf(body), false);
}

function send(req: Request, res: Response, body: Buffer, ext: string, cacheControl: string, etag: string, gzipped: boolean): void {
  const headers: Record<string, string> = {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
    ETag: etag,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (gzipped) headers['Content-Encoding'] = 'gzip';
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(body);
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
