/**
 * Runs a bot as a child process, so that its memory and CPU are its own and it can be killed
 * like a real server. Spawns `node --import tsx <script>` directly (not the `tsx` CLI, which
 * would put a wrapper process in between: a SIGKILL would hit the wrapper and orphan the bot).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where package.json is). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The bot's entry point (`npm start`) and the benchmark's echo bot. */
export const BOT_SCRIPT = join(PROJECT_ROOT, 'bot', 'index.ts');
/** A bot child's environment: loopback, no Bot Framework app id, the given DATA_DIR and port (0: any). */
export function botEnv(dataDir: string, port: number | string = 0): NodeJS.ProcessEnv {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppType: '',
    MicrosoftAppTenantId: '',
  };
}

export const ECHO_SCRIPT = join(PROJECT_ROOT, 'bench', 'load', 'echo-bot.ts');

export interface Service {
  child: ChildProcess;
  pid: number;
  /** Base URL read from the "listening on http://…" line. */
  url: string;
  /** The whole line that announced it (the bot's includes "ready in N ms"). */
  readyLine: string;
  /** Everything written to stdout and stderr so far (capped), for error messages. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once exited. */
  stop(graceMs?: number): Promise<number | string>;
  /** SIGKILL now; resolves once exited. */
  kill(): Promise<number | string>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Give up waiting for the "listening on" line after this long (default 60 s). */
  startTimeoutMs?: number;
  /** Extra node flags (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

const MAX_OUTPUT = 64 * 1024;

/** The child ended (or hung) before it listened: its exit code and what it printed. */
export class ServiceStartError extends Error {
  constructor(
    readonly script: string,
    readonly exitCode: number | string | undefined,
    readonly output: string,
  ) {
    super(
      exitCode === undefined
        ? `${script} did not print "listening on" in time. Output:\n${output}`
        : `${script} exited (${exitCode}) before listening. Output:\n${output}`,
    );
    this.name = 'ServiceStartError';
  }
}

/**
 * Starts `script` and resolves once it prints `listening on http://…`; rejects (with its output)
 * if it exits first or does not get there in time.
 */
export function spawnService(script: string, options: SpawnOptions = {}): Promise<Service> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
  };
  const exited = new Promise<number | string>((done) => {
    // 'close', not 'exit': by then stdout and stderr are complete.
    child.once('close', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
  const kill = async (): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  };
  const stop = async (graceMs = 5000): Promise<number | string> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  return new Promise<Service>((resolveService, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      void kill();
      reject(new ServiceStartError(script, undefined, output));
    }, options.startTimeoutMs ?? 60_000);
    child.stderr?.on('data', append);
    child.stdout?.on('data', (chunk: Buffer) => {
      append(chunk);
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => /listening on https?:\/\//.test(l));
      if (line === undefined) return;
      buffered = '';
      clearTimeout(timer);
      const url = /listening on (https?:\/\/[^\s,;]+)/.exec(line)?.[1] as string;
      resolveService({ child, pid: child.pid as number, url, readyLine: line.trim(), output: () => output, exited, stop, kill });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new ServiceStartError(script, code, output));
    });
  });
}
