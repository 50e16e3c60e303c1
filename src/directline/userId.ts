/**
 * One stable Direct Line user per browser: a random id in an HttpOnly cookie, so the same
 * browser is the same respondent on reload and days later (the bot resumes the interview by
 * user id), while page scripts can never read or change it.
 */
import { randomBytes } from 'node:crypto';

export const USER_COOKIE = 'dk_uid';
/** `dl_` marks ids that Direct Line embeds in the token (clients may not choose them). */
const USER_ID = /^dl_[A-Za-z0-9_-]{22}$/;
/** A year, renewed on every visit (browsers cap cookies at 400 days). */
const MAX_AGE_SECONDS = 365 * 24 * 3600;

/** A new random user id: `dl_` + 22 base64url characters (128 bits). */
export function newUserId(): string {
  return `dl_${randomBytes(16).toString('base64url')}`;
}

/** True when `id` has the exact shape {@link newUserId} produces. */
export function isUserId(id: unknown): id is string {
  return typeof id === 'string' && USER_ID.test(id);
}

/** The user id in a `Cookie` header, or undefined when absent or not well-formed. */
export function userIdFromCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== USER_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (isUserId(value)) return value;
  }
  return undefined;
}

/**
 * The `Set-Cookie` value for `id`: HttpOnly (scripts cannot read it), SameSite=Strict (not sent
 * on cross-site requests), limited to the token endpoint's path; `Secure` when served over HTTPS.
 *
 * `embeddedCrossSite` (the chat is framed by another site, see CHAT_FRAME_ANCESTORS) over HTTPS:
 * inside another site's iframe a Strict (or Lax) cookie is never sent, so the respondent would be
 * new on every visit. The cookie is then `SameSite=None; Secure; Partitioned` (CHIPS): sent from
 * the iframe, but kept per top-level site, so no other site that frames the chat sees it. Browsers
 * that block every third-party cookie (Safari) still forget the respondent between visits there.
 */
export function userIdCookie(id: string, opts: { secure: boolean; path?: string; embeddedCrossSite?: boolean }): string {
  const partitioned = opts.embeddedCrossSite === true && opts.secure;
  const attrs = [
    `${USER_COOKIE}=${id}`,
    `Path=${opts.path ?? '/api/directline'}`,
    `Max-Age=${MAX_AGE_SECONDS}`,
    'HttpOnly',
    partitioned ? 'SameSite=None' : 'SameSite=Strict',
  ];
  if (opts.secure) attrs.push('Secure');
  if (partitioned) attrs.push('Partitioned');
  return attrs.join('; ');
}
