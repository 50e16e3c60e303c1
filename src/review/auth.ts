/**
 * Who is asking: sign-in and sign-out, the session cookie, role checks and CSRF protection for
 * every staff route. 401 without a live session, 403 for a role that may not do it or for a
 * state-changing request without the session's CSRF token (or from another origin).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Next, Request, RequestHandler, Response } from 'restify';
import { securityHeaders } from '../http/securityHeaders.js';
import { roleAllows, type StaffAccount, type StaffAccounts, type StaffRole } from './accounts.js';
import { cameOverHttps, HttpError, jsonBody, parseCookies, remoteAddress, sendError, sendJson, serializeCookie } from './http.js';
import { sameToken, type Session, type SessionStore } from './sessions.js';
import type { SignInThrottle } from './throttle.js';

export const SESSION_COOKIE = 'dk_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthOptions {
  accounts: StaffAccounts;
  sessions: SessionStore;
  throttle: SignInThrottle;
  /** Believe X-Forwarded-For / X-Forwarded-Host (behind a reverse proxy). Default false. */
  trustProxy?: boolean;
  /** Always mark the cookie Secure (`COOKIE_SECURE=1`). */
  cookieSecure?: boolean;
  /** Origins allowed besides the request's own host (e.g. `https://review.example.fi`). */
  allowedOrigins?: string[];
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** A signed-in staff member as the routes see them. */
export interface Staff {
  session: Session;
  account: StaffAccount;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ReviewAuth {
  constructor(readonly options: AuthOptions) {}

  get #log() {
    return this.options.log ?? ((message: string, fields?: Record<string, unknown>) => console.error(message, fields ?? ''));
  }

  /**
   * The signed-in staff member allowed to do what `role` allows; throws 401/403 otherwise. For
   * state-changing methods, also checks the CSRF token and the origin.
   */
  async authenticate(req: Request, role: StaffRole): Promise<Staff> {
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const session = this.options.sessions.get(id);
    if (!session) throw new HttpError(401, 'unauthenticated', 'Sign in first (POST /api/review/sign-in); your session may have expired.');
    // The account may have been removed, demoted or given a new password since sign-in.
    const account = await this.options.accounts.get(session.name);
    if (!account || account.stamp !== session.stamp) {
      this.options.sessions.delete(session.id);
      throw new HttpError(401, 'unauthenticated', 'Your account changed or was removed; sign in again.');
    }
    if (STATE_CHANGING.has(req.method ?? 'GET')) this.checkRequestOrigin(req, session);
    if (!roleAllows(account.role, role)) {
      throw new HttpError(403, 'forbidden', `This needs the ${role} role; your account ${account.name} is ${account.role}. Ask an admin (npm run staff -- role ${account.name} ${role}).`);
    }
    return { session, account };
  }

  /** CSRF: the session's token in X-CSRF-Token, and no foreign Origin / Sec-Fetch-Site. */
  checkRequestOrigin(req: Request, session?: Session): void {
    if (String(req.headers['sec-fetch-site'] ?? '') === 'cross-site') {
      throw new HttpError(403, 'cross_site', 'Cross-site requests are refused.');
    }
    const origin = req.headers.origin;
    if (typeof origin === 'string' && origin !== '' && !this.#originAllowed(req, origin)) {
      throw new HttpError(403, 'bad_origin', `Requests from ${origin} are refused; open the review page from this server.`);
    }
    if (session) {
      const token = req.headers[CSRF_HEADER];
      if (typeof token !== 'string' || !sameToken(token, session.csrf)) {
        throw new HttpError(403, 'csrf', 'Missing or wrong X-CSRF-Token header: take the token from GET /api/review/me.');
      }
    }
  }

  #originAllowed(req: Request, origin: string): boolean {
    if (this.options.allowedOrigins?.includes(origin)) return true;
    const forwardedHost = this.options.trustProxy ? String(req.headers['x-forwarded-host'] ?? '').split(',')[0]?.trim() : '';
    const host = forwardedHost || req.headers.host;
    if (!host) return false;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }

  /**
   * A restify handler that lets the chain continue only for a signed-in member with `role`
   * (for other modules' routes, e.g. the reports' downloads).
   */
  requireStaff(role: StaffRole): RequestHandler {
    return (req: Request, res: Response, next: Next) => {
      this.authenticate(req, role).then(
        (staff) => {
          (req as Request & { staff?: Staff }).staff = staff;
          securityHeaders(res);
          next();
        },
        (error: unknown) => {
          sendError(res, error, this.#log);
          next(false);
        },
      );
    };
  }

  /** `POST /api/review/sign-in {name, password}`. */
  async signIn(req: Request, res: Response): Promise<void> {
    this.checkRequestOrigin(req);
    const body = await jsonBody(req);
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (name === '' || password === '') throw new HttpError(400, 'missing_credentials', 'Give both "name" and "password".');
    const address = remoteAddress(req, this.options.trustProxy ?? false);
    const decision = this.options.throttle.begin(name, address);
    if (decision.kind === 'locked') {
      this.#log('[review] sign-in refused: too many failures', { name, address });
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many failed sign-ins; try again in ${Math.ceil(decision.retryAfterSeconds / 60)} min.`,
        { 'Retry-After': String(decision.retryAfterSeconds) },
      );
    }
    // The delay applies whatever the outcome, so a right password is not recognisably faster.
    const [account] = await Promise.all([this.options.accounts.verify(name, password), sleep(decision.delayMs)]);
    if (!account) {
      this.#log('[review] sign-in failed', { name, address });
      throw new HttpError(401, 'bad_credentials', 'Wrong name or password.');
    }
    this.options.throttle.succeeded(name, address);
    // A sign-in always starts a new session; one the browser still held ends (no fixation).
    const previous = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (previous) this.options.sessions.delete(previous);
    const session = this.options.sessions.create(account.name, account.role, account.stamp);
    const cookie = serializeCookie(SESSION_COOKIE, session.id, {
      maxAgeSeconds: this.options.sessions.absoluteMs / 1000,
      secure: this.options.cookieSecure === true || cameOverHttps(req),
    });
    sendJson(res, 200, meBody(session, account), { 'Set-Cookie': cookie });
  }

  /** `POST /api/review/sign-out` (needs the CSRF token like every other state change). */
  async signOut(req: Request, res: Response): Promise<void> {
    const { session } = await this.authenticate(req, 'viewer');
    this.options.sessions.delete(session.id);
    const cookie = serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: this.options.cookieSecure === true || cameOverHttps(req) });
    sendJson(res, 200, { signedOut: true }, { 'Set-Cookie': cookie });
  }
}

/** What `GET /api/review/me` and a sign-in return. */
export function meBody(session: Session, account: StaffAccount) {
  return {
    name: account.name,
    role: account.role,
    csrfToken: session.csrf,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}
