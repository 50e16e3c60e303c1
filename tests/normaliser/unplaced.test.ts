/**
 * A don't-know the words say ("en tiedä") against an answer that fits no category of the question
 * (an answer to another question): both come out with no category and `dontKnow`, and only the
 * second is marked `unplaced`, so the dialog asks instead of noting a don't-know nobody said.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Normaliser } from '../../src/core/types.js';
import { createNormaliser } from '../../src/normaliser/index.js';

let normaliser: Normaliser;
beforeAll(() => {
  normaliser = createNormaliser();
});

describe('unplaced answers', () => {
  it.each([
    ['strategy', 'Tampereelta', 'fi'],
    ['strategy', 'kehitysjohtaja', 'fi'],
  ] as const)('%s: %j fits no category and is marked unplaced', (question, text, lang) => {
    const result = normaliser.normalise({ question, text, lang });
    expect(result.categories).toEqual([]);
    expect(result.dontKnow).toBe(true);
    expect(result.unplaced).toBe(true);
    expect(result.candidates?.length).toBeGreaterThan(0);
  });

  it.each([
    ['strategy', 'en tiedä', 'fi'],
    ['rpa', 'en osaa sanoa', 'fi'],
    ['challenges', "I'd rather not say", 'en'],
    ['goals', 'no idea', 'en'],
  ] as const)('%s: the decline %j is a plain don\'t-know', (question, text, lang) => {
    const result = normaliser.normalise({ question, text, lang });
    expect(result.categories).toEqual([]);
    expect(result.dontKnow).toBe(true);
    expect(result.unplaced).toBeUndefined();
  });
});
