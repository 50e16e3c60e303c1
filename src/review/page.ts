/**
 * The review page's static files, served by the bot itself (no CDN, works offline):
 *   GET /review                      web/review/index.html
 *   GET /review/review.js|review.css web/review/
 *   GET /review/locales/<fi|en>.json the `review` and `survey` namespaces from locales/
 *   GET /review/vendor/i18next.js    i18next's browser build from node_modules
 * Every answer carries the strict security headers (CSP without inline code).
 */
import { CONTENT_TYPES } from '../http/contentTypes.js';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response, Server } from 'restify';
import { securityHeaders } from '../http/securityHeaders.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const TYPES = CONTENT_TYPES;

export interface ReviewPageOptions {
  /** Folder with index.html, review.js, review.css, icon.svg (default `web/review`). */
  webDir?: string;
  /** Folder with `<lang>/review.json` and `<lang>/survey.json` (default `locales`). */
  localesDir?: string;
}

/** i18next's UMD browser build (sets `window.i18next`). */
export function i18nextBrowserBuild(): string {
  const entry = createRequire(import.meta.url).resolve('i18next');
  // entry: node_modules/i18next/dist/cjs/i18next.js → dist/umd/i18next.min.js
  return join(dirname(entry), '..', 'umd', 'i18next.min.js');
}

const ASSETS = ['review.js', 'review.css', 'icon.svg'] as const;

/** Registers the page routes; throws at start-up, naming the file, when one is missing. */
export function registerReviewPage(server: Server, opts: ReviewPageOptions = {}): void {
  const webDir = opts.webDir ?? join(ROOT, 'web', 'review');
  const localesDir = opts.localesDir ?? join(ROOT, 'locales');
  const i18nextFile = i18nextBrowserBuild();
  const required = [join(webDir, 'index.html'), ...ASSETS.map((a) => join(webDir, a)), i18nextFile];
  for (const lang of ['fi', 'en']) required.push(join(localesDir, lang, 'review.json'), join(localesDir, lang, 'survey.json'));
  for (const file of required) {
    if (!existsSync(file)) throw new Error(`registerReviewPage: ${file} is missing (for i18next: npm install i18next).`);
  }

  const page = async (req: Request, res: Response) => serveFile(req, res, join(webDir, 'index.html'), 'no-cache');
  server.get('/review', page);
  server.get('/review/', page);
  for (const asset of ASSETS) {
    server.get(`/review/${asset}`, async (req: Request, res: Response) => serveFile(req, res, join(webDir, asset), 'no-cache'));
  }
  server.get('/review/vendor/i18next.js', async (req: Request, res: Response) => serveFile(req, res, i18nextFile, 'public, max-age=86400'));
  server.get('/review/locales/:file', async (req: Request, res: Response) => {
    const file = String(req.params.file);
    if (file !== 'fi.json' && file !== 'en.json') {
      securityHeaders(res);
      res.writeHead(404, { 'Content-Type': TYPES.json });
      res.end(JSON.stringify({ error: 'not_found', message: 'Use /review/locales/fi.json or /review/locales/en.json.' }));
      return;
    }
    const lang = file.slice(0, 2);
    const [review, survey] = await Promise.all(
      ['review', 'survey'].map(async (ns) => JSON.parse(await readFile(join(localesDir, lang, `${ns}.json`), 'utf8')) as unknown),
    );
    send(req, res, Buffer.from(JSON.stringify({ review, survey })), 'json', 'no-cache');
  });
}

async function serveFile(req: Request, res: Response, file: string, cacheControl: string): Promise<void> {
  const body = await readFile(file);
  send(req, res, body, file.slice(file.lastIndexOf('.') + 1), cacheControl);
}

function send(req: Request, res: Response, body: Buffer, ext: string, cacheControl: string): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  securityHeaders(res);
  const headers: Record<string, string> = {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
    ETag: etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(body);
}
