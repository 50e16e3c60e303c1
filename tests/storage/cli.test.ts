import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runDataCli, type CliIo } from '../../src/storage/dataCli.js';
import { stateFile } from '../../src/storage/layout.js';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { makeTempDir, removeTempDirs, REPO_ROOT } from './helpers.js';

afterEach(removeTempDirs);

function capture(env: NodeJS.ProcessEnv, now?: Date) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l), now: now && (() => now) };
  return { io, text: () => out.join('\n'), errors: () => err.join('\n') };
}

const DAY = 24 * 60 * 60 * 1000;

/** A data dir with transcripts last touched 10, 100 and 400 days before `now`. */
async function withTranscripts(now: Date): Promise<string> {
  const dir = join(await makeTempDir(), 'var');
  let clock = now;
  const data = await openDataDir(dir, { now: () => clock });
  for (const age of [10, 100, 400]) {
    clock = new Date(now.getTime() - age * DAY);
    await data.transcripts.append('msteams', `c${age}`, { text: `${age} days ago` });
  }
  await data.close();
  return dir;
}

describe('npm run data -- prune-transcripts', () => {
  const now = new Date('2027-01-01T00:00:00Z');

  it('uses --days N', async () => {
    const dir = await withTranscripts(now);
    const run = capture({ DATA_DIR: dir }, now);
    expect(await runDataCli(['prune-transcripts', '--days', '50'], run.io)).toBe(0);
    expect(run.text()).toMatch(/^Deleted 2 transcript\(s\)/);
  });

  it('defaults to TRANSCRIPT_RETENTION_DAYS, then to 365', async () => {
    const dir = await withTranscripts(now);
    const fromEnv = capture({ DATA_DIR: dir, TRANSCRIPT_RETENTION_DAYS: '200' }, now);
    expect(await runDataCli(['prune-transcripts'], fromEnv.io)).toBe(0);
    expect(fromEnv.text()).toMatch(/^Deleted 1 transcript\(s\).*\(200 days\)/);

    const dir2 = await withTranscripts(now);
    const byDefault = capture({ DATA_DIR: dir2 }, now);
    expect(await runDataCli(['prune-transcripts'], byDefault.io)).toBe(0);
    expect(byDefault.text()).toMatch(/^Deleted 1 transcript\(s\).*\(365 days\)/);
    const data = await openDataDir(dir2);
    expect(await data.transcripts.get('msteams', 'c400')).toEqual([]);
    expect(await data.transcripts.get('msteams', 'c100')).toHaveLength(1);
    await data.close();
  });

  it('rejects a bad number of days without touching anything', async () => {
    const dir = await withTranscripts(now);
    for (const [args, env] of [
      [['prune-transcripts', '--days', 'ten'], {}],
      [['prune-transcripts', '--days=-1'], {}],
      [['prune-transcripts'], { TRANSCRIPT_RETENTION_DAYS: 'forever' }],
      [['prune-transcripts', '--weeks', '2'], {}],
    ] as const) {
      const run = capture({ DATA_DIR: dir, ...env }, now);
      expect(await runDataCli([...args], run.io)).toBe(2);
      expect(run.errors()).toMatch(/Invalid|Unknown option/);
    }
    const data = await openDataDir(dir);
    expect(await data.transcripts.prune(new Date(now.getTime() + DAY))).toBe(3);
    await data.close();
  });
});

describe('npm run data while the bot holds the directory', () => {
  it('repair and prune refuse with a clear message; check reads anyway', async () => {
    const dir = join(await makeTempDir(), 'var');
    const bot = await openDataDir(dir);
    try {
      await bot.state.write({ k: { v: 1 } });
      for (const command of [['repair'], ['prune-transcripts', '--days', '1']]) {
        const run = capture({ DATA_DIR: dir });
        expect(await runDataCli(command, run.io)).toBe(2);
        expect(run.errors()).toContain(`Refusing to ${command[0]}`);
        expect(run.errors()).toContain(dir);
      }
      const run = capture({ DATA_DIR: dir });
      expect(await runDataCli(['check'], run.io)).toBe(0);
      expect(run.text()).toContain('is in use');
      expect(run.text()).toContain('Checked 1 data file(s)');
    } finally {
      await bot.close();
    }
  });

  it('reports usage errors and a missing data directory', async () => {
    const unknown = capture({});
    expect(await runDataCli(['frobnicate'], unknown.io)).toBe(2);
    expect(unknown.errors()).toContain('Usage: npm run data');
    const none = capture({ DATA_DIR: join(await makeTempDir(), 'nothing-here') });
    expect(await runDataCli(['check'], none.io)).toBe(0);
    expect(none.text()).toContain('does not exist');
  });
});

describe('the real CLI process', () => {
  it('`check` exits 1 and names a corrupt file', async () => {
    const dir = join(await makeTempDir(), 'var');
    const data = await openDataDir(dir);
    await data.state.write({ k: { v: 1 } });
    await data.close();
    await writeFile(stateFile(dir, 'k'), '{oops');
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/storage/cli.ts', 'check'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dir },
    }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`state/${stateFile(dir, 'k').split('/').pop()}`);
    expect(result.stdout).toContain('npm run data -- repair');
  });
});
