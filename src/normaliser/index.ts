/**
 * The normaliser's public face: `createNormaliser()` for the interview and the CLI,
 * `detectLanguage()` and `isDontKnow()` for the dialog.
 */
import type { Normaliser } from '../core/types.js';
import { buildNormaliser, type NormaliserOptions } from './normaliser.js';

export type { Example } from './data.js';
export type { NormaliserOptions } from './normaliser.js';
export { buildNormaliser } from './normaliser.js';
export { detectLanguage } from './language.js';
export { isDontKnow } from './dont-know.js';

/**
 * Builds the normaliser from the project's `data/` (training files, cue lexicons,
 * municipalities) plus `options.extraExamples` (staff recodes). Synchronous; `await` works too.
 */
export function createNormaliser(options: NormaliserOptions = {}): Normaliser {
  return buildNormaliser(options);
}
