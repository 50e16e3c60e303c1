/**
 * The bot's DATA_DIR lock lost while it runs (the directory removed under it, another process
 * took it over): `npm start`'s bot stops with one clear line naming the directory and exit code
 * 1, not an uncaught exception that prints a line of the minified bundle.
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
    expect(output).toContain(`Digikysely stops: Lost the lock on data directory ${dir}`);
    expect(Math.max(...output.split('\n').map((line) => line.length))).toBeLessThan(1000);
  }, 30_000);
});
