import { describe, expect, it } from 'vitest';
import type { NormaliseInput, Normaliser } from '../../src/core/types.js';
import { retrainableNormaliser } from '../../src/review/retrainable.js';
import type { TrainingExample } from '../../src/review/training.js';

/** A stand-in normaliser that answers with the categories of a staff example for the same text. */
function fakeBuild(extra: TrainingExample[]): Normaliser {
  return {
    normalise(input: NormaliseInput) {
      const hit = extra.find((e) => e.question === input.question && e.text === input.text);
      return { categories: hit?.categories ?? [], confidence: hit ? 0.9 : 0.1, lang: 'fi' };
    },
  };
}

describe('retrainable normaliser', () => {
  it('serves the latest build and keeps the old one when a rebuild fails', async () => {
    const live = retrainableNormaliser(fakeBuild, [], fakeBuild([]));
    const ask = () => live.normaliser.normalise({ question: 'rpa', text: 'robotit pilotissa' }).categories;
    expect(ask()).toEqual([]);
    await live.retrain([{ question: 'rpa', text: 'robotit pilotissa', lang: 'fi', categories: ['piloting'] }]);
    expect(ask()).toEqual(['piloting']);
    expect(live.examples()).toBe(1);
    const failing = retrainableNormaliser(
      (extra) => {
        if (extra.length > 1) throw new Error('unknown category');
        return fakeBuild(extra);
      },
      [{ question: 'rpa', text: 'x', lang: 'fi', categories: ['planned'] }],
    );
    await failing.retrain([{ question: 'rpa', text: 'x', lang: 'fi', categories: ['planned'] }]);
    await expect(failing.retrain([
      { question: 'rpa', text: 'x', lang: 'fi', categories: ['planned'] },
      { question: 'rpa', text: 'y', lang: 'fi', categories: ['bogus'] },
    ])).rejects.toThrow('unknown category');
    expect(failing.normaliser.normalise({ question: 'rpa', text: 'x' }).categories).toEqual(['planned']);
  });
});
