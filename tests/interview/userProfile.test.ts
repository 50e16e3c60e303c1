/**
 * The respondent's profile (UserState: the language they chose) is stored only once there is
 * something to store: a respondent who never switches language leaves no user-state file, and a
 * chosen language follows them into their next conversation.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { askedQuestion, createHarness, removeDir, tempDir, textOf } from '../helpers/surveyHarness.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

const stateFiles = async (dir: string): Promise<string[]> => (await readdir(join(dir, 'state'))).filter((f) => !f.startsWith('.'));

describe('user profile', () => {
  it('writes no user-state file until a language is chosen, then keeps it for the next conversation', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await createHarness({ dir, locale: 'fi-FI' });
    await first.join();
    await first.say('kyllä');
    expect(await stateFiles(dir)).toHaveLength(1); // the conversation's dialog state only
    expect(textOf(await first.say('in English please'))).toMatch(/English/);
    expect(await stateFiles(dir)).toHaveLength(2);
    await first.close();

    const second = await createHarness({ dir, locale: 'fi-FI', conversationId: 'conv-2' });
    // Same respondent, new conversation, a Finnish client: the interview resumes in English.
    const replies = await second.join();
    expect(textOf(replies)).toMatch(/^Welcome back/);
    expect(askedQuestion(replies)).toBeDefined();
    await second.close();
  });
});
