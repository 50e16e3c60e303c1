/**
 * A normaliser that can be rebuilt while the bot runs: the dialogs keep one object whose
 * `normalise` always calls the latest build, and the review page's "retrain" swaps the build.
 * The normaliser itself is injected as a factory, so this file depends on no implementation.
 *
 * Wiring (bot/):
 *   const { examples } = await staffExamples(dataDir);
 *   const live = retrainableNormaliser((extra) => createNormaliser({ extraExamples: extra }), examples);
 *   createApp({ ..., normaliser: live.normaliser });
 *   registerReviewRoutes(server, { ..., retrain: live.retrain });
 */
import type { Normaliser } from '../core/types.js';
import type { RetrainFn, TrainingExample } from './training.js';

export interface RetrainableNormaliser {
  /** Hand this to the dialogs: it always uses the latest build. */
  normaliser: Normaliser;
  /** Rebuilds with these staff examples; the old build serves until the new one is ready. */
  retrain: RetrainFn;
  /** How many staff examples the current build has. */
  examples(): number;
}

/** Wraps `build` so the normaliser can be rebuilt with new staff examples at run time. */
export function retrainableNormaliser(
  build: (extraExamples: TrainingExample[]) => Normaliser | Promise<Normaliser>,
  initial: TrainingExample[],
  initialBuild?: Normaliser,
): RetrainableNormaliser {
  let current: Normaliser | undefined = initialBuild;
  let count = initial.length;
  let pending: Promise<void> = Promise.resolve();
  const ready = initialBuild
    ? Promise.resolve()
    : Promise.resolve(build(initial)).then((n) => {
        current = n;
      });
  return {
    normaliser: {
      normalise(input) {
        if (!current) throw new Error('The normaliser is still being built; await the first build before serving turns.');
        return current.normalise(input);
      },
    },
    retrain(examples) {
      // One rebuild at a time; a failed rebuild keeps the previous normaliser and reports why.
      const run = async () => {
        await ready;
        const next = await build(examples);
        current = next;
        count = examples.length;
      };
      const result = pending.then(run, run);
      pending = result.catch(() => undefined);
      return result;
    },
    examples: () => count,
  };
}
