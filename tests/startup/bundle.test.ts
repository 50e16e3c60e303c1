/**
 * `npm start` runs the esbuild bundle: these tests build one into dist/test-…/, start it through
 * the launcher on 127.0.0.1 with a temp DATA_DIR, and check what the bundle could get wrong that
 * tsx would not: data, locales, web assets and node_modules files found from the bundle, one
 * real turn answered in Finnish (the normaliser included), the V8 code cache, and the rebuild
 * when a source file changes.
 */
import { mkdir, mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, buildBot, changedInputs, codeCachePath, staleReason, stampPath } from '../../scripts/build-bot.mjs';
import { emulatorMessage, postActivity, startChannel, type Channel } from '../helpers/app.js';
import { StaffAccounts } from '../../src/review/accounts.js';
import { api, PASSWORD, signIn } from '../review/fixtures.js';
import { launchBot, type LaunchedBot } from './launcher.js';

interface Stamp {
  inputs: Record<string, [number, number] | null>;
}

let buildDir: string;
let bundle: string;
let dataDir: string;
let channel: Channel;
const running: LaunchedBot[] = [];

beforeAll(async () => {
  // Inside the project, so the bundle finds node_modules; removed afterwards. A fresh clone has
  // no dist/ yet (it is git-ignored).
  await mkdir(join(PROJECT_ROOT, 'dist'), { recursive: true });
  buildDir = await mkdtemp(join(PROJECT_ROOT, 'dist', 'test-'));
  bundle = join(buildDir, 'bot.cjs');
  dataDir = await mkdtemp(join(tmpdir(), 'digikysely-startup-'));
  channel = await startChannel();
  await buildBot({ outfile: bundle });
});

// One bot at a time holds the DATA_DIR: a failed test must not leave its bot running.
afterEach(async () => {
  await Promise.all(running.splice(0).map((bot) => bot.stop()));
});

afterAll(async () => {
  await channel?.close();
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<LaunchedBot> {
  const bot = await launchBot({ BOT_BUNDLE: bundle, DATA_DIR: dataDir });
  running.push(bot);
  return bot;
}

function message(text: string | undefined, extra: Record<string, unknown> = {}) {
  return emulatorMessage(channel.url, text, { user: 'user-startup', conversation: 'conv-startup' }, extra);
}

describe('the bundle started by npm start', () => {
  it('answers a real turn in Finnish, with the model, and writes its code cache', async () => {
    const fi = JSON.parse(await readFile(join(PROJECT_ROOT, 'locales', 'fi', 'bot.json'), 'utf8')) as Record<string, string>;
    const bot = await start();
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    // The first start after a build compiles the bundle and leaves V8's cache for the next.
    expect((await stat(codeCachePath(bundle))).size).toBeGreaterThan(100_000);

    const joined = await postActivity(bot.url, { ...message(undefined), type: 'conversationUpdate', membersAdded: [{ id: 'bot' }, { id: 'user-startup' }] });
    expect(joined.status).toBe(200);
    const greeting = channel.take();
    expect(greeting.at(-1)?.channelData?.question).toBe('consent');
    expect(greeting.map((a) => a.text).join('\n')).toContain(fi.consentQuestion);

    expect((await postActivity(bot.url, message('kyllä'))).status).toBe(200);
    const afterConsent = channel.take();
    expect(afterConsent.map((a) => a.text).join('\n')).toContain(fi.consentGiven);
    expect(afterConsent.at(-1)?.channelData?.question).toBe('city');

    // Own words go through the normaliser, whose model and data the bundle must find.
    expect((await postActivity(bot.url, message('Tampereelta'))).status).toBe(200);
    const afterCity = channel.take();
    expect(afterCity.map((a) => a.text).join('\n')).toContain('Tampere');
    expect(afterCity.at(-1)?.channelData?.question).toBe('role');
  });

  it('serves the /chat and /review pages with their assets from the project, with the code cache', async () => {
    const bot = await start();
    const paths = [
      '/chat',
      '/chat/chat.js',
      '/chat/chat.css',
      '/chat/locales/fi.json',
      '/chat/webchat.js', // from node_modules/botframework-webchat
      '/review',
      '/review/review.js',
      '/review/review.css',
      '/review/locales/fi.json',
      '/review/vendor/i18next.js', // from node_modules/i18next
    ];
    for (const path of paths) {
      const res = await fetch(`${bot.url}${path}`);
      await res.arrayBuffer();
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    // The page's strings are locales/fi/chat.json's (plus the company and privacy settings).
    const served = (await (await fetch(`${bot.url}/chat/locales/fi.json`)).json()) as Record<string, unknown>;
    const onDisk = JSON.parse(await readFile(join(PROJECT_ROOT, 'locales', 'fi', 'chat.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(served)).toEqual(expect.arrayContaining(Object.keys(onDisk)));
    expect(served.switchLanguage).toBe(onDisk.switchLanguage);
  });

  it('rebuilds before starting when a source file changed since the build', async () => {
    // Others may edit the tree meanwhile: the test follows bot/index.ts, whatever else changes.
    const recorded = async (rel: string) => (JSON.parse(await readFile(stampPath(bundle), 'utf8')) as Stamp).inputs[rel];
    const source = join(PROJECT_ROOT, 'bot', 'index.ts');
    const { atime, mtime } = await stat(source);
    // Only the time changes (content untouched): the check compares mtime and size.
    const touched = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    try {
      expect(changedInputs(bundle)).not.toContain('bot/index.ts');
      await utimes(source, touched, touched);
      expect(changedInputs(bundle)).toContain('bot/index.ts');
      expect(staleReason(bundle)).toMatch(/ changed$/);
      const bot = await start();
      expect(bot.output()).toMatch(/Built .*bot\.cjs in \d+ ms \(.+ changed\)/);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      expect((await recorded('bot/index.ts'))?.[0]).toBe(touched.getTime());
    } finally {
      await utimes(source, atime, mtime);
    }
  });

  it('retrains from the review page in a worker thread (its boot file found from the bundle)', async () => {
    // Accounts are files in DATA_DIR: added before the bot takes the directory.
    await new StaffAccounts(dataDir).add('editor-startup', 'editor', PASSWORD);
    const bot = await start();
    const session = await signIn(bot.url, 'editor-startup');
    const res = await api(bot.url, 'POST', '/api/review/retrain', { session });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ examples: 0 });
    expect(bot.output()).toMatch(/normaliser retrained/);
    // The worker ran (bot/index.ts wires it): without it the bot says so and trains in its own thread.
    expect(bot.output()).toMatch(/\[retrain\] trained in a worker thread in \d+ ms/);
    expect(bot.output()).not.toMatch(/training in the bot's own thread/);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('refuses to build outside the project, where the bundle could not find node_modules', async () => {
    await expect(buildBot({ outfile: join(tmpdir(), 'bot.cjs') })).rejects.toThrow(/inside the project/);
  });
});
