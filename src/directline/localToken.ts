/**
 * Tokens of the local Direct Line: JWT-shaped (HS256 with a key that lives only in this
 * process), so Web Chat can read the user id from the `user` claim exactly as it does with
 * Azure's tokens, and the server can check them without keeping a token table.
 * A restart invalidates every token, as it forgets every conversation anyway.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface LocalTokenClaims {
  /** The Direct Line user id (`dl_…`), the only identity the bot sees. */
  user: string;
  /** The one conversation the token opens. */
  conv: string;
  /** Issued at and expiry, seconds since the epoch. */
  iat: number;
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: LocalTokenClaims }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** Signs and checks local tokens with a random per-instance key. */
export class LocalTokenSigner {
  private readonly key = randomBytes(32);

  constructor(
    /** Token lifetime in seconds (Azure's generated tokens live 3600 s). */
    readonly lifetimeSeconds = 3600,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new token for `user` in conversation `conv`, valid for {@link lifetimeSeconds}. */
  issue(user: string, conv: string): { token: string; expiresIn: number } {
    const iat = Math.floor(this.now() / 1000);
    const claims: LocalTokenClaims = { user, conv, iat, exp: iat + this.lifetimeSeconds };
    const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
    return { token: `${body}.${this.sign(body)}`, expiresIn: this.lifetimeSeconds };
  }

  /** Checks signature and expiry; never throws. */
  check(token: string | undefined): TokenCheck {
    const parts = token?.split('.') ?? [];
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'signature' };
    }
    let claims: LocalTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as LocalTokenClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) {
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, claims };
  }

  /** Seconds the token with these claims has left (at least 0). */
  remaining(claims: LocalTokenClaims): number {
    return Math.max(0, claims.exp - Math.floor(this.now() / 1000));
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
