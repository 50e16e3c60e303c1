/**
 * A stand-in for Bot Framework's token issuer, on 127.0.0.1: an OpenID metadata document and a
 * JWKS with an RSA key the test generates, and RS256 tokens signed with it (or with any other
 * key), built with node:crypto alone.
 */
import { createPrivateKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public half as a JWK (`n`, `e`). */
  jwk: { kty: string; n: string; e: string };
}

/** A fresh 2048-bit RSA key named `kid`. */
export function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kid, privateKey, jwk };
}

const base64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS: `alg` RS256 signed with `key` (or unsigned for `alg: 'none'`). */
export function signToken(payload: Record<string, unknown>, key: SigningKey, header: Record<string, unknown> = {}): string {
  const head = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...header };
  const input = `${base64url(head)}.${base64url(payload)}`;
  if (head.alg === 'none') return `${input}.`;
  const signature = createSign('RSA-SHA256').update(input).sign(createPrivateKey(key.privateKey.export({ format: 'pem', type: 'pkcs8' })));
  return `${input}.${signature.toString('base64url')}`;
}

export interface Issuer {
  /** The OpenID metadata URL (what `ToBotFromChannelOpenIdMetadataUrl` points to). */
  metadataUrl: string;
  /** Requests served so far (the bot fetches metadata and keys once, then caches them). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `/.well-known/openidconfiguration` and `/keys` (the published keys, endorsed for `channels`). */
export async function startIssuer(published: SigningKey[], channels: string[]): Promise<Issuer> {
  const requests: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openidconfiguration') return send(200, { issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` });
    if (req.url === '/keys') {
      return send(200, { keys: published.map((k) => ({ ...k.jwk, kid: k.kid, use: 'sig', alg: 'RS256', endorsements: channels })) });
    }
    return send(404, { error: 'not found' });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/.well-known/openidconfiguration`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
