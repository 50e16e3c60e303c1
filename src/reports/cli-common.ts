/** What the report and export CLIs share: DATA_DIR, usage errors, exit code 2 on any error. */
import { dataDirFromEnv } from '../storage/lowdbStore.js';
import { WaveError } from '../waves/registry.js';
import { WaveFileError } from '../waves/schema.js';
import { WAVE_ID_PATTERN, type Wave, type WaveRegistry } from '../waves/types.js';

/** A mistake in the command line: printed with the usage. */
export class UsageError extends Error {}

/** DATA_DIR (default ./var), absolute. */
export function dataDir(): string {
  return dataDirFromEnv();
}

/** A wave named on the command line, or a UsageError listing the known ones. */
export function waveArg(waves: WaveRegistry, id: string | undefined, option: string): Wave {
  if (id === undefined) throw new UsageError(`Missing ${option}: name a wave, e.g. ${option} 2026 (see \`npm run wave -- list\`).`);
  if (!WAVE_ID_PATTERN.test(id)) throw new UsageError(`${option} ${JSON.stringify(id)} is not a wave id (letters, digits, "_" or "-").`);
  const wave = waves.get(id);
  if (!wave) throw new UsageError(`No wave ${id}. Known waves: ${waves.list().map((w) => w.id).join(', ')} (DATA_DIR=${dataDir()}).`);
  return wave;
}

/** Runs a CLI: errors go to stderr with exit code 2; stdout carries only the result. */
export function runCli(main: () => Promise<void>, usage: string): void {
  main().catch((error: unknown) => {
    const parseError = error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
    if (error instanceof UsageError || parseError) {
      process.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    } else if (error instanceof WaveError || error instanceof WaveFileError || error instanceof Error) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${String(error)}\n`);
    }
    process.exitCode = 2;
  });
}
