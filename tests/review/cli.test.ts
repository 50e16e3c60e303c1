import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaffAccounts } from '../../src/review/accounts.js';
import { runStaffCli } from '../../src/review/cli-staff.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dk-staff-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], stdin?: string) {
  let out = '';
  let err = '';
  const code = await runStaffCli(args, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: async () => stdin,
    env: { DATA_DIR: dir },
  });
  return { code, out, err };
}

describe('npm run staff', () => {
  it('adds with a generated password printed once, or the piped one; stores only an argon2id hash', async () => {
    const generated = await run(['add', 'anna.virtanen', '--role', 'admin']);
    expect(generated.code).toBe(0);
    const password = /Password \(shown once, store it now\): (\S+)/.exec(generated.out)![1]!;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    const piped = await run(['add', 'bob'], 'a piped password 123\n');
    expect(piped.code).toBe(0);
    expect(piped.out).not.toContain('Password');
    const file = await readFile(join(dir, 'staff.json'), 'utf8');
    expect(file).not.toContain(password);
    expect(file).not.toContain('a piped password');
    expect(JSON.parse(file).users.map((u: any) => [u.name, u.role, u.hash.slice(0, 10)])).toEqual([
      ['anna.virtanen', 'admin', '$argon2id$'],
      ['bob', 'editor', '$argon2id$'],
    ]);
    expect((await stat(join(dir, 'staff.json'))).mode & 0o777).toBe(0o600);
    const accounts = new StaffAccounts(dir);
    expect(await accounts.verify('anna.virtanen', password)).toMatchObject({ role: 'admin' });
    expect(await accounts.verify('bob', 'a piped password 123')).toMatchObject({ role: 'editor' });
    expect(await accounts.verify('bob', 'a piped password 124')).toBeUndefined();
  });

  it('lists, changes roles and passwords, removes; bad input exits 2 with the fix', async () => {
    await run(['add', 'carl'], 'first password 1\n');
    expect((await run(['role', 'carl', 'viewer'])).code).toBe(0);
    expect((await run(['list'])).out).toMatch(/^carl\tviewer\t/);
    const passwd = await run(['passwd', 'carl'], 'second password 2\n');
    expect(passwd.code).toBe(0);
    expect(await new StaffAccounts(dir).verify('carl', 'second password 2')).toBeDefined();
    expect(await new StaffAccounts(dir).verify('carl', 'first password 1')).toBeUndefined();

    const badName = await run(['add', 'Carl Smith']);
    expect(badName.code).toBe(2);
    expect(badName.err).toContain('lower-case letters');
    const badRole = await run(['add', 'dora', '--role', 'boss']);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('viewer, editor, admin');
    expect((await run(['add', 'dora'], 'short\n')).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['add', 'carl'], 'another password 3\n')).code).toBe(1); // exists
    expect((await run(['remove', 'nobody'])).code).toBe(1);
    expect((await run(['remove', 'carl'])).code).toBe(0);
    expect((await run(['list'])).out).toContain('No accounts');
  });

  it('runs as a process: the password is read from a pipe', async () => {
    const cli = join(process.cwd(), 'src', 'review', 'cli-staff.ts');
    const child = execFile(join(process.cwd(), 'node_modules', '.bin', 'tsx'), [cli, 'add', 'piped.user', '--role', 'viewer'], {
      env: { ...process.env, DATA_DIR: dir },
    });
    child.stdin!.end('password from a pipe\n');
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(result.code).toBe(0);
    expect(result.out).toContain('Added piped.user (viewer)');
    expect(await new StaffAccounts(dir).verify('piped.user', 'password from a pipe')).toBeDefined();
  });
});
