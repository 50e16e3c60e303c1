import { describe, expect, it } from 'vitest';
import { passOrder } from '../../src/normaliser/linear.js';

const never = () => {
  throw new Error('keyed orders draw no random numbers');
};

describe('training order by key', () => {
  it('keeps the others in their order when an example is added, and differs by seed and pass', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `answer ${i}`);
    const before = passOrder(keys.length, never, keys, 7, 0).map((i) => keys[i]);
    const withOne = [...keys.slice(0, 50), 'a new line', ...keys.slice(50)];
    const after = passOrder(withOne.length, never, withOne, 7, 0).map((i) => withOne[i]);
    expect(after.filter((k) => k !== 'a new line')).toEqual(before);
    expect(passOrder(keys.length, never, keys, 7, 1)).not.toEqual(passOrder(keys.length, never, keys, 7, 0));
    expect(passOrder(keys.length, never, keys, 8, 0)).not.toEqual(passOrder(keys.length, never, keys, 7, 0));
    expect([...passOrder(keys.length, never, keys, 7, 0)].sort((a, b) => a - b)).toEqual([...keys.keys()]);
  });

  it('refuses keys that do not match the examples', () => {
    expect(() => passOrder(3, never, ['a', 'b'], 7, 0)).toThrow(/2 keys for 3 examples/);
  });
});
