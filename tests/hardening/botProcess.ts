/**
 * The bot as a real server process for the hardening tests: `bot/index.ts` in a child process
 * on a fixed loopback port and a temp DATA_DIR, which a test can SIGKILL and start again.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BOT_SCRIPT, botEnv, PROJECT_ROOT, spawnService, type Service } from '../../bench/load/child.js';
import type { BotHandle } from './respondents.js';

/** A port free right now on 127.0.0.1 (the bot keeps it across restarts, like a real deployment). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export class BotProcess implements BotHandle {
  service: Service | undefined;
  starts = 0;
  #up!: Promise<string>;
  #markUp!: (url: string) => void;

  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {
    this.#down();
  }

  #down(): void {
    this.#up = new Promise<string>((resolve) => (this.#markUp = resolve));
  }

  /** Resolves with the base URL while (or once) the bot is up. */
  ready(): Promise<string> {
    return this.#up;
  }

  async start(): Promise<Service> {
    this.service = await spawnService(BOT_SCRIPT, { env: botEnv(this.dataDir, this.port) });
    this.starts++;
    this.#markUp(this.service.url);
    return this.service;
  }

  /** SIGKILL: no shutdown hook runs, writes in flight are cut wherever they are. */
  async kill(): Promise<void> {
    this.#down();
    await this.service?.kill();
  }

  /** SIGTERM (a graceful stop); resolves with the exit code. */
  async stop(): Promise<number | string | undefined> {
    this.#down();
    return this.service?.stop();
  }
}

/** Runs `npm run data -- <args>` on `dataDir`; resolves with exit code and output. */
export function runDataCommand(dataDir: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'data', '--', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DOTENV_CONFIG_QUIET: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, output }));
  });
}
