import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefusalLog } from '../../src/http/refusalLog.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-28T09:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the refusal log', () => {
  it('logs the first refusal of a minute in full and the rest as one count when the minute ends', () => {
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const log = new RefusalLog((m, f) => lines.push([m, f]));
    log.refused(`bad signature ${'x'.repeat(500)}`);
    for (let i = 0; i < 999; i++) log.refused('bad signature');
    expect(lines).toHaveLength(1);
    expect(String(lines[0]?.[1]?.reason)).toHaveLength(200);
    // The burst stopped: its count still comes out once the minute is over.
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.[1]).toMatchObject({ count: 999 });
    vi.advanceTimersByTime(10 * 60_000);
    expect(lines).toHaveLength(2);
    // A new minute starts with a full line again.
    log.refused('expired');
    expect(lines).toHaveLength(3);
    expect(lines[2]?.[1]).toMatchObject({ reason: 'expired' });
  });

  it('prints a pending count when closed, and nothing when there is none', () => {
    const lines: string[] = [];
    const log = new RefusalLog((m, f) => lines.push(`${m} ${JSON.stringify(f)}`), 60_000);
    log.refused('a');
    log.close();
    expect(lines).toHaveLength(1);
    // Still the same minute: counted, not printed, until the close.
    log.refused('b');
    vi.advanceTimersByTime(1_000);
    log.refused('c');
    expect(lines).toHaveLength(1);
    log.close();
    expect(lines.at(-1)).toMatch(/"count":2/);
    expect(vi.getTimerCount()).toBe(0);
  });
});
