/**
 * Bot authentication: with MicrosoftAppId set, `/api/messages` takes only requests carrying a
 * token signed by a key the channel's OpenID metadata publishes, for this app id and this
 * serviceUrl. botbuilder's settings let the metadata URL point at a local issuer (below, on
 * 127.0.0.1, with a key the test generates), so the whole check runs offline.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../bot/app.js';
import { startLoadChannel, type LoadChannel } from '../../bench/load/channel.js';
import { postActivity, startApp } from '../helpers/app.js';
import { removeDir, tempDir } from '../helpers/surveyHarness.js';
import { signingKey, signToken, startIssuer, type Issuer, type SigningKey } from './openIdIssuer.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const ISSUER = 'https://api.botframework.com';

let dir: string;
let app: App;
let issuer: Issuer;
let channel: LoadChannel;
let key: SigningKey;
const logged: string[] = [];

beforeAll(async () => {
  key = signingKey('test-key-1');
  issuer = await startIssuer([key], ['directline', 'msteams', 'webchat', 'emulator']);
  channel = await startLoadChannel();
  dir = await tempDir('digikysely-auth-');
  app = await startApp(dir, {
    auth: {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-offline',
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppTenantId: '',
      // Setting any of these makes botbuilder take all of them as given (ParameterizedBotFrameworkAuthentication).
      ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: issuer.metadataUrl,
      ToBotFromChannelTokenIssuer: ISSUER,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
    },
    log: (message, fields) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await issuer?.close();
  await channel?.close();
  if (dir) await removeDir(dir);
});

function activity(n: number) {
  return {
    type: 'message',
    id: `auth-${n}`,
    channelId: 'directline',
    serviceUrl: channel.url,
    from: { id: `auth-user-${n}` },
    recipient: { id: APP_ID },
    conversation: { id: `auth-conv-${n}` },
    locale: 'en-US',
    text: 'hello',
    // Replies come back in the HTTP answer: the bot needs no outgoing token (that would need Azure AD).
    deliveryMode: 'expectReplies',
  };
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: APP_ID, serviceurl: channel.url, nbf: now - 60, iat: now - 60, exp: now + 3600, ...extra };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bot authentication with MicrosoftAppId set', () => {
  it('takes a request signed by the published key: 200 and a reply', async () => {
    const r = await postActivity(app.url(), activity(1), bearer(signToken(claims(), key)));
    expect(r.status).toBe(200);
    expect(r.body.activities.at(-1).channelData.question).toBe('consent');
    expect(issuer.requests).toEqual(['/.well-known/openidconfiguration', '/keys']);
  });

  const refused: [string, () => Record<string, string>][] = [
    ['no Authorization header', () => ({})],
    ['a garbage bearer token', () => bearer('garbage')],
    ['a Basic credential', () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
    ['a token signed by another key under the published key id', () => bearer(signToken(claims(), signingKey('test-key-1')))],
    ['a token signed by an unpublished key', () => bearer(signToken(claims(), signingKey('other-key')))],
    ['an unsigned token (alg none)', () => bearer(signToken(claims(), key, { alg: 'none' }))],
    ['a token for another app id', () => bearer(signToken(claims({ aud: '99999999-2222-3333-4444-555555555555' }), key))],
    ['a token from another issuer', () => bearer(signToken(claims({ iss: 'https://evil.example' }), key))],
    ['an expired token', () => bearer(signToken(claims({ exp: Math.floor(Date.now() / 1000) - 3600 }), key))],
    ['a token for another serviceUrl', () => bearer(signToken(claims({ serviceurl: 'https://evil.example/' }), key))],
    ['a token whose signature was cut off', () => bearer(signToken(claims(), key).replace(/\.[^.]+$/, '.'))],
  ];
  it.each(refused)('refuses %s with 401 and runs no turn', async (_name, headers) => {
    const before = (await app.data.responses.list()).length;
    const r = await postActivity(app.url(), activity(2), headers());
    expect(r.status).toBe(401);
    expect(r.body?.activities).toBeUndefined();
    expect((await app.data.responses.list()).length).toBe(before);
  });

  it('logs refusals without flooding: one line a minute, no stack traces', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      logged.splice(0);
      for (let i = 0; i < 30; i++) expect((await postActivity(app.url(), activity(3), bearer('garbage'))).status).toBe(401);
      expect(printed).not.toHaveBeenCalled();
      expect(warned).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
      warned.mockRestore();
    }
    // The earlier refusals of this file opened the minute's window; these 30 are only counted.
    expect(logged.filter((l) => l.includes('refused')).length).toBeLessThanOrEqual(1);
    expect(logged.join('\n')).not.toMatch(/\n\s+at /);
  });
});
