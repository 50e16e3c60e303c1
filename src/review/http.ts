/**
 * Small HTTP helpers for the review routes: JSON replies with the security headers, errors that
 * become `{ error, message }` with the right status, cookies, the request body and query. They
 * work whether or not the server installed restify's body and query parsers.
 */
import type { Request, Response } from 'restify';
import { securityHeaders } from '../http/securityHeaders.js';

/** An error with an HTTP status and a stable code; the message says how to fix the request. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Sends `body` as JSON with the security headers and `Cache-Control: no-store`. */
export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  securityHeaders(res);
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Sends an HttpError (or a 500 for anything else, logged without the request body). */
export function sendError(res: Response, error: unknown, log: (message: string, fields?: Record<string, unknown>) => void): void {
  if (res.headersSent) return;
  if (error instanceof HttpError) {
    sendJson(res, error.status, { error: error.code, message: error.message }, error.headers);
    return;
  }
  log('[review] request failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  sendJson(res, 500, { error: 'internal', message: 'The request failed on the server; the log has the details.' });
}

/** Parses a Cookie header into name → value (first occurrence wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  secure: boolean;
}

/** A `Set-Cookie` value: always HttpOnly, SameSite=Strict, Path=/. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The query string of a request as URLSearchParams (independent of restify's queryParser). */
export function queryOf(req: Request): URLSearchParams {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

const MAX_BODY = 64 * 1024;

/**
 * The JSON body as an object. Uses restify's parsed body when present, else reads the stream.
 * Only `application/json` is accepted: a cross-site HTML form cannot send it without a CORS
 * preflight, which this server never grants.
 */
export async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  const type = String(req.headers['content-type'] ?? '');
  const length = Number(req.headers['content-length'] ?? 0);
  if (!/^application\/json\b/i.test(type)) {
    if (length === 0 && req.body === undefined) return {};
    throw new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.');
  }
  let body: unknown = req.body;
  if (body === undefined) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new HttpError(413, 'too_large', `The request body is larger than ${MAX_BODY} bytes.`);
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
  } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      body = JSON.parse(String(body));
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_body', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** The client's address: the socket's, or X-Forwarded-For's first hop when the proxy is trusted. */
export function remoteAddress(req: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return req.socket?.remoteAddress ?? 'unknown';
}

/**
 * True when the request reached us (or the proxy in front of us) over https. X-Forwarded-Proto
 * is believed even from an untrusted client: all it can do is make its own cookie Secure.
 */
export function cameOverHttps(req: Request): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  return String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase() === 'https';
}
