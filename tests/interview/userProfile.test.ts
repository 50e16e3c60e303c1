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

  it("takes a new respondent's language from their first words when they clearly differ from the locale, and keeps it", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    // A channel that sends no locale (the Emulator, a bare Direct Line client): a greeting decides.
    const noLocale = await createHarness({ dir, locale: '', userId: 'u-no-locale', conversationId: 'c-u-no-locale' });
    expect(textOf(await noLocale.say('Hyvää päivää'))).toMatch(/Hyvää päivää|kysely/i);
    // Kept: a later neutral answer does not flip it back to the default.
    expect(textOf(await noLocale.say('ok'))).not.toMatch(/[Tt]he survey|Question/);
    await noLocale.close();

    // An English Teams client, a Finnish respondent.
    const english = await createHarness({ dir, locale: 'en-US', userId: 'u-en-client', conversationId: 'c-u-en-client' });
    expect(textOf(await english.say('Hei, aloitetaan'))).toMatch(/Hyvää päivää|kysely/i);
    await english.close();

    // One greeting is not enough to overrule the locale: "hello" in a Finnish client stays Finnish.
    const finnish = await createHarness({ dir, locale: 'fi-FI', userId: 'u-fi-client', conversationId: 'c-u-fi-client' });
    expect(textOf(await finnish.say('hello'))).toMatch(/Hyvää päivää|kysely/i);
    await finnish.close();
    // …but a sentence in English does.
    const sentence = await createHarness({ dir, locale: 'fi-FI', userId: 'u-fi-sentence', conversationId: 'c-u-fi-sentence' });
    expect(textOf(await sentence.say('Hi there, ready when you are'))).toMatch(/Good day|survey/i);
    await sentence.close();
  });
});
