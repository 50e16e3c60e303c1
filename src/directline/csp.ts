/**
 * The chat page's security headers: the shared policy of `src/http/securityHeaders.ts` (scripts
 * and styles from this origin only, no inline code) plus a per-response style nonce, because
 * Web Chat inserts `<style>` elements at run time (it puts the nonce it is given on them), and
 * a `frame-ancestors` list so the consultancy's site can embed the chat in an iframe.
 */
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy, securityHeaders, type HeaderTarget } from '../http/securityHeaders.js';
import type { Env } from './mode.js';

/**
 * The hash of an empty `<style>` element. Web Chat 4.18 renders its transcript's
 * react-scroll-to-bottom composer without the nonce, so that library's emotion cache creates a
 * `<style>` with no nonce. Emotion (production build) inserts such an element empty and adds its
 * rules through the CSSOM, which CSP does not govern; allowing exactly the empty element admits
 * no style text, so injected `<style>…</style>` markup is still refused.
 */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/** Who may embed the chat when `CHAT_FRAME_ANCESTORS` is unset: pages of this origin only. */
export const DEFAULT_FRAME_ANCESTORS = ["'self'"];

// A CSP host-source: scheme, optional `*.` wildcard host, optional port; no path, no quotes.
const HOST_SOURCE = /^(https?:\/\/)?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?$/i;

/**
 * Parses `CHAT_FRAME_ANCESTORS`: sources separated by spaces or commas, e.g.
 * `'self' https://www.example.fi`. Unset or empty gives `'self'`; `'none'` forbids framing.
 * Throws, naming the bad entry, when a source is not `'self'`, `'none'` or an origin.
 */
export function chatFrameAncestors(env: Env = process.env): string[] {
  const raw = env.CHAT_FRAME_ANCESTORS?.trim();
  if (!raw) return [...DEFAULT_FRAME_ANCESTORS];
  const sources = raw.split(/[\s,]+/).filter(Boolean);
  for (const source of sources) {
    if (source === "'self'" || source === "'none'") continue;
    if (source === 'self' || source === 'none') {
      throw new Error(`CHAT_FRAME_ANCESTORS: write '${source}' with single quotes, as CSP does (got ${raw}).`);
    }
    if (!HOST_SOURCE.test(source)) {
      throw new Error(
        `CHAT_FRAME_ANCESTORS: "${source}" is not an origin. Use origins such as https://www.example.fi or ` +
          `https://*.example.fi, or 'self', separated by spaces (got ${raw}).`,
      );
    }
  }
  if (sources.includes("'none'") && sources.length > 1) {
    throw new Error(`CHAT_FRAME_ANCESTORS: 'none' cannot be combined with other sources (got ${raw}).`);
  }
  return sources;
}

/** A fresh nonce for one response (128 bits, base64 as CSP expects). */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface ChatPolicyOptions {
  /** This response's style nonce (see {@link newNonce}). */
  nonce: string;
  /** Who may frame the page; default `'self'`. */
  frameAncestors?: string[];
  /** Origins the page's script may call besides its own (the Azure Direct Line). */
  connectSrc?: string[];
}

function policyOptions(opts: ChatPolicyOptions) {
  const ancestors = opts.frameAncestors ?? DEFAULT_FRAME_ANCESTORS;
  return {
    frameAncestors: ancestors.length === 1 && ancestors[0] === "'none'" ? ("'none'" as const) : ancestors,
    connectSrc: opts.connectSrc ?? [],
    styleSrc: [`'nonce-${opts.nonce}'`, EMPTY_STYLE_HASH],
    // Web Chat draws its spinner from a blob: URL it makes from an image in its own bundle.
    imgSrc: ['blob:'],
  };
}

/** The chat page's Content-Security-Policy value. */
export function chatContentSecurityPolicy(opts: ChatPolicyOptions): string {
  return contentSecurityPolicy(policyOptions(opts));
}

/** Sets the chat page's security headers on `res` (before its head is written). */
export function chatSecurityHeaders(res: HeaderTarget, opts: ChatPolicyOptions): void {
  const options = policyOptions(opts);
  securityHeaders(res, options);
  // Another site's page may frame the chat: a document is not a resource to withhold from it
  // (an embedder with Cross-Origin-Embedder-Policy would otherwise be refused).
  if (options.frameAncestors !== "'none'" && options.frameAncestors.some((s) => s !== "'self'")) {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  }
}

/** Whether pages of other origins than this one may frame the chat (their iframes need a partitioned cookie). */
export function framedCrossSite(frameAncestors: string[]): boolean {
  return frameAncestors.some((source) => source !== "'self'" && source !== "'none'");
}
