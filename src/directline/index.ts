/**
 * The web chat channel in one call: the `/chat` page, `POST /api/directline/token`, and in
 * local mode the local Direct Line. Wire it where the server is built, e.g.
 * `routes: [(server, app) => registerWebChat(server, { baseUrl: app.url, company, privacyUrl })]`.
 */
import type { Server } from 'restify';
import { registerLocalDirectLine, type LocalDirectLine } from './local.js';
import { directLineEndpoint, directLineMode, type DirectLineMode, type Env } from './mode.js';
import { chatFrameAncestors, framedCrossSite } from './csp.js';
import { registerChatPage } from './page.js';
import { registerTokenRoute } from './token.js';

export { directLineMode, type DirectLineMode } from './mode.js';

export interface WebChatOptions {
  /** The server's own base URL once listening, e.g. `http://127.0.0.1:3978` (no trailing slash). */
  baseUrl: () => string;
  /** The consultancy's name for the page. */
  company?: string;
  /** The privacy notice linked from the page. */
  privacyUrl?: string;
  /** Default `process.env`: `DIRECT_LINE_SECRET`, `DIRECT_LINE_ENDPOINT`, `MicrosoftAppId`, `CHAT_FRAME_ANCESTORS`. */
  env?: Env;
  /** Where failures are reported (default `console.warn`). */
  log?: (message: string) => void;
}

/**
 * Registers the page, the token route and, when the environment calls for local mode, the
 * local Direct Line (see `docs/webchat.md`). Returns the mode and the local Direct Line, if any.
 * Throws when `DIRECT_LINE_ENDPOINT` or `CHAT_FRAME_ANCESTORS` is malformed, saying how to fix it.
 */
export function registerWebChat(server: Server, opts: WebChatOptions): { mode: DirectLineMode; local?: LocalDirectLine } {
  const env = opts.env ?? process.env;
  const mode = directLineMode(env);
  const base = () => opts.baseUrl().replace(/\/+$/, '');
  const local =
    mode === 'local'
      ? registerLocalDirectLine(server, { env, messagesUrl: () => `${base()}/api/messages`, serviceUrl: base, log: opts.log })
      : undefined;
  const frameAncestors = chatFrameAncestors(env);
  // Framed by other origins than this one: the respondent's cookie must work inside their iframe.
  const embeddedCrossSite = framedCrossSite(frameAncestors);
  registerTokenRoute(server, { env, local, localOrigin: base, log: opts.log, embeddedCrossSite });
  registerChatPage(server, {
    company: opts.company,
    privacyUrl: opts.privacyUrl,
    frameAncestors,
    // Web Chat polls Azure's Direct Line from the browser; the local one is this origin.
    connectSrc: mode === 'azure' ? [new URL(directLineEndpoint(env)).origin] : [],
  });
  return { mode, local };
}
