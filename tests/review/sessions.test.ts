/**
 * Staff sessions kept across a restart in a real file: the same cookie works after the store is
 * made again from the file, the file holds no session id, and expiry, sign-out and a removed
 * account still end sessions. A damaged file costs a sign-in, never the start.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import restify from 'restify';
import { questionnaire } from '../../src/core/questionnaire.js';
import { registerReviewRoutes } from '../../src/review/routes.js';
import { SessionStore } from '../../src/review/sessions.js';
import { loadWaves } from '../../src/waves/registry.js';
import { api, signIn, startReviewFixture } from './fixtures.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function sessionsFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dk-sessions-'));
  dirs.push(dir);
  return join(dir, 'staff-sessions.json');
}

const HOUR = 3_600_000;

describe('staff sessions across a restart', () => {
  it('keep signed-in staff signed in, with the same CSRF token, and the file holds no session id', async () => {
    const file = await sessionsFile();
    let clock = Date.parse('2026-11-28T08:00:00Z');
    const first = new SessionStore({ file, now: () => clock });
    const anna = first.create('anna', 'admin', 'stamp-1');
    const bob = first.create('bob', 'viewer', 'stamp-2');
    first.delete(bob.id);
    await first.flush();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(anna.id);
    expect(text).not.toContain('bob');

    clock += 10 * 60_000;
    const second = new SessionStore({ file, now: () => clock });
    const restored = second.get(anna.id);
    expect(restored).toMatchObject({ id: anna.id, name: 'anna', role: 'admin', stamp: 'stamp-1', csrf: anna.csrf });
    expect(second.get(bob.id)).toBeUndefined();
    expect(second.get('made-up')).toBeUndefined();

    // Removing the account ends its sessions, in the file too.
    second.deleteFor('anna');
    await second.flush();
    expect(new SessionStore({ file, now: () => clock }).get(anna.id)).toBeUndefined();
  });

  it('does not bring back sessions that expired or went idle while the bot was down', async () => {
    const file = await sessionsFile();
    let clock = Date.parse('2026-11-28T08:00:00Z');
    const first = new SessionStore({ file, now: () => clock, absoluteMs: 8 * HOUR, idleMs: HOUR });
    const session = first.create('anna', 'editor', 's');
    await first.flush();
    clock += HOUR + 1;
    expect(new SessionStore({ file, now: () => clock, idleMs: HOUR }).get(session.id)).toBeUndefined();
  });

  it('starts empty, saying why, when the file is damaged, and replaces it at the next sign-in', async () => {
    const file = await sessionsFile();
    await writeFile(file, '{"not": "a list"');
    const logs: string[] = [];
    const store = new SessionStore({ file, log: (m) => logs.push(m) });
    expect(store.size).toBe(0);
    expect(logs.join('\n')).toMatch(/not valid JSON.*sign in again/);
    const session = store.create('anna', 'viewer', 's');
    await store.flush();
    expect(new SessionStore({ file }).get(session.id)?.name).toBe('anna');
  });

  it('writes a session\'s last use at most every five minutes', async () => {
    const file = await sessionsFile();
    let clock = Date.parse('2026-11-28T08:00:00Z');
    const store = new SessionStore({ file, now: () => clock });
    const session = store.create('anna', 'viewer', 's');
    await store.flush();
    const written = async () => (JSON.parse(await readFile(file, 'utf8')) as { lastSeenAt: number }[])[0]?.lastSeenAt;
    const created = await written();
    clock += 60_000;
    store.get(session.id);
    await store.flush();
    expect(await written()).toBe(created);
    clock += 5 * 60_000;
    store.get(session.id);
    await store.flush();
    expect(await written()).toBe(clock);
  });
});

describe('a restart of the review server', () => {
  it('keeps staff signed in: the same cookie and CSRF token work on a server started anew over the same DATA_DIR', async () => {
    const fx = await startReviewFixture();
    const restarted = restify.createServer({ name: 'review-restarted', handleUncaughtExceptions: false });
    try {
      const editor = await signIn(fx.url, 'editor');
      // The sign-in reaches the file at once (one small write), long before anyone restarts a server.
      const file = join(fx.dir, 'staff-sessions.json');
      for (let waited = 0; !(await readFile(file, 'utf8').catch(() => '')).includes('"editor"'); waited += 10) {
        if (waited > 2000) throw new Error('the sign-in never reached staff-sessions.json');
        await new Promise((done) => setTimeout(done, 10));
      }
      restarted.use(restify.plugins.bodyParser({ mapParams: false, mapFiles: false, rejectUnknown: false }));
      registerReviewRoutes(restarted, {
        dataDir: fx.dir,
        responses: fx.data.responses,
        transcripts: fx.data.transcripts,
        waves: loadWaves(fx.dir),
        questionnaire: questionnaire(),
        now: () => new Date('2026-11-10T12:00:00.000Z'),
        log: () => undefined,
        env: {},
        page: false,
      });
      await new Promise<void>((resolve) => restarted.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(restarted.address() as { port: number }).port}`;
      const me = await api(url, 'GET', '/api/review/me', { session: editor });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ name: 'editor', role: 'editor' });
      const out = await api(url, 'POST', '/api/review/sign-out', { session: editor, body: {} });
      expect(out.status).toBeLessThan(300);
      expect((await api(url, 'GET', '/api/review/me', { session: editor })).status).toBe(401);
    } finally {
      await new Promise<void>((resolve) => restarted.close(() => resolve()));
      await fx.close();
    }
  });
});
