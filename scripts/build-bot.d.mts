/** Types of `scripts/build-bot.mjs` (a plain .mjs so `npm start` needs no TypeScript loader). */

/** The project root (where package.json is). */
export const PROJECT_ROOT: string;
/** The bundle `npm start` runs: `dist/bot.cjs`. */
export const DEFAULT_BUNDLE: string;
/** Packages left out of the bundle and loaded from node_modules at run time. */
export const EXTERNAL: string[];
/** Packages replaced by a stand-in that loads the real one on first use (`eager`: exports read on load). */
export const LAZY: Record<string, { eager?: Record<string, string> }>;
/** `<bundle>.inputs.json`: the stamp of the last successful build. */
export function stampPath(outfile: string): string;
/** `<bundle>.v8-cache`: V8's compiled code of the bundle, written by the first start after a build. */
export function codeCachePath(outfile: string): string;
/** Why the bundle must be rebuilt, or undefined when it is up to date (never loads esbuild). */
export function staleReason(outfile?: string, root?: string): string | undefined;
/** Recorded inputs whose mtime or size differs from the stamp (of a bundle path, or parsed). */
export function changedInputs(stamp: string | { inputs: Record<string, [number, number] | null> }, root?: string, limit?: number): string[];
/** Builds the bundle and its stamp; resolves with the path and the build's duration. */
export function buildBot(options?: { outfile?: string; root?: string }): Promise<{ outfile: string; ms: number }>;
