/**
 * Small HTTP helpers shared by the Direct Line routes, independent of which restify plugins
 * the server uses (the bot's server may or may not run `bodyParser` globally).
 */
import type { Request, Response } from 'restify';

/** The error shape Direct Line 3.0 uses: `{ error: { code, message } }`. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, { error: { code, message } });
}

/** Sends JSON that must never be cached (tokens, activities). */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, body);
}

/** Thrown by {@link readJsonBody}; `status` is the HTTP status to answer with. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request's JSON body as an unknown value (`undefined` when empty).
 * Uses `req.body` when a global body parser has already read the stream; otherwise reads the
 * stream itself, refusing more than `limit` bytes.
 */
export async function readJsonBody(req: Request, limit = 256 * 1024): Promise<unknown> {
  const parsed = (req as Request & { body?: unknown }).body;
  if (req.readableEnded || parsed !== undefined) {
    if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) return parseJson(parsed.toString());
    return parsed;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `The request body is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  return parseJson(Buffer.concat(chunks).toString('utf8'));
}

/** {@link readJsonBody}, answering 400/413 itself when the body is unusable. */
export async function readBodyOrReply(req: Request, res: Response): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await readJsonBody(req) };
  } catch (err) {
    const status = err instanceof BodyError ? err.status : 400;
    sendError(res, status, 'BadArgument', (err as Error).message);
    return { ok: false };
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BodyError(400, `The request body is not valid JSON (${(err as Error).message}).`);
  }
}

/** The query parameter `name` of the request URL (no query parser plugin needed). */
export function queryParam(req: Request, name: string): string | undefined {
  const url = new URL(req.url ?? '/', 'http://localhost');
  return url.searchParams.get(name) ?? undefined;
}

/** The bearer token of the request, or undefined when the header is missing or malformed. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
