import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNormaliser } from '../../src/normaliser/index.js';
import { offThreadBuild, trainInWorker } from '../../src/review/trainInWorker.js';
import type { TrainingExample } from '../../src/review/training.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'digikysely-train-'));
  dirs.push(dir);
  return dir;
}

// A staff recode the project's data would not teach: an invented word for robots in production.
const recode: TrainingExample[] = [
  { question: 'rpa', text: 'meillä hurisee jo kuusi zorblaattoria laskutuksessa', lang: 'fi', categories: ['in_production'] },
];

describe('training in a worker thread', () => {
  it('trains with the staff examples and fills the model cache while the bot’s thread keeps running', async () => {
    const dir = await cacheDir();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    try {
      const { ms } = await trainInWorker(recode, { cacheDir: dir });
      expect(ms).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
    }
    // Training takes seconds of CPU; the event loop here went on ticking meanwhile.
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect((await readdir(dir)).some((f) => f.startsWith('model-'))).toBe(true);

    // The models the worker saved are the ones this thread now loads: same answers as training here.
    const fromCache = createNormaliser({ extraExamples: recode, cacheDir: dir });
    const trainedHere = createNormaliser({ extraExamples: recode, cacheDir: false });
    const input = { question: 'rpa' as const, text: 'kuusi zorblaattoria hurisee laskutuksessa' };
    expect(fromCache.normalise(input)).toEqual(trainedHere.normalise(input));
  }, 120_000);

  it('falls back to training in this thread, saying why, when the worker fails', async () => {
    const warnings: string[] = [];
    const build = offThreadBuild((examples) => createNormaliser({ extraExamples: examples, cacheDir: false }), {
      entry: new URL('./no-such-worker.mjs', import.meta.url),
      warn: (m) => warnings.push(m),
    });
    const normaliser = await build(recode);
    expect(warnings.join('\n')).toMatch(/\[retrain\].*own thread/);
    expect(normaliser.normalise({ question: 'rpa', text: 'ei ole harkittu' }).categories).toBeDefined();
  }, 120_000);
});
