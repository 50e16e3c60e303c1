/**
 * Hostile input: thousands of malformed or hostile requests to `/api/messages` (a seeded mix of
 * every category in bench/hostile/requests.ts), sent to the real server. None may get a 5xx or
 * a dropped connection; the malformed get 400 with a reason, the oversize 413; ids never turn
 * into paths outside DATA_DIR; and a normal interview turn still works afterwards.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { hostileRequests, PATH_LIKE_IDS } from '../../bench/hostile/requests.js';
import { sendAll, tally, type Tally } from '../../bench/hostile/send.js';
import { transcriptFile } from '../../src/storage/layout.js';
import { startLoadChannel, type LoadChannel } from '../../bench/load/channel.js';
import { postActivity, startApp } from '../helpers/app.js';

let parent: string;
let dataDir: string;
let app: App;
let channel: LoadChannel;
let result: Tally;

beforeAll(async () => {
  // DATA_DIR inside a directory of its own, so anything written beside it would show.
  parent = await mkdtemp(join(tmpdir(), 'digikysely-hostile-'));
  dataDir = join(parent, 'data');
  await mkdir(dataDir);
  // Answers the bot's replies on any path (a conversation id of ".." makes the connector URL odd).
  channel = await startLoadChannel();
  app = await startApp(dataDir);
  const requests = hostileRequests(2000, 7, channel.url);
  const started = performance.now();
  result = tally(await sendAll(`${app.url()}/api/messages`, requests, 16));
  console.log(
    `[hostile] ${result.total} requests in ${Math.round(performance.now() - started)} ms: ` +
      `${JSON.stringify(result.byStatus)}; 5xx ${result.http5xx}, dropped ${result.dropped}, unexpected answers ${result.problems.length}`,
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  await channel?.close();
  await rm(parent, { recursive: true, force: true });
});

/** Every file and directory under `dir`, relative to it. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('hostile input to /api/messages', () => {
  it('never answers 5xx and never drops a connection', () => {
    expect(result.total).toBe(2000);
    expect(result.http5xx).toBe(0);
    expect(result.dropped).toBe(0);
  });

  it('answers each request as a careful server would: 400 with a reason, 413, or a normal turn', () => {
    expect(result.problems.slice(0, 20)).toEqual([]);
    for (const [category, counts] of Object.entries(result.byCategory)) expect(counts.total, category).toBeGreaterThan(0);
  });

  it('keeps every id out of the file system: only digests and safe names under DATA_DIR', async () => {
    expect(await readdir(parent)).toEqual(['data']);
    // Transcripts are written after each turn without blocking it: let those writes settle.
    let files = await tree(dataDir);
    for (let i = 0; i < 100 && files.some((f) => f.endsWith('.tmp')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      files = await tree(dataDir);
    }
    const unexpected = files.filter(
      (f) =>
        !/^(state(\/[0-9a-f]{32}\.json)?|transcripts(\/[0-9a-f]{32}\.jsonl)?)$/.test(f) &&
        !/^responses(\/[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}\.json)?)?$/.test(f) &&
        !/^(lock-owner\.json|\.lock)$/.test(f) &&
        !/^journal(\/answers-\d+\.jsonl)?$/.test(f),
    );
    expect(unexpected).toEqual([]);
    // The path-like conversations were really served: their transcripts are under digests.
    const served = PATH_LIKE_IDS.filter((id) => files.includes(relative(dataDir, transcriptFile(dataDir, 'directline', id))));
    expect(served.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers unknown routes and methods with JSON and a reason too', async () => {
    for (const [method, path, status] of [['GET', '/api/messages', 405], ['POST', '/api/nothing-here', 404], ['DELETE', '/api/messages', 405]] as const) {
      const r = await fetch(`${app.url()}${path}`, { method });
      expect(r.status, `${method} ${path}`).toBe(status);
      expect((await r.json()).reason, `${method} ${path}`).toEqual(expect.any(String));
    }
  });

  it('still runs a normal interview turn afterwards', async () => {
    const who = { id: 'after-the-storm' };
    const base = {
      channelId: 'directline',
      serviceUrl: channel.url,
      from: who,
      recipient: { id: 'bot' },
      conversation: { id: 'after-the-storm-conv' },
      locale: 'fi-FI',
    };
    const greeting = { ...base, type: 'conversationUpdate', id: 'j1', membersAdded: [{ id: 'bot' }, who] };
    expect((await postActivity(app.url(), greeting)).status).toBe(200);
    expect(channel.takeQuestion(greeting)).toBe('consent');
    const yes = { ...base, type: 'message', id: 'm1', text: 'kyllä' };
    expect((await postActivity(app.url(), yes)).status).toBe(200);
    expect(channel.takeQuestion(yes)).toBe('city');
  });
});
