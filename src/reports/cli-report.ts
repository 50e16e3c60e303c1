/**
 * Compares two waves:
 *   npm run --silent report -- --base 2018 --target 2026 [--format table|md|csv|json] [--lang fi|en]
 *   npm run report -- --base 2018 --target 2026 --charts DIR [--no-png]
 * stdout carries only the report (or, with --charts, the paths written); errors go to stderr, exit 2.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { questionnaire } from '../core/questionnaire.js';
import type { SurveyResponse } from '../core/types.js';
import { openResponsesReadOnly } from '../storage/readOnly.js';
import { loadWaves } from '../waves/registry.js';
import { dataDir, runCli, UsageError, waveArg } from './cli-common.js';
import { compareWaves } from './compare.js';
import { parseDelimiter } from './csv.js';
import { toCsv, toJson } from './render-data.js';
import { toMarkdown, toTable } from './render-text.js';

const USAGE = `Usage:
  npm run --silent report -- --base <wave> --target <wave> [--format table|md|csv|json] [--lang fi|en] [--delimiter ,|;]
  npm run --silent report -- --base <wave> --target <wave> --charts <dir> [--lang fi|en] [--no-png]
Example: npm run --silent report -- --base 2018 --target 2026 --lang en
Waves: npm run wave -- list. Responses are read from DATA_DIR (default ./var).`;

const FORMATS = ['table', 'md', 'csv', 'json'] as const;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      base: { type: 'string' },
      target: { type: 'string' },
      format: { type: 'string' },
      lang: { type: 'string' },
      delimiter: { type: 'string' },
      charts: { type: 'string' },
      'no-png': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument ${positionals[0]}: options start with --.`);
  const format = values.format ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`Unknown --format ${format}: use one of ${FORMATS.join(', ')}.`);
  const lang = values.lang ?? 'fi';
  if (lang !== 'fi' && lang !== 'en') throw new UsageError(`Unknown --lang ${lang}: use fi or en.`);
  const delimiter = parseDelimiter(values.delimiter);
  if (!delimiter) throw new UsageError(`Unknown --delimiter ${values.delimiter}: use , or ; (Excel in a Finnish locale expects ;).`);

  const dir = dataDir();
  const waves = loadWaves(dir);
  const base = waveArg(waves, values.base, '--base');
  const target = waveArg(waves, values.target, '--target');
  if (base.id === target.id) throw new UsageError(`--base and --target are both ${base.id}: compare two different waves.`);

  const responsesByWave: Record<string, SurveyResponse[]> = {};
  const collected = [base, target].filter((w) => w.kind === 'collected');
  if (collected.length > 0) {
    // Read-only: safe while the bot runs and holds the data directory's lock.
    const store = await openResponsesReadOnly(dir);
    for (const w of collected) responsesByWave[w.id] = await store.list(w.id);
  }
  const comparison = compareWaves(base, target, responsesByWave, questionnaire());

  if (values.charts !== undefined) {
    // Loaded only when charts are asked for: the charting library is the slowest import here.
    const { questionChart, renderChartSvg, svgToPng } = await import('./chart.js');
    const out = path.resolve(values.charts);
    await mkdir(out, { recursive: true });
    const written: string[] = [];
    for (const q of comparison.questions) {
      const svg = renderChartSvg(questionChart(comparison, q.question)!, lang);
      const svgFile = path.join(out, `${q.question}.svg`);
      await writeFile(svgFile, svg, 'utf8');
      written.push(svgFile);
      if (!values['no-png']) {
        const pngFile = path.join(out, `${q.question}.png`);
        await writeFile(pngFile, svgToPng(svg));
        written.push(pngFile);
      }
    }
    // With --charts the paths are the output, unless a report format was asked for as well.
    const pathsTo = values.format === undefined ? process.stdout : process.stderr;
    pathsTo.write(`${written.join('\n')}\n`);
    if (values.format === undefined) return;
  }

  const render = { table: toTable, md: toMarkdown, json: toJson, csv: (c: typeof comparison, l: typeof lang) => toCsv(c, l, delimiter) }[
    format as (typeof FORMATS)[number]
  ];
  process.stdout.write(render(comparison, lang));
}

runCli(main, USAGE);
