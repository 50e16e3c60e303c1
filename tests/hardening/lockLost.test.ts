/**
 * The bot's DATA_DIR lock lost while it runs (the directory removed under it, another process
 * took it over): the bot stops with exit code 1 and a first line naming the directory and what
 * to do — bot/index.ts's handler of uncaught errors, which never prints a line of the minified
 * bundle as Node's own report does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BOT_SCRIPT, botEnv, spawnService, type Service } from '../../bench/load/child.js';
import { LOCK_DIR } from '../../src/storage/layout.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a DATA_DIR lock lost while the bot runs', () => {
  it('stops the bot with one line naming the directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'digikysely-locklost-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const bot: Service = await spawnService(BOT_SCRIPT, { env: botEnv(dir) });
    cleanups.push(() => bot.kill());
    await rm(join(dir, LOCK_DIR), { recursive: true, force: true });
    // proper-lockfile notices at its next refresh (half the 10 s stale time).
    const code = await Promise.race([bot.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
    expect(code).toBe(1);
    const output = bot.output();
    const first = output.split('\n').find((line) => line.startsWith('Digikysely stops:'));
    expect(first).toContain(`Digikysely stops: Lost the lock on data directory ${dir}`);
    expect(first).toContain('Make sure only one bot uses this DATA_DIR');
    expect(Math.max(...output.split('\n').map((line) => line.length))).toBeLessThan(1000);
  }, 30_000);
});
