/**
 * Normaliser figures averaged over training seeds: `npx tsx bench/nlp-seeds.ts [--seeds=7-16]`.
 *
 * One seed moves a language's held-out multi-label micro-F1 by about ±0.4 (sd), so a change is
 * judged on the mean of ten seeds (7-16), never on one. Runs `bench/nlp.ts --json --seed=N` once
 * per seed, one after another (each trains from scratch: no snapshot cache, so an experiment
 * switched by an environment variable never meets a model trained without it), and prints the
 * held-out and dev means plus each multi-label cell's micro-F1 and exact match with its per-seed
 * spread. Figures only: it never prints an answer of the held-out or dev sets.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Row {
  question: string;
  lang: string;
  metric: string;
  microF1?: number;
  exact?: number;
}
interface Figures {
  heldout: Row[];
  summary: { heldout: Record<string, number>; dev: Record<string, number> | null };
}

/** Parses `--seeds=7-16` or `--seeds=7,9,11` (default 7-16). */
export function parseSeeds(arg: string | undefined): number[] {
  const spec = arg?.slice('--seeds='.length) ?? '7-16';
  const range = /^(\d+)-(\d+)$/.exec(spec);
  const seeds = range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i) : spec.split(',').map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s))) throw new Error(`--seeds wants a range or a list (--seeds=7-16, --seeds=7,8,9), got "${spec}"`);
  return seeds;
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const pct = (v: number[]): string => (mean(v) * 100).toFixed(2);

function main(): void {
  const seeds = parseSeeds(process.argv.find((a) => a.startsWith('--seeds=')));
  const script = fileURLToPath(new URL('nlp.ts', import.meta.url));
  const runs: Figures[] = seeds.map((seed) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--json', `--seed=${seed}`, '--no-cache'], {
      encoding: 'utf8',
      env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out.slice(out.indexOf('{'))) as Figures;
  });
  const line = (pick: (f: Figures) => Record<string, number> | null): string => {
    const first = pick(runs[0] as Figures);
    if (!first) return '(not measured)';
    return Object.keys(first)
      .map((k) => `${k} ${pct(runs.map((r) => pick(r)?.[k] ?? Number.NaN))}`)
      .join('  ');
  };
  console.log(`seeds ${seeds.join(',')}`);
  console.log(`HELDOUT ${line((f) => f.summary.heldout)}`);
  console.log(`DEV     ${line((f) => f.summary.dev)}`);
  const cells = (runs[0] as Figures).heldout.filter((r) => r.metric === 'multi').map((r) => `${r.question} ${r.lang}`);
  for (const cell of cells) {
    const rows = runs.map((f) => f.heldout.find((r) => `${r.question} ${r.lang}` === cell && r.metric === 'multi') as Row);
    const f1 = rows.map((r) => r.microF1 ?? Number.NaN);
    console.log(`  ${cell.padEnd(15)} F1 ${pct(f1)}  exact ${pct(rows.map((r) => r.exact ?? Number.NaN))}   per-seed F1 ${f1.map((v) => (v * 100).toFixed(1)).join(' ')}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
