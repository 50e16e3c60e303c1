/**
 * The KeyValueStore is handed to botbuilder's ConversationState/UserState by bot/: check that
 * real BotState turns round-trip through it (eTags included) and survive a reopen. Only this test
 * imports botbuilder; src/storage never does.
 */
import { join } from 'node:path';
import { ConversationState, TestAdapter, UserState, type Storage } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import type { KeyValueStore } from '../../src/storage/types.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

afterEach(removeTempDirs);

/** Two turns' worth of bot: counts messages per conversation and per user. */
async function runTurns(store: KeyValueStore, texts: string[]): Promise<string[]> {
  const storage: Storage = store; // compile-time check that the shapes match
  const conversation = new ConversationState(storage);
  const user = new UserState(storage);
  const turns = conversation.createProperty<number>('turns');
  const seen = user.createProperty<number>('seen');
  const replies: string[] = [];
  const adapter = new TestAdapter(async (context) => {
    const t = (await turns.get(context, 0)) + 1;
    const s = (await seen.get(context, 0)) + 1;
    await turns.set(context, t);
    await seen.set(context, s);
    await context.sendActivity(`turn ${t}, seen ${s}`);
    await conversation.saveChanges(context);
    await user.saveChanges(context);
  });
  for (const text of texts) {
    await adapter.send(text).assertReply((activity) => {
      replies.push(activity.text ?? '');
    });
  }
  return replies;
}

describe('KeyValueStore under botbuilder BotState', () => {
  it('keeps conversation and user state across turns and across a reopen', async () => {
    const dir = join(await makeTempDir(), 'var');
    let data = await openDataDir(dir);
    expect(await runTurns(data.state, ['hei', 'moi'])).toEqual(['turn 1, seen 1', 'turn 2, seen 2']);
    await data.close();
    data = await openDataDir(dir);
    expect(await runTurns(data.state, ['taas'])).toEqual(['turn 3, seen 3']);
    await data.close();
  });
});
