/**
 * Training off the bot's thread. Training the normaliser takes 1–2 s of CPU; done inside the bot
 * (the review page's "retrain") it would hold every respondent's turn for that long. A worker
 * thread trains and fills the model cache; the bot then builds its normaliser from the cache
 * (~0.2 s). The worker runs the TypeScript sources through tsx, a dependency of the project, so
 * it works the same under `npm start` (bundle) and `npm run start:dev`.
 */
import { Worker } from 'node:worker_threads';
import type { Normaliser } from '../core/types.js';
import type { TrainingExample } from './training.js';

export interface TrainInWorkerOptions {
  /** The model cache the worker fills (default: the normaliser's own default). */
  cacheDir?: string;
  /** Gives up after this long (default 5 minutes). */
  timeoutMs?: number;
  /** The worker's script (default: trainWorkerBoot.mjs beside this file; tests pass a broken one). */
  entry?: URL;
}

/** Resolves once a worker has trained with `examples` and saved the models in the cache. */
export function trainInWorker(examples: TrainingExample[], options: TrainInWorkerOptions = {}): Promise<{ ms: number }> {
  // A plain .mjs bootstrap that loads the TypeScript entry through tsx (trainWorkerBoot.mjs).
  const worker = new Worker(options.entry ?? new URL('./trainWorkerBoot.mjs', import.meta.url), {
    workerData: { examples, cacheDir: options.cacheDir },
    stdout: false,
    stderr: false,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`Training in a worker took longer than ${Math.round((options.timeoutMs ?? 300_000) / 1000)} s; stopped it.`));
    }, options.timeoutMs ?? 300_000);
    worker.once('message', (message: { ok: boolean; ms?: number; error?: string }) => {
      clearTimeout(timer);
      if (message.ok) resolve({ ms: message.ms ?? 0 });
      else reject(new Error(`Training in a worker failed: ${message.error}`));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The training worker exited (code ${code}) before it reported.`));
    });
  });
}

/**
 * A normaliser factory for `retrainableNormaliser` that trains in a worker first, then builds
 * from the cache. When the worker cannot run (it reports why through `warn`), it trains here, as
 * before: slower turns for a moment, but the retrain still happens.
 */
export function offThreadBuild(
  build: (examples: TrainingExample[]) => Normaliser,
  options: TrainInWorkerOptions & { warn?: (message: string) => void; info?: (message: string) => void } = {},
): (examples: TrainingExample[]) => Promise<Normaliser> {
  return async (examples) => {
    try {
      const { ms } = await trainInWorker(examples, options);
      options.info?.(`[retrain] trained in a worker thread in ${Math.round(ms)} ms; loading the new model from the cache.`);
    } catch (error) {
      (options.warn ?? console.warn)(`[retrain] ${error instanceof Error ? error.message : String(error)}; training in the bot's own thread.`);
    }
    return build(examples);
  };
}
