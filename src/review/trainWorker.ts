/**
 * Worker-thread entry of `trainInWorker`: builds the normaliser with the staff examples it is
 * given, which trains its models and saves them in the model cache, and reports back. The bot's
 * own thread then loads the same models from the cache in a fraction of the time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createNormaliser } from '../normaliser/index.js';
import type { TrainingExample } from './training.js';

interface Task {
  examples: TrainingExample[];
  cacheDir?: string;
}

const task = workerData as Task;
try {
  const started = performance.now();
  createNormaliser({ extraExamples: task.examples, ...(task.cacheDir ? { cacheDir: task.cacheDir } : {}) });
  parentPort?.postMessage({ ok: true, ms: Math.round(performance.now() - started) });
} catch (error) {
  parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
