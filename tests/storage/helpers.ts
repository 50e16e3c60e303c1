/** Shared helpers for the storage tests: real temp directories and child processes. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SurveyResponse } from '../../src/core/types.js';
import { openDataDir, type DataDir } from '../../src/storage/lowdbStore.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FIXTURE = fileURLToPath(new URL('./fixtures/storageChild.ts', import.meta.url));

const created: string[] = [];

/** A fresh temp directory under os.tmpdir(); removed by `removeTempDirs()`. */
export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'digikysely-storage-'));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Every file under `dir`, recursively, as absolute paths. */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Temp files steno leaves when a write is interrupted. */
export async function listTempFiles(dir: string): Promise<string[]> {
  return (await listFilesRecursive(dir)).filter((f) => /\/\.[^/]+\.tmp$/.test(f));
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the first stdout line that starts with `prefix`. */
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs tests/storage/fixtures/storageChild.ts in its own node process (via tsx). */
export function spawnStorageChild(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
  });
  let out = '';
  let err = '';
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const line of out.split('\n')) {
      for (const w of waiters.filter((w) => line.startsWith(w.prefix))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return {
    process: child,
    stderr: () => err,
    exited,
    waitFor(prefix, timeoutMs = 15_000) {
      const seen = out.split('\n').find((line) => line.startsWith(prefix));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolveLine, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child did not print "${prefix}" within ${timeoutMs} ms; stderr: ${err}`)),
          timeoutMs,
        );
        waiters.push({
          prefix,
          resolve: (line) => {
            clearTimeout(timer);
            resolveLine(line);
          },
        });
        void exited.then(() => reject(new Error(`child exited before printing "${prefix}"; stderr: ${err}`)));
      });
    },
  };
}

/** Kills the child with SIGKILL (no exit handlers run) and waits for it to be gone. */
export async function sigkill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}

const openDirs: DataDir[] = [];

/** Opens a DataDir in a fresh temp dir; `closeTempDataDirs` (in afterEach) closes and removes them. */
export async function openTemp(): Promise<DataDir> {
  const data = await openDataDir(join(await makeTempDir(), 'var'));
  openDirs.push(data);
  return data;
}

export async function closeTempDataDirs(): Promise<void> {
  await Promise.all(openDirs.splice(0).map((d) => d.close()));
  await removeTempDirs();
}

/** A small interview of wave w1 whose only answer (comments) is `raw`. */
export function commentResponse(id: string, raw: string, cursor = 1): SurveyResponse {
  const at = '2026-11-28T08:00:00.000Z';
  return {
    id,
    wave: 'w1',
    respondent: { channel: 'test', userId: `u-${id}` },
    language: 'fi',
    status: 'in_progress',
    questionnaireVersion: 1,
    startedAt: at,
    updatedAt: at,
    conversations: ['c1'],
    cursor,
    answers: { comments: { question: 'comments', raw, categories: [], confidence: 1, source: 'respondent', lang: 'fi', answeredAt: at } },
  };
}

