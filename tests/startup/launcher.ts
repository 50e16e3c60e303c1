/**
 * The bot started as `npm start` starts it (`node scripts/build-start.mjs`, without npm's own
 * wrapper processes), on 127.0.0.1, port 0 and a given DATA_DIR and bundle path.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/build-bot.mjs';

export interface LaunchedBot {
  /** Base URL from the "listening on" line. */
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Starts the launcher with `env` on top of an open-local-mode environment. */
export function launchBot(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<LaunchedBot> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-start.mjs')], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      MicrosoftAppType: '',
      MicrosoftAppTenantId: '',
      DOTENV_CONFIG_QUIET: 'true',
      ...env,
    },
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise<LaunchedBot>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`The bot did not print "listening on" within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /listening on (http:\/\/[^\s,;]+)/.exec(output)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({ url, output: () => output, stop });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The bot exited before it listened. Output:\n${output}`));
    });
  });
}
