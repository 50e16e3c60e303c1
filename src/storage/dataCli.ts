/**
 * `npm run data -- check | repair | prune-transcripts [--days N]`: maintenance of DATA_DIR.
 * `check` only reads, so it may run beside the bot; `repair` and `prune-transcripts` take the
 * directory's lock and refuse while the bot holds it. Nothing here deletes data: corrupt files
 * are moved to `DATA_DIR/quarantine/<timestamp>/`, only temp files of interrupted writes and
 * transcripts past their retention are deleted.
 */
import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { JOURNAL_DIR } from './answerJournal.js';
import { listDir } from './listDir.js';
import { dataDirFromEnv, openDataDir } from './lowdbStore.js';
import { DataDirLockedError, isDataDirLocked, lockDataDir, readLockOwner } from './lock.js';
import { repairFromScan } from './repair.js';
import { scanDataDir } from './scan.js';
import { CorruptDataFileError } from './types.js';

export const DEFAULT_RETENTION_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export const USAGE = `Usage: npm run data -- <command>

Commands:
  check                         list corrupt data files and leftover temp files (exit 1 if any)
  repair                        move corrupt files to DATA_DIR/quarantine/<time>/ and remove temp files
  prune-transcripts [--days N]  delete transcripts whose last activity is older than N days
                                (default: TRANSCRIPT_RETENTION_DAYS, else ${DEFAULT_RETENTION_DAYS})

Environment:
  DATA_DIR                   data directory (default ./var), the same as the bot's
  TRANSCRIPT_RETENTION_DAYS  default for --days

repair and prune-transcripts need the bot stopped; check may run while it is running.`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  now?: () => Date;
}

/** Exit codes: 0 fine, 1 problems found (check), 2 refused or bad usage. */
export type ExitCode = 0 | 1 | 2;

async function exists(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Parses a non-negative number of days; undefined when `text` is not one. */
function parseDays(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const days = Number(text);
  return Number.isFinite(days) && days >= 0 ? days : undefined;
}

async function check(dir: string, io: CliIo): Promise<ExitCode> {
  if (await isDataDirLocked(dir)) {
    const owner = await readLockOwner(dir);
    io.out(
      `Note: ${dir} is in use${owner ? ` by process ${owner.pid} on ${owner.hostname}` : ''}; reading anyway. ` +
        'Temp files listed below may belong to writes in progress.',
    );
  }
  const report = await scanDataDir(dir);
  const rel = (file: string) => relative(dir, file);
  io.out(`Checked ${report.validFiles + report.corrupt.length} data file(s) in ${dir}.`);
  const journals = await pendingJournals(dir);
  if (journals.length > 0) {
    io.out(
      `Answer journal: ${journals.map(rel).join(', ')} (answers saved since the last checkpoint; ` +
        'after a power cut the bot brings their files up to date from it when it starts).',
    );
  }
  if (report.corrupt.length > 0) {
    io.out(`Corrupt data files (${report.corrupt.length}):`);
    for (const c of report.corrupt) {
      io.out(`  ${rel(c.file)}: ${c.reason}${c.earlierVersion === undefined ? '' : ' (an earlier version is whole: repair restores it)'}`);
    }
  }
  if (report.tempFiles.length > 0) {
    io.out(`Leftover temp files of interrupted writes (${report.tempFiles.length}):`);
    for (const file of report.tempFiles) io.out(`  ${rel(file)}`);
  }
  if (report.unexpected.length > 0) {
    io.out(`Entries the bot ignores (${report.unexpected.length}; not an error):`);
    for (const file of report.unexpected) io.out(`  ${rel(file)}`);
  }
  if (report.corrupt.length === 0 && report.tempFiles.length === 0) {
    io.out('No problems found.');
    return 0;
  }
  io.out('To fix: stop the bot, then run `npm run data -- repair` (corrupt files are moved to quarantine/, not deleted).');
  return 1;
}

async function repair(dir: string, io: CliIo): Promise<ExitCode> {
  const lock = await lockDataDir(dir);
  try {
    const now = io.now?.() ?? new Date();
    const { quarantined, restored, removedTempFiles } = await repairFromScan(await scanDataDir(dir), now);
    for (const q of quarantined) io.out(`Moved corrupt ${relative(dir, q.from)} to ${relative(dir, q.to)}`);
    for (const file of restored) io.out(`Restored ${relative(dir, file)} to its last whole earlier version (its damaged last change is in quarantine)`);
    for (const file of removedTempFiles) io.out(`Removed temp file ${relative(dir, file)}`);
    io.out(
      quarantined.length + removedTempFiles.length === 0
        ? `Nothing to repair in ${dir}.`
        : `Repaired ${dir}: ${quarantined.length} corrupt file(s) quarantined, ${removedTempFiles.length} temp file(s) removed.`,
    );
    return 0;
  } finally {
    await lock.release();
  }
}

async function pruneTranscripts(dir: string, args: string[], io: CliIo): Promise<ExitCode> {
  let daysText: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--days') daysText = args[++i] ?? '';
    else if (arg.startsWith('--days=')) daysText = arg.slice('--days='.length);
    else {
      io.err(`Unknown option ${arg} for prune-transcripts.\n\n${USAGE}`);
      return 2;
    }
  }
  const fromEnv = io.env.TRANSCRIPT_RETENTION_DAYS;
  const days = daysText !== undefined ? parseDays(daysText) : fromEnv?.trim() ? parseDays(fromEnv) : DEFAULT_RETENTION_DAYS;
  if (days === undefined) {
    const source = daysText !== undefined ? `--days ${daysText}` : `TRANSCRIPT_RETENTION_DAYS=${fromEnv}`;
    io.err(`Invalid ${source}: give a number of days, 0 or more (e.g. --days 365).`);
    return 2;
  }
  const now = io.now?.() ?? new Date();
  const before = new Date(now.getTime() - days * DAY_MS);
  const data = await openDataDir(dir, { now: io.now });
  try {
    const count = await data.transcripts.prune(before);
    io.out(`Deleted ${count} transcript(s) with no activity since ${before.toISOString()} (${days} days).`);
    return 0;
  } finally {
    await data.close();
  }
}

/** Runs one command; returns the exit code. Errors the user can fix are printed, not thrown. */
export async function runDataCli(args: string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  const dir = dataDirFromEnv(io.env);
  if (!['check', 'repair', 'prune-transcripts'].includes(command)) {
    io.err(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  if (command !== 'prune-transcripts' && rest.length > 0) {
    io.err(`${command} takes no options (got ${rest.join(' ')}).\n\n${USAGE}`);
    return 2;
  }
  if (!(await exists(dir))) {
    io.out(`Data directory ${dir} does not exist: nothing stored yet (set DATA_DIR if the data is elsewhere).`);
    return 0;
  }
  try {
    if (command === 'check') return await check(dir, io);
    if (command === 'repair') return await repair(dir, io);
    return await pruneTranscripts(dir, rest, io);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      io.err(`Refusing to ${command}: ${error.message}`);
      return 2;
    }
    if (error instanceof CorruptDataFileError) {
      io.err(`${error.message}\nFix that first (stop the bot, run \`npm run data -- repair\`), then run ${command} again.`);
      return 2;
    }
    throw error;
  }
}

/** The answer journal's files in `dir` (see answerJournal.ts). */
async function pendingJournals(dir: string): Promise<string[]> {
  const journalDir = join(dir, JOURNAL_DIR);
  return (await listDir(journalDir)).filter((e) => e.isFile() && e.name.endsWith('.jsonl')).map((e) => join(journalDir, e.name));
}
