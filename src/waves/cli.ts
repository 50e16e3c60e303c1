/**
 * Staff CLI for waves:
 *   npm run wave -- list
 *   npm run wave -- open 2026 [--title-fi "Digikysely 2026"] [--title-en "..."] [--start 2026-11-01]
 *   npm run wave -- close 2026
 * Changes go to `${DATA_DIR}/waves.json` (DATA_DIR defaults to ./var); data/waves.json is never written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadWaves, WaveError } from './registry.js';
import { WaveFileError } from './schema.js';
import type { Wave } from './types.js';

const USAGE = `Usage:
  npm run wave -- list
  npm run wave -- open <id> [--title-fi TEXT] [--title-en TEXT] [--start YYYY-MM-DD]
  npm run wave -- close <id>
Opening a wave closes the one open before. DATA_DIR (default ./var) holds staff changes.`;

class UsageError extends Error {}

function currentQuestionnaireVersion(): number | undefined {
  try {
    const file = fileURLToPath(new URL('../../data/questionnaire.json', import.meta.url));
    const v = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

function formatList(waves: Wave[]): string {
  const rows = [
    ['id', 'status', 'kind', 'fieldwork', 'q.version', 'title (fi)', 'title (en)'],
    ...waves.map((w) => [
      w.id,
      w.status,
      w.kind,
      `${w.fieldwork.start ?? '?'} – ${w.fieldwork.end ?? ''}`,
      `v${w.questionnaireVersion}`,
      w.title.fi,
      w.title.en,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'title-fi': { type: 'string' },
      'title-en': { type: 'string' },
      start: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, id, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`Unexpected arguments: ${rest.join(' ')}. Quote titles that contain spaces.`);
  const dataDir = path.resolve(process.env.DATA_DIR ?? './var');
  const waves = loadWaves(dataDir);
  switch (command) {
    case 'list':
    case undefined:
      process.stdout.write(`${formatList(waves.list())}\n`);
      return;
    case 'open': {
      if (!id) throw new UsageError('Say which wave to open, e.g. `npm run wave -- open 2026`.');
      const before = waves.openWave();
      const wave = await waves.open(id, {
        titleFi: values['title-fi'],
        titleEn: values['title-en'],
        start: values.start,
        questionnaireVersion: waves.get(id) ? undefined : currentQuestionnaireVersion(),
      });
      if (before && before.id !== wave.id) process.stdout.write(`Closed wave ${before.id}.\n`);
      process.stdout.write(`Wave ${wave.id} is open (${wave.title.fi} / ${wave.title.en}, from ${wave.fieldwork.start}).\n`);
      return;
    }
    case 'close': {
      if (!id) throw new UsageError('Say which wave to close, e.g. `npm run wave -- close 2026`.');
      const wasOpen = waves.get(id)?.status === 'open';
      const wave = await waves.close(id);
      process.stdout.write(wasOpen ? `Wave ${wave.id} is closed (fieldwork ended ${wave.fieldwork.end}).\n` : `Wave ${wave.id} was already closed; nothing changed.\n`);
      return;
    }
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}.`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else if (error instanceof WaveError || error instanceof WaveFileError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(`wave: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  }
  process.exitCode = 2;
});
