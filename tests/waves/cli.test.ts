import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/waves/cli.ts'), ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wave-cli-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

// Child processes: wall time depends on the machine's load, CPU time is ~1 s per run.
describe('npm run wave', { timeout: 120_000 }, () => {
  it('opens, lists and closes waves, writing only DATA_DIR/waves.json', async () => {
    const opened = await run(['open', '2030', '--title-fi', 'Digikysely 2030 – kevät', '--start', '2030-03-01']);
    expect(opened).toMatchObject({ code: 0, stderr: '' });
    expect(opened.stdout).toContain('Closed wave 2026.');
    expect(opened.stdout).toContain('Wave 2030 is open');
    const list = await run(['list']);
    expect(list.stdout).toMatch(/^2030\s+open\s+collected\s+2030-03-01 –\s+v1\s+Digikysely 2030 – kevät/m);
    expect(list.stdout).toMatch(/^2026\s+closed/m);
    const closed = await run(['close', '2030']);
    expect(closed.stdout).toMatch(/Wave 2030 is closed \(fieldwork ended \d{4}-\d{2}-\d{2}\)/);
    expect(await fs.readdir(dataDir)).toEqual(['waves.json']);
  });

  it('exits 2 with a how-to-fix message on bad input', async () => {
    const [bad, unknown] = await Promise.all([run(['open', 'a b']), run(['close', '1999'])]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/not valid: use 1–64 letters/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Known waves: 2016, 2018, 2026');
  });
});
