/**
 * bot/transcriptLogger.ts: what a turn leaves in the conversation's transcript, through the real
 * TestAdapter and the project's file store.
 */
import { ActivityEventNames, ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { TranscriptMiddleware } from '../../bot/transcriptLogger.js';
import { openDataDir, type DataDir } from '../../src/storage/lowdbStore.js';
import type { TranscriptEntry, TranscriptStore } from '../../src/storage/types.js';
import { makeTempDir, removeTempDirs } from '../storage/helpers.js';

afterEach(removeTempDirs);

const opened: DataDir[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

async function store(): Promise<DataDir> {
  const data = await openDataDir(await makeTempDir());
  opened.push(data);
  return data;
}

/** The transcript of TestAdapter's default conversation, once the unawaited write has landed. */
async function transcriptOf(data: DataDir, wanted: number): Promise<Record<string, any>[]> {
  for (let i = 0; i < 100; i++) {
    const entries = (await data.transcripts.get('test', 'Convo1')) as Record<string, any>[];
    if (entries.length >= wanted) return entries;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the transcript did not reach ${wanted} activities`);
}

describe('TranscriptMiddleware', () => {
  it('logs the incoming activity and every reply, in order, with roles, ids and times', async () => {
    const data = await store();
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('first');
      await context.sendActivities([{ type: 'message', text: 'second' }, { type: 'typing' }]);
    }).use(new TranscriptMiddleware(data.transcripts));
    await adapter.send({ type: 'message', text: 'hei', from: { id: 'user1', name: 'User' } } as Partial<Activity>).assertReply('first');
    const entries = await transcriptOf(data, 4);
    expect(entries.map((e) => e.text ?? e.type)).toEqual(['hei', 'first', 'second', 'typing']);
    expect(entries[0]?.from.role).toBe('user');
    for (const e of entries) {
      expect(typeof e.id).toBe('string');
      expect(Number.isNaN(Date.parse(e.timestamp))).toBe(false);
    }
  });

  it('keeps what the respondent sent even when the turn changes the activity later', async () => {
    const data = await store();
    const adapter = new TestAdapter(async (context) => {
      context.activity.text = 'changed by the turn';
      await context.sendActivity('ok');
    }).use(new TranscriptMiddleware(data.transcripts));
    await adapter.send('<at>Digikysely</at> kyllä').assertReply('ok');
    const entries = await transcriptOf(data, 2);
    expect(entries[0]?.text).toBe('<at>Digikysely</at> kyllä');
  });

  it('still logs a turn that fails (botbuilder’s middleware logged nothing)', async () => {
    const data = await store();
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('before the failure');
      throw new Error('boom');
    }).use(new TranscriptMiddleware(data.transcripts));
    adapter.onTurnError = async () => undefined;
    await adapter.send('mikä tahansa');
    const entries = await transcriptOf(data, 2);
    expect(entries.map((e) => e.text)).toEqual(['mikä tahansa', 'before the failure']);
  });

  it('logs updates and deletions, and skips ContinueConversation events', async () => {
    const data = await store();
    const adapter = new TestAdapter(async (context) => {
      if (context.activity.type === ActivityTypes.Event) return;
      await context.updateActivity({ type: 'message', id: 'a1', text: 'updated', conversation: context.activity.conversation, channelId: 'test' } as Partial<Activity>);
      await context.deleteActivity('a2');
    }).use(new TranscriptMiddleware(data.transcripts));
    await adapter.send({ type: ActivityTypes.Event, name: ActivityEventNames.ContinueConversation } as Partial<Activity>);
    await adapter.send('muuta');
    const entries = await transcriptOf(data, 3);
    expect(entries.map((e) => e.type)).toEqual(['message', 'messageUpdate', 'messageDelete']);
    expect(entries[2]?.id).toBe('a2');
  });

  it('a failing store never fails the turn: the error is reported', async () => {
    const errors: unknown[] = [];
    const broken: TranscriptStore = {
      append: () => Promise.reject(new Error('disk full')),
      get: async () => [],
      delete: async () => undefined,
      prune: async () => 0,
    } as unknown as TranscriptStore;
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('still answered');
    }).use(new TranscriptMiddleware(broken, (e) => errors.push(e)));
    await adapter.send('hei').assertReply('still answered');
    await new Promise((r) => setTimeout(r, 20));
    expect(errors.map(String)).toEqual(['Error: disk full', 'Error: disk full']);
  });
});
