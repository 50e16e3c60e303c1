import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { responseId } from '../../src/core/ids.js';
import { postActivity, startApp, startChannel, type Channel } from '../helpers/app.js';
import { removeDir, tempDir } from '../helpers/surveyHarness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ app: App; channel: Channel; dir: string }> {
  const dir = await tempDir();
  cleanups.push(() => removeDir(dir));
  const channel = await startChannel();
  cleanups.push(() => channel.close());
  const logs: string[] = [];
  const app = await startApp(dir, { log: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`) });
  cleanups.push(() => app.close());
  (app as App & { logs: string[] }).logs = logs;
  return { app, channel, dir };
}

function message(channel: Channel, channelId: string, userId: string, conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    channelId,
    serviceUrl: channel.url,
    from: { id: userId, name: 'Respondentti' },
    recipient: { id: 'bot' },
    conversation: { id: conversationId },
    locale: 'fi-FI',
    text,
    ...extra,
  };
}

async function allFilesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    if ((await readFile(path, 'utf8')).includes(needle)) hits.push(path);
  }
  return hits;
}

describe('data rights in the chat', () => {
  it('"näytä vastaukseni" shows the answers; "poista tietoni" erases answers, transcript and state', async () => {
    const { app, channel, dir } = await setup();
    const say = async (text: string) => {
      const r = await postActivity(app.url(), message(channel, 'emulator', 'user-erase', 'conv-erase', text));
      expect(r.status).toBe(200);
      return channel.take().map((a) => a.text ?? '').join('\n');
    };
    await say('hei');
    await say('kyllä');
    await say('Kuopiosta');
    await say('Salainen tehtävänimike XYZ');
    expect(await say('näytä vastaukseni')).toContain('Kuopio');

    expect(await say('poista tietoni')).toContain('Poistoa ei voi perua');
    expect(await say('kyllä')).toContain('Tietonne on poistettu');

    const id = responseId('2026', { channel: 'emulator', userId: 'user-erase' });
    const stored = await app.data.responses.get(id);
    expect(stored).toMatchObject({ status: 'withdrawn', answers: {}, conversations: [] });
    expect(stored?.respondent.userId).toBe('erased');
    expect(await app.data.transcripts.get('emulator', 'conv-erase')).toEqual([]);
    // Nothing the respondent said, nor their user id, is left in any file.
    expect(await allFilesContaining(dir, 'Salainen tehtävänimike')).toEqual([]);
    expect(await allFilesContaining(dir, 'Kuopiosta')).toEqual([]);
    expect(await allFilesContaining(dir, 'user-erase')).toEqual([]);
    // The erasure is logged without personal data.
    const logs = (app as App & { logs: string[] }).logs.join('\n');
    expect(logs).toContain('[data-rights]');
    expect(logs).not.toContain('user-erase');
    expect(logs).not.toContain('conv-erase');

    // Writing again starts afresh with the greeting and consent.
    expect(await say('hei')).toContain('Hyvää päivää');
  });

  it('declining the erasure keeps everything', async () => {
    const { app, channel } = await setup();
    const say = async (text: string) => {
      await postActivity(app.url(), message(channel, 'emulator', 'user-keep', 'conv-keep', text));
      return channel.take().map((a) => a.text ?? '').join('\n');
    };
    await say('hei');
    await say('kyllä');
    await say('Oulu');
    await say('poista tietoni');
    expect(await say('ei')).toContain('mitään ei poistettu');
    const stored = await app.data.responses.get(responseId('2026', { channel: 'emulator', userId: 'user-keep' }));
    expect(stored?.answers.city?.categories).toEqual(['Oulu']);
  });

  it("honours Teams' deleteUserData", async () => {
    const { app, channel, dir } = await setup();
    const teams = (text: string) => message(channel, 'msteams', '29:teams-erase', 'a:teams-conv', text);
    await postActivity(app.url(), teams('hei'));
    await postActivity(app.url(), { ...teams('kyllä'), value: { dk: 1, q: 'consent', c: 'yes' } });
    await postActivity(app.url(), teams('Turku'));
    const r = await postActivity(app.url(), { ...teams(''), type: 'deleteUserData', text: undefined });
    expect(r.status).toBe(200);
    const stored = await app.data.responses.get(responseId('2026', { channel: 'msteams', userId: '29:teams-erase' }));
    expect(stored?.status).toBe('withdrawn');
    expect(await allFilesContaining(dir, '29:teams-erase')).toEqual([]);
  });
});
