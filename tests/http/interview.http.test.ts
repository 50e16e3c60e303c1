import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { responseId } from '../../src/core/ids.js';
import { emulatorMessage, postActivity, startApp, startChannel, type Channel } from '../helpers/app.js';
import { removeDir, tempDir } from '../helpers/surveyHarness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A running bot on a fresh DATA_DIR and a loopback channel, both cleaned up after the test. */
async function running(): Promise<{ app: App; channel: Channel }> {
  const dir = await tempDir();
  cleanups.push(() => removeDir(dir));
  const channel = await startChannel();
  cleanups.push(() => channel.close());
  const app = await startApp(dir);
  cleanups.push(() => app.close());
  return { app, channel };
}

function activity(channel: Channel, text: string | undefined, extra: Record<string, unknown> = {}) {
  return emulatorMessage(channel.url, text, { user: 'user-http', conversation: 'conv-http' }, extra);
}

function questionOf(replies: Record<string, any>[]): string | undefined {
  return replies.filter((r) => r.channelData?.question).at(-1)?.channelData.question;
}

describe('the bot over HTTP, as the Emulator talks to it', () => {
  it('runs a whole interview, survives a restart in the middle, and stores the response', async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const channel = await startChannel();
    cleanups.push(() => channel.close());
    let app: App = await startApp(dir);

    const health = await fetch(`${app.url()}/healthz`);
    expect(health.status).toBe(200);

    const join = await postActivity(app.url(), {
      ...activity(channel, undefined),
      type: 'conversationUpdate',
      membersAdded: [{ id: 'bot' }, { id: 'user-http' }],
    });
    expect(join.status).toBe(200);
    expect(questionOf(channel.take())).toBe('consent');

    const say = async (text: string) => {
      const r = await postActivity(app.url(), activity(channel, text));
      expect(r.status, `posting ${text}`).toBe(200);
      return channel.take();
    };
    expect(questionOf(await say('kyllä'))).toBe('city');
    expect(questionOf(await say('Tampereelta'))).toBe('role');
    expect(questionOf(await say('1'))).toBe('strategy');

    // The server goes down and comes back on the same DATA_DIR.
    await app.close();
    app = await startApp(dir);
    cleanups.push(() => app.close());

    expect(questionOf(await say('1'))).toBe('responsibility');
    expect(questionOf(await say('Tietohallinto'))).toBe('rpa');
    expect(questionOf(await say('4'))).toBe('challenges');
    expect(questionOf(await say('2, 5'))).toBe('projects');
    expect(questionOf(await say('1'))).toBe('sote_impact');
    expect(questionOf(await say('6'))).toBe('goals');
    expect(questionOf(await say('1, 2'))).toBe('comments');
    const long = 'Pitkä vastaus. '.repeat(700); // ~10,500 characters
    const summary = await say(long);
    expect(questionOf(summary)).toBe('submit');
    const summaryText = summary.map((r) => r.text).join('\n');
    expect(summaryText.length).toBeLessThan(3000); // the reply stays short
    expect(questionOf(await say('Lähetä'))).toBe('submitted');

    const stored = await app.data.responses.get(responseId('2026', { channel: 'emulator', userId: 'user-http' }));
    expect(stored?.status).toBe('submitted');
    expect(stored?.answers.city?.categories).toEqual(['Tampere']);
    expect(stored?.answers.responsibility?.categories).toEqual(['it_management']);
    expect(stored?.answers.rpa?.categories).toEqual(['in_production']);
    expect(stored?.answers.challenges?.categories).toEqual(['competence_resources', 'talent_attraction']);
    expect(stored?.answers.comments?.raw).toBe(long.trim());
    expect(stored?.conversations).toContain('conv-http');

    // Every activity in and out was logged to the conversation's transcript.
    const transcript = await app.data.transcripts.get('emulator', 'conv-http');
    expect(transcript.length).toBeGreaterThan(20);
    expect(transcript.some((a: any) => a.text === 'Tampereelta')).toBe(true);
  });

  it('answers in the HTTP response when deliveryMode is expectReplies', async () => {
    const { app, channel } = await running();
    const r = await postActivity(app.url(), { ...activity(channel, 'hei', { locale: 'en-US' }), deliveryMode: 'expectReplies' });
    expect(r.status).toBe(200);
    expect(r.body.activities.at(-1).channelData.question).toBe('consent');
    expect(r.body.activities.map((a: any) => a.text).join('\n')).toContain('Good day');
    expect(channel.received).toHaveLength(0);
  });

  it('refuses malformed bodies with 400 and a reason, then still serves a normal turn', async () => {
    const { app, channel } = await running();

    const bad = await postActivity(app.url(), '{"type": "message", ');
    expect(bad.status).toBe(400);
    const noConversation = await postActivity(app.url(), { ...activity(channel, 'hei'), conversation: undefined });
    expect(noConversation.status).toBe(400);
    expect(noConversation.body.reason).toContain('conversation');
    const noType = await postActivity(app.url(), { ...activity(channel, 'hei'), type: undefined });
    expect(noType.status).toBe(400);
    const array = await postActivity(app.url(), [1, 2]);
    expect(array.status).toBe(400);

    const ok = await postActivity(app.url(), activity(channel, 'hei'));
    expect(ok.status).toBe(200);
    expect(questionOf(channel.take())).toBe('consent');
  });

  it('with MicrosoftAppId set, refuses unauthenticated calls', async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const app = await startApp(dir, {
      auth: {
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002',
      },
    });
    cleanups.push(() => app.close());
    const r = await postActivity(app.url(), {
      type: 'message',
      channelId: 'emulator',
      serviceUrl: 'http://127.0.0.1:9/',
      from: { id: 'u' },
      conversation: { id: 'c' },
      recipient: { id: 'bot' },
      text: 'hei',
    });
    expect(r.status).toBe(401);
    const stored = await app.data.responses.list();
    expect(stored).toEqual([]);
  });
});
