/**
 * `npm start`: runs the bot on the embedded default (lowdb files under DATA_DIR, no cloud
 * account). Settings come from the environment (see README.md).
 */
import { createNormaliser } from '../src/normaliser/index.js';
import { retrainableNormaliser } from '../src/review/retrainable.js';
import { offThreadBuild } from '../src/review/trainInWorker.js';
import { staffExamples } from '../src/review/training.js';
import { createApp } from './app.js';
import { configFromEnv } from './config.js';

// An error nothing caught stops the bot as Node would, with its message on the first line and
// then its stack: Node's own report starts with the source line, which in the bundle is thousands
// of characters of minified code. This is also how a lost DATA_DIR lock stops the bot (storage
// throws a message that names the directory and says what to do).
process.on('uncaughtException', (error) => {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error && error.stack ? `\n${error.stack}` : '';
  console.error(`Digikysely stops: ${message}${stack}`);
  process.exit(1);
});

async function main(): Promise<void> {
  const started = performance.now();
  const env = configFromEnv();
  // The normaliser learns from the project's data/ plus staff recodes (DATA_DIR/training/).
  const { examples, skippedLines } = await staffExamples(env.dataDir);
  if (skippedLines.length) console.warn(`Staff examples: skipped unreadable lines ${skippedLines.join(', ')}`);
  // The first build serves the first turn (usually loaded from the model cache); later rebuilds
  // (staff "retrain") train in a worker thread so respondents' turns do not wait for them.
  const build = (extra: typeof examples) => createNormaliser({ extraExamples: extra });
  const live = retrainableNormaliser(offThreadBuild(build, { info: (m) => console.log(m) }), examples, build(examples));
  const app = await createApp({ ...env, normaliser: live.normaliser, retrain: live.retrain });
  const url = await app.listen();
  const wave = app.waves.openWave();
  console.log(
    `Digikysely listening on ${url} (POST /api/messages, GET /healthz); data in ${app.data.dir}; ` +
      `open wave: ${wave ? wave.id : 'none'}; bot authentication ${env.authEnabled ? 'on' : 'off (local use)'}; ` +
      // performance.now() counts from the process's start: module loading is in the second figure.
      `ready in ${Math.round(performance.now() - started)} ms (${Math.round(performance.now())} ms after the process started)`,
  );
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`Digikysely could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
