import { afterEach, describe, expect, it } from 'vitest';
import { SignInThrottle } from '../../src/review/throttle.js';
import { api, PASSWORD, startReviewFixture, type ReviewFixture } from './fixtures.js';

let fx: ReviewFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

async function attempt(url: string, name: string, password: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await api(url, 'POST', '/api/review/sign-in', { body: { name, password }, headers });
  return { ...res, ms: performance.now() - started };
}

describe('sign-in slowdown', () => {
  it('with the real defaults, the 3rd wrong password waits ≥ 400 ms, and so does the right one after it', async () => {
    fx = await startReviewFixture({ throttle: undefined });
    expect((await attempt(fx.url, 'viewer', PASSWORD)).status).toBe(200); // warm-up (argon2, JIT)
    const first = await attempt(fx.url, 'viewer', 'wrong-1');
    const second = await attempt(fx.url, 'viewer', 'wrong-2');
    const third = await attempt(fx.url, 'viewer', 'wrong-3');
    expect([first.status, second.status, third.status]).toEqual([401, 401, 401]);
    // The delay is a sleep of 500 ms on top of the same work the first two did. Only the
    // guaranteed lower bound is asserted: on a busy machine the first attempts' password hashing
    // alone can take as long (a CI run measured 533 ms for the first and 520 ms for the third).
    expect(third.ms).toBeGreaterThanOrEqual(400);
    // Three failures: the right password also waits (1 s), so speed does not reveal it.
    const right = await attempt(fx.url, 'viewer', PASSWORD);
    expect(right.status).toBe(200);
    expect(right.ms).toBeGreaterThanOrEqual(900);
    // Success starts the account afresh: the next failure is not delayed.
    const again = await attempt(fx.url, 'viewer', 'wrong-again');
    expect(again.ms).toBeLessThan(right.ms);
  });

  it('refuses with 429 and Retry-After after many failures, until they age out', async () => {
    fx = await startReviewFixture({ throttle: { baseDelayMs: 1, maxDelayMs: 5, account: { free: 2, lockAfter: 5 }, address: { free: 100, lockAfter: 200 } } });
    for (let i = 0; i < 5; i++) expect((await attempt(fx.url, 'editor', `wrong-${i}`)).status).toBe(401);
    const locked = await attempt(fx.url, 'editor', PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(locked.body.error).toBe('too_many_attempts');
    // Another account from the same address is not locked.
    expect((await attempt(fx.url, 'viewer', PASSWORD)).status).toBe(200);
    fx.advance(15 * 60_000);
    expect((await attempt(fx.url, 'editor', PASSWORD)).status).toBe(200);
  });

  it('counts per address too: guessing many names from one address is refused', async () => {
    fx = await startReviewFixture({
      throttle: { baseDelayMs: 1, maxDelayMs: 5, account: { free: 2, lockAfter: 100 }, address: { free: 2, lockAfter: 6 } },
      trustProxy: true,
    });
    for (let i = 0; i < 6; i++) {
      expect((await attempt(fx.url, `guess${i}`, 'x', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);
    }
    expect((await attempt(fx.url, 'admin', PASSWORD, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    expect((await attempt(fx.url, 'admin', PASSWORD, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(200);
  });

  it('parallel guesses do not dodge the delay', () => {
    let now = 0;
    const t = new SignInThrottle({ now: () => now });
    const delays = Array.from({ length: 6 }, () => t.begin('anna', '10.0.0.1')).map((d) => (d.kind === 'wait' ? d.delayMs : -1));
    expect(delays).toEqual([0, 0, 500, 1000, 2000, 4000]);
    expect(t.begin('anna', '10.0.0.1')).toEqual({ kind: 'wait', delayMs: 8000 });
    now += 15 * 60_000;
    expect(t.begin('anna', '10.0.0.1')).toEqual({ kind: 'wait', delayMs: 0 });
  });
});
