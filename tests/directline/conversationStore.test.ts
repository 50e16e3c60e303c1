/** The bounded in-memory log behind the local Direct Line, with a fake clock. */
import { describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/directline/conversationStore.js';
import { LocalTokenSigner } from '../../src/directline/localToken.js';

const msg = (text: string) => ({ type: 'message', text });

describe('ConversationStore', () => {
  it('numbers activities and answers watermarks as Direct Line does', () => {
    const store = new ConversationStore();
    const c = store.create('dl_user');
    const a = store.append(c, msg('a'));
    store.append(c, msg('b'));
    expect(a.id).toBe(`${c.id}|0000001`);
    expect(store.since(c, undefined)).toEqual({ activities: [expect.objectContaining({ text: 'a' }), expect.objectContaining({ text: 'b' })], watermark: '2' });
    expect(store.since(c, '1').activities.map((x) => x.text)).toEqual(['b']);
    expect(store.since(c, '2')).toEqual({ activities: [], watermark: '2' });
    // A watermark from the future (or garbage) does not leave the client stuck.
    expect(store.since(c, '99').watermark).toBe('2');
    expect(store.since(c, 'abc').activities).toHaveLength(2);
  });

  it('keeps only the last maxActivities activities; watermarks keep counting', () => {
    const store = new ConversationStore({ maxActivities: 3 });
    const c = store.create('dl_user');
    for (const t of ['1', '2', '3', '4', '5']) store.append(c, msg(t));
    expect(store.since(c, undefined)).toMatchObject({ watermark: '5' });
    expect(store.since(c, undefined).activities.map((x) => x.text)).toEqual(['3', '4', '5']);
    expect(store.since(c, '4').activities.map((x) => x.text)).toEqual(['5']);
  });

  it('replaces an activity and redelivers it after its old position', () => {
    const store = new ConversationStore();
    const c = store.create('dl_user');
    const first = store.append(c, msg('draft'));
    store.append(c, msg('other'));
    expect(store.replace(c, first.id!, msg('final'))).toBe(true);
    expect(store.since(c, '2').activities).toEqual([{ type: 'message', text: 'final', id: first.id }]);
    expect(store.since(c, undefined).activities.map((x) => x.text)).toEqual(['other', 'final']);
    expect(store.replace(c, 'missing', msg('x'))).toBe(false);
  });

  it('forgets idle conversations and the least recently used beyond the limit', () => {
    let now = 0;
    const store = new ConversationStore({ idleMs: 1000, maxConversations: 2, now: () => now });
    const a = store.create('dl_a');
    now = 500;
    const b = store.create('dl_b');
    now = 900;
    expect(store.get(a.id)).toBe(a); // a is now the most recently used
    const c = store.create('dl_c'); // over the limit: b goes
    expect(store.get(b.id)).toBeUndefined();
    expect(store.get(a.id)).toBe(a);
    now = 2000;
    expect(store.get(c.id)).toBeUndefined();
    expect(store.size()).toBe(0);
  });
});

describe('LocalTokenSigner', () => {
  it('issues tokens that check out until they expire', () => {
    let now = 1_000_000;
    const signer = new LocalTokenSigner(60, () => now);
    const { token, expiresIn } = signer.issue('dl_user', 'conv-1');
    expect(expiresIn).toBe(60);
    const check = signer.check(token);
    expect(check).toEqual({ ok: true, claims: { user: 'dl_user', conv: 'conv-1', iat: 1000, exp: 1060 } });
    now += 59_000;
    expect(signer.check(token).ok).toBe(true);
    now += 1_000;
    expect(signer.check(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it("rejects another signer's tokens and malformed input", () => {
    const a = new LocalTokenSigner();
    const b = new LocalTokenSigner();
    expect(a.check(b.issue('dl_user', 'c').token)).toEqual({ ok: false, reason: 'signature' });
    expect(a.check(undefined)).toEqual({ ok: false, reason: 'malformed' });
    expect(a.check('a.b')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('ConversationStore.waitForActivity', () => {
  it('wakes a waiting poll on append, and times out when nothing comes', async () => {
    const store = new ConversationStore();
    const c = store.create('dl_user');
    const woken = store.waitForActivity(c, 5000);
    store.append(c, msg('news'));
    expect(await woken).toBe(true);
    const started = Date.now();
    expect(await store.waitForActivity(c, 30)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(c.waiters.size).toBe(0);
  });
});
