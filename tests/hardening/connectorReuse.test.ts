import { ClaimsIdentity } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { TokenCheckingAuthentication } from '../../bot/authentication.js';

// No MicrosoftAppId: the local, unauthenticated set-up the benchmark and web chat's local mode use.
const auth = () => new TokenCheckingAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }, 1_000);
const anonymous = () => new ClaimsIdentity([], true);

describe('connector and user-token clients', () => {
  it('are reused for the same serviceUrl, across turns and factories', async () => {
    const a = auth();
    const first = await a.createConnectorFactory(anonymous()).create('http://127.0.0.1:1/', undefined);
    const again = await a.createConnectorFactory(anonymous()).create('http://127.0.0.1:1/', undefined);
    const other = await a.createConnectorFactory(anonymous()).create('http://127.0.0.1:2/', undefined);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    // Each client still carries the request timeout, once.
    const policies = (first as unknown as { client: { pipeline: { getOrderedPolicies(): { name: string }[] } } }).client.pipeline
      .getOrderedPolicies()
      .filter((p) => p.name === 'digikyselyRequestTimeout');
    expect(policies).toHaveLength(1);
  });

  it('come with one user-token client per app id, not one per turn', async () => {
    const a = auth();
    const first = await a.createUserTokenClient(anonymous());
    expect(await a.createUserTokenClient(anonymous())).toBe(first);
    const other = await a.createUserTokenClient(new ClaimsIdentity([{ type: 'aud', value: 'another-app' }], true));
    expect(other).not.toBe(first);
  });

  it('keep at most 64 serviceUrls, dropping the least recently used', async () => {
    const a = auth();
    const factory = a.createConnectorFactory(anonymous());
    const kept = await factory.create('http://127.0.0.1:1/', undefined);
    const dropped = await factory.create('http://127.0.0.1:2/', undefined);
    for (let port = 3; port <= 65; port++) {
      await factory.create(`http://127.0.0.1:${port}/`, undefined);
      // Port 1 stays in use, so it is never the least recently used.
      expect(await factory.create('http://127.0.0.1:1/', undefined)).toBe(kept);
    }
    expect(await factory.create('http://127.0.0.1:1/', undefined)).toBe(kept);
    expect(await factory.create('http://127.0.0.1:2/', undefined)).not.toBe(dropped);
  });
});
