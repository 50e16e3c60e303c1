import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI as the package script does (tsx, no build step) and returns stdout, stderr, code. */
function runCli(stdin: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    // No DOTENV_CONFIG_QUIET here: stdout must be clean without it.
    const env = { ...process.env };
    delete env.DOTENV_CONFIG_QUIET;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/normaliser/cli.ts'], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(stdin);
  });
}

describe('npm run normalize (src/normaliser/cli.ts)', () => {
  it('answers every line in order, with errors on bad lines, and prints JSON only', async () => {
    const input = [
      { id: 'a1', question: 'city', text: 'Lahdessa', lang: 'fi' },
      'this is not json',
      { id: 'a3', question: 'no_such_question', text: 'x' },
      { id: 'a4', question: 'role' },
      '',
      { id: 'a6', question: 'role', text: 'kunnanjohtaja' },
      { id: 'a7', question: 'challenges', text: 'en osaa sanoa' },
      { id: 'a8', question: 'comments', text: 'Kiitos kyselystä!' },
      ['an', 'array'],
      { id: 'a10', question: 'city', text: 'City of Espoo' },
    ];
    const stdin = input.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
    const { stdout, code } = await runCli(stdin);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline
    expect(lines).toHaveLength(input.length);
    const out = lines.map((l) => JSON.parse(l) as Record<string, unknown>); // throws if anything but JSON

    expect(out[0]).toMatchObject({ id: 'a1', question: 'city', lang: 'fi', categories: ['Lahti'] });
    expect(typeof out[0]?.confidence).toBe('number');
    expect(out[1]).toMatchObject({ id: null, error: expect.stringMatching(/JSON/) });
    expect(out[2]).toMatchObject({ id: 'a3', error: expect.stringMatching(/unknown question/) });
    expect(out[3]).toMatchObject({ id: 'a4', error: expect.stringMatching(/text/) });
    expect(out[4]).toMatchObject({ id: null, error: expect.stringMatching(/empty line/) });
    expect(out[5]).toMatchObject({ id: 'a6', categories: ['mayor'] });
    expect(out[6]).toMatchObject({ id: 'a7', categories: [] });
    expect(out[7]).toMatchObject({ id: 'a8', categories: [], confidence: 1 });
    expect(out[8]).toMatchObject({ id: null, error: expect.stringMatching(/object/) });
    expect(out[9]).toMatchObject({ id: 'a10', categories: ['Espoo'] });
    for (const o of out.filter((o) => !('error' in o))) {
      expect(Object.keys(o).sort()).toEqual(['categories', 'confidence', 'id', 'lang', 'question']);
    }
  });

  it('prints nothing for empty input', async () => {
    const { stdout, code } = await runCli('');
    expect(code).toBe(0);
    expect(stdout).toBe('');
  });
});
