import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/core/lru.js';

describe('Lru', () => {
  it('keeps the most recently used entries up to its limit', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3); // b goes
    expect(lru.peek('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.size]).toEqual([1, 3, 2]);
    lru.set('a', 10); // replacing is a use, not a second entry
    lru.set('d', 4); // c goes
    expect([lru.peek('a'), lru.peek('c'), lru.peek('d'), lru.size]).toEqual([10, undefined, 4, 2]);
  });

  it('peeks without changing the order, deletes, and keeps nothing at limit 0', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.peek('a')).toBe(1); // a stays the oldest
    lru.set('c', 3);
    expect(lru.peek('a')).toBeUndefined();
    lru.delete('b');
    expect(lru.size).toBe(1);
    const none = new Lru<string, number>(0);
    none.set('x', 1);
    expect([none.get('x'), none.size]).toEqual([undefined, 0]);
    expect(() => new Lru(-1)).toThrow(RangeError);
  });
});
