/**
 * Exports a wave's responses for analysts:
 *   npm run --silent export -- --wave 2026 [--format csv|json] [--delimiter ,|;] [--out FILE]
 * CSV is UTF-8 with a BOM (Excel shows ä and ö); JSON is an array of the responses. Without --out
 * the export goes to stdout; errors go to stderr with exit code 2.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openResponsesReadOnly } from '../storage/readOnly.js';
import { loadWaves } from '../waves/registry.js';
import { dataDir, runCli, UsageError, waveArg } from './cli-common.js';
import { parseDelimiter } from './csv.js';
import { exportResponses } from './export.js';

const USAGE = `Usage:
  npm run --silent export -- --wave <wave> [--format csv|json] [--delimiter ,|;] [--out FILE]
Example: npm run --silent export -- --wave 2026 --format csv > digikysely-2026.csv
Responses are read from DATA_DIR (default ./var); every response of the wave is exported, with
columns saying which one counts for its city.`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      wave: { type: 'string' },
      format: { type: 'string' },
      delimiter: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument ${positionals[0]}: options start with --.`);
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`Unknown --format ${format}: use csv or json.`);
  const delimiter = parseDelimiter(values.delimiter);
  if (!delimiter) throw new UsageError(`Unknown --delimiter ${values.delimiter}: use , or ; (Excel in a Finnish locale expects ;).`);
  const dir = dataDir();
  const wave = waveArg(loadWaves(dir), values.wave, '--wave');
  if (wave.kind === 'baseline') {
    throw new UsageError(`Wave ${wave.id} holds published figures only: there are no responses to export. Compare it with \`npm run report -- --base ${wave.id} --target <wave>\`.`);
  }
  const store = await openResponsesReadOnly(dir);
  const body = exportResponses(await store.list(wave.id), format, { delimiter });
  if (values.out !== undefined) {
    const file = path.resolve(values.out);
    await writeFile(file, body, 'utf8');
    process.stdout.write(`${file}\n`);
  } else {
    process.stdout.write(body);
  }
}

runCli(main, USAGE);
