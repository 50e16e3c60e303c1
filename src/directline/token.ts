/**
 * `POST /api/directline/token`: the only way the chat page gets into a conversation.
 *
 * The page never sees the Direct Line secret and never chooses its user id: the server reads
 * (or creates) the browser's `dk_uid` cookie and has the user id embedded in the token, which is
 * where Web Chat takes it from. Azure mode asks Azure Bot Service for the token; local mode asks
 * the local Direct Line.
 */
import type { Request, Response, Server } from 'restify';
import { sendError, sendJson } from './http.js';
import type { LocalDirectLine } from './local.js';
import { requireLoopback } from './loopback.js';
import { directLineEndpoint, directLineMode, type Env } from './mode.js';
import { newUserId, userIdCookie, userIdFromCookie } from './userId.js';

export interface TokenRouteOptions {
  /** The environment (default `process.env`): `DIRECT_LINE_SECRET`, `DIRECT_LINE_ENDPOINT`, `MicrosoftAppId`. */
  env?: Env;
  /** The local Direct Line; required in local mode. */
  local?: LocalDirectLine;
  /** Local mode: this server's origin when the request's Host is not a loopback name. */
  localOrigin?: () => string;
  /** Mark the cookie `Secure` (default: in Azure mode, where the page is served over HTTPS). */
  secureCookie?: boolean;
  /** Another site frames the chat (CHAT_FRAME_ANCESTORS): a partitioned cookie (see userIdCookie). */
  embeddedCrossSite?: boolean;
  /** Timeout of the call to Azure (default 10 s). */
  timeoutMs?: number;
  /** Where failures are reported (default `console.warn`). */
  log?: (message: string) => void;
}

/** What the page receives. Nothing else: no secret, no user id field. */
export interface TokenResponse {
  token: string;
  conversationId: string;
  expires_in: number;
  /** The Direct Line base URL for `createDirectLine({ domain })`. */
  domain: string;
}

export const TOKEN_PATH = '/api/directline/token';

/**
 * Registers `POST /api/directline/token` (see the module comment). Throws at registration when
 * local mode lacks `opts.local`, or when `DIRECT_LINE_ENDPOINT` is not a URL.
 */
export function registerTokenRoute(server: Server, opts: TokenRouteOptions = {}): void {
  const env = opts.env ?? process.env;
  const mode = directLineMode(env);
  const log = opts.log ?? ((message: string) => console.warn(message));
  const secure = opts.secureCookie ?? mode === 'azure';
  if (mode === 'local' && !opts.local) {
    throw new Error('registerTokenRoute: local mode needs { local: registerLocalDirectLine(server, …) }.');
  }
  const endpoint = mode === 'azure' ? directLineEndpoint(env) : '';

  server.post(TOKEN_PATH, async (req: Request, res: Response) => {
    if (mode === 'unconfigured') {
      sendError(
        res,
        503,
        'DirectLineNotConfigured',
        'The bot authenticates (MicrosoftAppId is set) but DIRECT_LINE_SECRET is not: add the Direct Line ' +
          'channel to the Azure Bot and put its secret in DIRECT_LINE_SECRET (see docs/webchat.md).',
      );
      return;
    }
    if (mode === 'local' && !requireLoopback(req, res)) return;
    if (!sameOrigin(req)) {
      // A cross-site form could otherwise replace a respondent's cookie and orphan their interview.
      sendError(res, 403, 'Forbidden', 'Ask for a token from the chat page itself (same origin).');
      return;
    }

    const userId = userIdFromCookie(req.headers.cookie) ?? newUserId();
    // Renewed on every visit, so an active respondent never loses their identity.
    res.setHeader('Set-Cookie', userIdCookie(userId, { secure, embeddedCrossSite: opts.embeddedCrossSite === true }));

    if (mode === 'local') {
      const issued = opts.local!.issueToken(userId);
      const body: TokenResponse = { ...issued, domain: `${localOrigin(req, opts.localOrigin)}/v3/directline` };
      sendJson(res, 200, body);
      return;
    }
    try {
      const issued = await generateAzureToken(endpoint, env.DIRECT_LINE_SECRET!.trim(), userId, opts.timeoutMs ?? 10_000);
      const body: TokenResponse = { ...issued, domain: `${endpoint}/v3/directline` };
      sendJson(res, 200, body);
    } catch (err) {
      log(`[directline] token generation at ${endpoint} failed: ${(err as Error).message}`);
      sendError(res, 502, 'DirectLineUnavailable', 'Could not start a chat right now; please try again in a moment.');
    }
  });
}

/** Asks Azure Bot Service for a conversation token with `userId` embedded. */
async function generateAzureToken(
  endpoint: string,
  secret: string,
  userId: string,
  timeoutMs: number,
): Promise<Omit<TokenResponse, 'domain'>> {
  const response = await fetch(`${endpoint}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: { id: userId } }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) {
    // The upstream body is logged by status only: it could echo request details.
    throw new Error(`HTTP ${response.status} (is DIRECT_LINE_SECRET the secret of this bot's Direct Line channel?)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the response was not JSON');
  }
  const { token, conversationId, expires_in } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof token !== 'string' || typeof conversationId !== 'string') {
    throw new Error('the response had no token or conversationId');
  }
  return { token, conversationId, expires_in: typeof expires_in === 'number' ? expires_in : 3600 };
}

/**
 * False when the browser says the request comes from another site (`Sec-Fetch-Site`, sent by
 * current browsers). Requests without the header (servers, older browsers) pass: the cookie is
 * SameSite=Strict (or partitioned per framing site) anyway, this only stops a cross-site page from
 * resetting it. The chat in another site's iframe asks its own origin: `same-origin`.
 */
function sameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/**
 * The origin the page used, when it is a loopback name (so Direct Line calls stay same-origin
 * whether the developer opened localhost or 127.0.0.1); otherwise the configured origin.
 */
function localOrigin(req: Request, fallback: (() => string) | undefined): string {
  const host = req.headers.host ?? '';
  if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d{1,5})?$/i.test(host)) return `http://${host}`;
  if (fallback) return fallback().replace(/\/+$/, '');
  const address = req.socket.localAddress ?? '127.0.0.1';
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}
