/**
 * Which Direct Line the web chat uses, decided once from the environment.
 *
 * - `azure`: `DIRECT_LINE_SECRET` is set; tokens come from Azure Bot Service.
 * - `local`: neither `DIRECT_LINE_SECRET` nor `MicrosoftAppId` is set; the bot's own server
 *   plays Direct Line (development only, 127.0.0.1 only).
 * - `unconfigured`: the bot authenticates (`MicrosoftAppId`) but there is no Direct Line secret,
 *   so the web chat cannot work; the token route says how to fix it.
 */
export type DirectLineMode = 'azure' | 'local' | 'unconfigured';

/** Azure's global Direct Line; `DIRECT_LINE_ENDPOINT` overrides it (e.g. the European one). */
export const DEFAULT_DIRECT_LINE_ENDPOINT = 'https://directline.botframework.com';

export type Env = Record<string, string | undefined>;

const isSet = (value: string | undefined): boolean => typeof value === 'string' && value.trim() !== '';

/** The mode for this environment (see {@link DirectLineMode}). */
export function directLineMode(env: Env = process.env): DirectLineMode {
  if (isSet(env.DIRECT_LINE_SECRET)) return 'azure';
  if (isSet(env.MicrosoftAppId)) return 'unconfigured';
  return 'local';
}

/**
 * The Direct Line service origin, without a trailing slash or `/v3/directline`, so both
 * `https://europe.directline.botframework.com` and `…/v3/directline` are accepted.
 * Throws when the value is not an http(s) URL.
 */
export function directLineEndpoint(env: Env = process.env): string {
  const raw = isSet(env.DIRECT_LINE_ENDPOINT) ? env.DIRECT_LINE_ENDPOINT!.trim() : DEFAULT_DIRECT_LINE_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `DIRECT_LINE_ENDPOINT="${raw}" is not a URL; use e.g. https://europe.directline.botframework.com or leave it unset.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`DIRECT_LINE_ENDPOINT must be an http(s) URL, not "${raw}".`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/v3\/directline$/, '');
}
