/**
 * bot/state.ts: ConversationState and UserState with a JSON change key instead of botbuilder's
 * stringify + SHA-256. What must hold is BotState's contract: a turn that changed nothing writes
 * nothing, a changed turn writes once, the eTag never counts as a change, clear/delete still
 * work, and a state with a cycle is keyed by botbuilder's hash as before.
 */
import { join } from 'node:path';
import { calculateChangeHash, MemoryStorage, TestAdapter, type Storage, type StoreItems, type TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { changeKey, SurveyConversationState, SurveyUserState } from '../../bot/state.js';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

afterEach(removeTempDirs);

/** MemoryStorage that counts its writes. */
class CountingStorage extends MemoryStorage {
  writes = 0;
  override write(changes: StoreItems): Promise<void> {
    this.writes += Object.keys(changes).length;
    return super.write(changes);
  }
}

/** Runs one turn of `logic` with both states, saving them at the end as the bot does. */
async function turn(storage: Storage, logic: (context: TurnContext, c: SurveyConversationState, u: SurveyUserState) => Promise<void>): Promise<void> {
  const conversation = new SurveyConversationState(storage);
  const user = new SurveyUserState(storage);
  const adapter = new TestAdapter(async (context) => {
    await logic(context, conversation, user);
    await conversation.saveChanges(context);
    await user.saveChanges(context);
  });
  await adapter.send('hei');
}

describe('SurveyConversationState / SurveyUserState', () => {
  it('writes a changed state once and an unchanged one never', async () => {
    const storage = new CountingStorage();
    await turn(storage, async (context, c, u) => {
      await c.createProperty<number>('step').set(context, 1);
      await u.createProperty<string>('lang').set(context, 'fi');
    });
    expect(storage.writes).toBe(2);
    // Read both, change nothing: no write (the stored eTag is not a change either).
    await turn(storage, async (context, c, u) => {
      expect(await c.createProperty<number>('step').get(context)).toBe(1);
      expect(await u.createProperty<string>('lang').get(context)).toBe('fi');
    });
    expect(storage.writes).toBe(2);
    // Change one of them: one write.
    await turn(storage, async (context, c, u) => {
      await c.createProperty<number>('step').set(context, 2);
      expect(await u.createProperty<string>('lang').get(context)).toBe('fi');
    });
    expect(storage.writes).toBe(3);
    // Setting the same value again is no change.
    await turn(storage, async (context, c) => {
      await c.createProperty<number>('step').set(context, 2);
    });
    expect(storage.writes).toBe(3);
  });

  it('a state saved twice in one turn is written again only if it changed in between', async () => {
    const storage = new CountingStorage();
    await turn(storage, async (context, c) => {
      const step = c.createProperty<number>('step');
      await step.set(context, 1);
      await c.saveChanges(context);
      await c.saveChanges(context);
      expect(storage.writes).toBe(1);
      await step.set(context, 2);
    });
    expect(storage.writes).toBe(2);
  });

  it('clear and delete work on the same turn cache as BotState', async () => {
    const storage = new CountingStorage();
    await turn(storage, async (context, c) => {
      await c.createProperty<number>('step').set(context, 5);
    });
    await turn(storage, async (context, c) => {
      await c.clear(context);
      expect(await c.createProperty<number>('step').get(context)).toBeUndefined();
    });
    await turn(storage, async (context, c) => {
      expect(await c.createProperty<number>('step').get(context)).toBeUndefined();
      await c.createProperty<number>('step').set(context, 7);
      await c.saveChanges(context);
      await c.delete(context);
      expect(await c.createProperty<number>('step').get(context)).toBeUndefined();
    });
  });

  it('keys a state with a cycle by botbuilder’s own hash and leaves the eTag out', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => JSON.stringify(cyclic)).toThrow();
    expect(changeKey(cyclic)).toBe(`#${calculateChangeHash(cyclic)}`);
    expect(changeKey({ a: 1, eTag: 'x' })).toBe(changeKey({ a: 1, eTag: 'y' }));
    expect(changeKey({ a: 1 })).not.toBe(changeKey({ a: 2 }));
  });

  it('round-trips through the project store across a reopen', async () => {
    const dir = join(await makeTempDir(), 'var');
    let data = await openDataDir(dir);
    await turn(data.state, async (context, c, u) => {
      await c.createProperty<number>('step').set(context, 3);
      await u.createProperty<string>('lang').set(context, 'en');
    });
    await data.close();
    data = await openDataDir(dir);
    await turn(data.state, async (context, c, u) => {
      expect(await c.createProperty<number>('step').get(context)).toBe(3);
      expect(await u.createProperty<string>('lang').get(context)).toBe('en');
    });
    await data.close();
  });
});
