import { describe, expect, it } from 'vitest';
import { parseSeeds } from '../../bench/nlp-seeds.js';

describe('bench/nlp-seeds --seeds', () => {
  it('defaults to the ten seeds 7-16 the normaliser is judged on', () => {
    expect(parseSeeds(undefined)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('reads a range or a list', () => {
    expect(parseSeeds('--seeds=3-5')).toEqual([3, 4, 5]);
    expect(parseSeeds('--seeds=7,9,11')).toEqual([7, 9, 11]);
  });

  it('refuses anything else with a message that shows the form', () => {
    expect(() => parseSeeds('--seeds=seven')).toThrow(/--seeds=7-16/);
    expect(() => parseSeeds('--seeds=9-7')).toThrow(/--seeds=7-16/);
  });
});
