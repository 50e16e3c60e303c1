/**
 * `npm run staff -- <command>`: staff accounts of the review page, in `DATA_DIR/staff.json`.
 *
 *   add <name> [--role admin|editor|viewer]   password from stdin when piped, else generated and printed once
 *   passwd <name>                             same rule for the new password
 *   role <name> <role>
 *   remove <name>
 *   list
 *
 * Safe to run while the bot runs (the file is locked and written atomically; the bot notices).
 * Exit codes: 0 done, 1 failure, 2 bad usage (unknown command, bad name, role or password).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dataDirFromEnv } from '../storage/lowdbStore.js';
import { AccountError, assertName, assertRole, generatePassword, StaffAccounts, type StaffRole } from './accounts.js';

const USAGE = `Usage: npm run staff -- <command>
  add <name> [--role admin|editor|viewer]   add an account (default role: editor)
  passwd <name>                             set a new password
  role <name> <admin|editor|viewer>         change the role
  remove <name>                             remove the account (its sessions end)
  list                                      list accounts
The password is read from stdin when piped (echo … | npm run staff -- add anna),
otherwise a strong one is generated and printed once. Accounts live in DATA_DIR/staff.json
(DATA_DIR defaults to ./var).`;

class UsageError extends Error {}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The piped stdin, or undefined when stdin is a terminal. */
  readStdin: () => Promise<string | undefined>;
  env: NodeJS.ProcessEnv;
}

async function readPipedStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The password to set: the first line of piped stdin, or a generated one (then `generated`). */
async function choosePassword(io: CliIo): Promise<{ password: string; generated: boolean }> {
  const piped = await io.readStdin();
  const line = piped?.split(/\r?\n/)[0] ?? '';
  if (piped !== undefined && line !== '') return { password: line, generated: false };
  return { password: generatePassword(), generated: true };
}

function parseRoleFlag(args: string[]): { rest: string[]; role: StaffRole } {
  const rest: string[] = [];
  let role: StaffRole = 'editor';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--role' || arg.startsWith('--role=')) {
      const value = arg === '--role' ? args[++i] : arg.slice('--role='.length);
      assertRole(value);
      role = value;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`Unknown option ${arg}.`);
    } else rest.push(arg);
  }
  return { rest, role };
}

function oneName(args: string[], command: string): string {
  if (args.length !== 1) throw new UsageError(`\`${command}\` takes exactly one account name.`);
  const name = args[0]!;
  assertName(name);
  return name;
}

/** Runs one CLI command; returns the exit code. */
export async function runStaffCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    const accounts = new StaffAccounts(dataDirFromEnv(io.env));
    switch (command) {
      case 'add': {
        const { rest, role } = parseRoleFlag(args);
        const name = oneName(rest, 'add');
        const { password, generated } = await choosePassword(io);
        const account = await accounts.add(name, role, password);
        io.stdout(`Added ${account.name} (${account.role}) to ${accounts.file}.\n`);
        if (generated) io.stdout(`Password (shown once, store it now): ${password}\n`);
        return 0;
      }
      case 'passwd': {
        const name = oneName(args, 'passwd');
        const { password, generated } = await choosePassword(io);
        await accounts.setPassword(name, password);
        io.stdout(`New password set for ${name}.\n`);
        if (generated) io.stdout(`Password (shown once, store it now): ${password}\n`);
        return 0;
      }
      case 'role': {
        if (args.length !== 2) throw new UsageError('`role` takes an account name and a role.');
        const [name, role] = args as [string, string];
        assertName(name);
        assertRole(role);
        const account = await accounts.setRole(name, role);
        io.stdout(`${account.name} is now ${account.role}.\n`);
        return 0;
      }
      case 'remove': {
        const name = oneName(args, 'remove');
        await accounts.remove(name);
        io.stdout(`Removed ${name}; their sessions end at their next request.\n`);
        return 0;
      }
      case 'list': {
        if (args.length > 0) throw new UsageError('`list` takes no arguments.');
        const list = await accounts.list();
        if (list.length === 0) io.stdout(`No accounts in ${accounts.file}. Add one with \`npm run staff -- add <name> --role admin\`.\n`);
        for (const a of list) io.stdout(`${a.name}\t${a.role}\t${a.createdAt}\n`);
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command ${JSON.stringify(command)}.`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof AccountError) {
      io.stderr(`${error.message}\n`);
      return error.code === 'invalid' ? 2 : 1;
    }
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const code = await runStaffCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: readPipedStdin,
    env: process.env,
  });
  process.exitCode = code;
}
