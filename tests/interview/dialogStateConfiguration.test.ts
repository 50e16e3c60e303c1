import type { TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { askedQuestion, createHarness, type Harness } from '../helpers/surveyHarness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("botbuilder-dialogs' memory scopes", () => {
  it('are built once and shared by later turns, which still run the interview', async () => {
    h = await createHarness();
    const seen: unknown[] = [];
    h.adapter.use(async (context: TurnContext, next) => {
      await next();
      seen.push(context.turnState.get('DialogStateManagerConfiguration'));
    });
    await h.join();
    await h.say('hei');
    const replies = await h.say('kyllä');
    expect(askedQuestion(replies)).toBeDefined();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const [first, ...rest] = seen;
    expect(first).toMatchObject({ memoryScopes: expect.any(Array), pathResolvers: expect.any(Array) });
    for (const later of rest) expect(later).toBe(first);
  });
});
