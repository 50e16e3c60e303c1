/**
 * Security headers for pages and APIs the bot serves itself. The policy allows only this
 * origin's scripts, styles and images (no inline code, no CDN), so text a respondent typed can
 * never run on a staff page even if it were inserted as HTML by mistake.
 */

/** The response side this helper needs (restify's Response and Node's ServerResponse both fit). */
export interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

export interface SecurityHeaderOptions {
  /**
   * Who may frame the page: `'none'` (default) or a list of sources (e.g. Teams' origins for a
   * tab). Anything other than `'none'` drops `X-Frame-Options`, which cannot express a list.
   */
  frameAncestors?: "'none'" | string[];
  /** Extra `connect-src` sources (e.g. a Direct Line endpoint); default `'self'` only. */
  connectSrc?: string[];
  /**
   * Extra `style-src` sources; default `'self'` only. For a page whose library injects
   * `<style>` elements at run time, a per-response `'nonce-…'` (never `'unsafe-inline'`).
   */
  styleSrc?: string[];
  /** Extra `img-src` sources; default `'self' data:`. */
  imgSrc?: string[];
}

/** The Content-Security-Policy value for `options`. */
export function contentSecurityPolicy(options: SecurityHeaderOptions = {}): string {
  const frame = options.frameAncestors ?? "'none'";
  const ancestors = frame === "'none'" ? "'none'" : frame.join(' ');
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  const style = ["'self'", ...(options.styleSrc ?? [])].join(' ');
  const img = ["'self'", 'data:', ...(options.imgSrc ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${style}`,
    `img-src ${img}`,
    `connect-src ${connect}`,
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * Sets CSP (no inline scripts or styles), `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer` and, unless framing is allowed, `X-Frame-Options: DENY`.
 * Call it before writing the head of the response.
 */
export function securityHeaders(res: HeaderTarget, options: SecurityHeaderOptions = {}): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(options));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if ((options.frameAncestors ?? "'none'") === "'none'") res.setHeader('X-Frame-Options', 'DENY');
}
