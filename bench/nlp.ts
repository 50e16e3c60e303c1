/**
 * Normaliser figures: `npm run bench:nlp`.
 *
 * Measures on answers the model was not trained on:
 *  - the development set `/work/shared/eval/dev.jsonl` (env `DEV_SET` overrides; skipped with a
 *    note when missing) and
 *  - the held-out files `data/heldout/<question>.jsonl` and `data/heldout/dontknow.jsonl`
 *    (every don't-know line is asked as every question; env `HELDOUT_DIR` reads another folder).
 * Per question and language: accuracy (single questions, city), micro-/macro-F1 and exact match
 * (multi), don't-know accuracy, the costliest confusions; then a calibration table, model load
 * time, throughput and p99 latency.
 *
 * Options: `--errors` lists every wrong answer of the dev set (never copy them into training
 * data) and, with `--cv`, of the cross-validation; `--json` prints the figures as JSON instead of tables; `--cv` adds a 5-fold
 * cross-validation over `data/training/` (each fold trains on a copy of `data/` without it):
 * the figure to tune against, since the held-out and dev sets must stay unseen.
 * `--no-cache` measures a model trained now instead of the cached snapshot. `bench/nlp-seeds.ts`
 * runs this once per seed (default 7-16) and prints the means.
 * `--seed=N` trains the question models with shuffling seed N (default 7): figures move by about
 * a point between seeds, so judge a change on the mean of a few (e.g. 7, 8, 9).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lang, NormaliseInput, Normaliser, QuestionId } from '../src/core/types.js';
import { createNormaliser } from '../src/normaliser/index.js';
import { DEFAULT_DATA_DIR, loadQuestionnaire } from '../src/normaliser/data.js';
import {
  calibration,
  confusions,
  expectedCalibrationError,
  percentile,
  scoreSet,
  type Outcome,
} from '../src/normaliser/metrics.js';

interface Labelled {
  question: QuestionId;
  lang: Lang;
  text: string;
  expected: string[];
}

const args = new Set(process.argv.slice(2));
const seedArg = process.argv.find((a) => a.startsWith('--seed='));
const seed = seedArg ? Number(seedArg.slice('--seed='.length)) : undefined;
if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed wants an integer (e.g. --seed=8), got "${seedArg}"`);
const questionnaire = loadQuestionnaire(DEFAULT_DATA_DIR);
const typeOf = new Map(questionnaire.questions.map((q) => [q.id, q.type]));
const asked = questionnaire.questions.filter((q) => q.type !== 'text').map((q) => q.id);

function readLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function devSet(): Labelled[] | undefined {
  const path = process.env.DEV_SET ?? '/work/shared/eval/dev.jsonl';
  if (!existsSync(path)) {
    console.log(`(dev set ${path} not found: skipped; set DEV_SET to measure on it)`);
    return undefined;
  }
  return readLines(path).map((r) => ({
    question: r.question as QuestionId,
    lang: r.lang as Lang,
    text: String(r.text),
    expected: (r.expected as string[]) ?? [],
  }));
}

function heldoutSet(): Labelled[] {
  // HELDOUT_DIR measures another held-out folder (e.g. an older copy, to compare like with like).
  const dir = process.env.HELDOUT_DIR ? pathToFileURL(`${process.env.HELDOUT_DIR.replace(/\/$/, '')}/`) : new URL('heldout/', DEFAULT_DATA_DIR);
  if (!existsSync(dir)) return [];
  const out: Labelled[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    const rows = readLines(new URL(file, dir).pathname);
    if (file === 'dontknow.jsonl') {
      for (const r of rows) for (const q of asked) out.push({ question: q, lang: r.lang as Lang, text: String(r.text), expected: [] });
      continue;
    }
    const question = file.replace(/\.jsonl$/, '') as QuestionId;
    if (!typeOf.has(question)) continue;
    for (const r of rows) out.push({ question, lang: r.lang as Lang, text: String(r.text), expected: (r.categories as string[]) ?? [] });
  }
  return out;
}

function run(normaliser: Normaliser, set: Labelled[]): Outcome[] {
  return set.map((l) => {
    const r = normaliser.normalise({ question: l.question, text: l.text });
    return { question: l.question, lang: l.lang, expected: l.expected, predicted: r.categories, confidence: r.confidence, text: l.text };
  });
}

const pct = (x: number): string => (x * 100).toFixed(1).padStart(5);

interface Row {
  question: string;
  lang: string;
  n: number;
  metric: string;
  exact: number;
  microF1?: number;
  macroF1?: number;
  dontKnow?: string;
  confusions: string;
}

function rows(outcomes: Outcome[], dkOutcomes: Outcome[]): Row[] {
  const out: Row[] = [];
  for (const q of asked) {
    for (const lang of ['fi', 'en']) {
      // Don't-know lines are scored on their own below; here only answers that name something.
      const set = outcomes.filter((o) => o.question === q && o.lang === lang && o.expected.length > 0);
      if (set.length === 0) continue;
      const multi = typeOf.get(q) === 'multi';
      const s = scoreSet(set);
      const dk = dkOutcomes.filter((o) => o.question === q && o.lang === lang);
      const dkRight = dk.filter((o) => o.predicted.length === 0).length;
      out.push({
        question: q,
        lang,
        n: set.length,
        metric: multi ? 'multi' : 'accuracy',
        exact: s.exact,
        ...(multi ? { microF1: s.microF1, macroF1: s.macroF1 } : {}),
        dontKnow: dk.length ? `${dkRight}/${dk.length}` : '',
        confusions: confusions(set, multi, 3).map((c) => `${c.pair} ×${c.count}`).join('; '),
      });
    }
  }
  return out;
}

/** Per language: single-choice accuracy, city accuracy, multi micro-F1 and exact match; don't-know accuracy. */
function summaries(outcomes: Outcome[]): Record<string, number> {
  const answered = outcomes.filter((o) => o.expected.length > 0);
  const out: Record<string, number> = {};
  for (const lang of ['fi', 'en']) {
    const of = (keep: (o: Outcome) => boolean) => scoreSet(answered.filter((o) => o.lang === lang && keep(o)));
    out[`single_${lang}`] = of((o) => typeOf.get(o.question as QuestionId) === 'single').exact;
    out[`city_${lang}`] = of((o) => o.question === 'city').exact;
    const multi = of((o) => typeOf.get(o.question as QuestionId) === 'multi');
    out[`multiF1_${lang}`] = multi.microF1;
    out[`multiExact_${lang}`] = multi.exact;
  }
  const dk = outcomes.filter((o) => o.expected.length === 0);
  out.dontKnow = dk.length ? dk.filter((o) => o.predicted.length === 0).length / dk.length : 0;
  return out;
}

function printTable(title: string, outcomes: Outcome[]): void {
  const dk = outcomes.filter((o) => o.expected.length === 0);
  console.log(`\n## ${title}`);
  console.log('question        lang    n   exact  microF1 macroF1  dontknow  costliest mistakes');
  for (const r of rows(outcomes, dk)) {
    console.log(
      `${r.question.padEnd(15)} ${r.lang.padEnd(4)} ${String(r.n).padStart(4)}  ${pct(r.exact)}  ${r.microF1 === undefined ? '     ' : pct(r.microF1)}   ${r.macroF1 === undefined ? '     ' : pct(r.macroF1)}  ${(r.dontKnow ?? '').padStart(8)}  ${r.confusions}`,
    );
  }
  const summary = (filter: (o: Outcome) => boolean) => scoreSet(outcomes.filter((o) => o.expected.length > 0 && filter(o)));
  for (const lang of ['fi', 'en']) {
    const single = summary((o) => o.lang === lang && typeOf.get(o.question as QuestionId) === 'single');
    const city = summary((o) => o.lang === lang && o.question === 'city');
    const multi = summary((o) => o.lang === lang && typeOf.get(o.question as QuestionId) === 'multi');
    const cityPart = city.n ? ` | city ${pct(city.exact)} (n ${city.n})` : '';
    console.log(
      `summary ${lang}: single accuracy ${pct(single.exact)} (n ${single.n})${cityPart} | multi micro-F1 ${pct(multi.microF1)} exact ${pct(multi.exact)} (n ${multi.n})`,
    );
  }
  const dkRight = dk.filter((o) => o.predicted.length === 0).length;
  console.log(`don't-know accuracy: ${pct(dk.length ? dkRight / dk.length : 0)} (${dkRight}/${dk.length})`);
  console.log('calibration (confidence bucket → n, mean confidence, exact-match accuracy):');
  for (const c of calibration(outcomes)) {
    if (c.n) console.log(`  ${c.from.toFixed(2)}–${c.to.toFixed(2)}  n ${String(c.n).padStart(4)}  conf ${pct(c.meanConfidence)}  acc ${pct(c.accuracy)}`);
  }
  console.log(`  expected calibration error: ${pct(expectedCalibrationError(outcomes))}`);
}

interface Timing {
  loadMs: number;
  /** Answers per wall-clock second (what a busy machine gives). */
  perSecond: number;
  /** Answers per second of this process's CPU time (one core, whatever else runs). */
  perCpuSecond: number;
  p99Ms: number;
  p50Ms: number;
}

function timing(build: () => Normaliser, inputs: NormaliseInput[]): Timing {
  const t0 = performance.now();
  const normaliser = build();
  const loadMs = performance.now() - t0;
  if (inputs.length === 0) return { loadMs, perSecond: 0, perCpuSecond: 0, p99Ms: 0, p50Ms: 0 };
  for (const input of inputs.slice(0, 500)) normaliser.normalise(input); // warm-up
  const latencies: number[] = [];
  const rounds = inputs.length ? Math.max(1, Math.ceil(10_000 / inputs.length)) : 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      const t = performance.now();
      normaliser.normalise(input);
      latencies.push(performance.now() - t);
    }
  }
  const seconds = Math.max((performance.now() - start) / 1000, 1e-9);
  const cpuSeconds = Math.max(process.cpuUsage(cpu).user / 1e6, 1e-9);
  return {
    loadMs,
    perSecond: latencies.length / seconds,
    perCpuSecond: latencies.length / cpuSeconds,
    p99Ms: percentile(latencies, 99),
    p50Ms: percentile(latencies, 50),
  };
}

/** 5-fold cross-validation over the training files, through the public API on temp copies of data/. */
function crossValidation(folds = 5): Outcome[] {
  const dataDir = DEFAULT_DATA_DIR.pathname;
  const files = readdirSync(join(dataDir, 'training')).filter((f) => f.endsWith('.jsonl'));
  const outcomes: Outcome[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const dir = mkdtempSync(join(tmpdir(), 'nlp-cv-'));
    try {
      cpSync(dataDir, dir, { recursive: true, filter: (src) => !src.includes('/heldout') && !src.includes('/training/') });
      const test: Labelled[] = [];
      for (const file of files) {
        const lines = readFileSync(join(dataDir, 'training', file), 'utf8').split('\n').filter((l) => l.trim());
        const keep = lines.filter((_, i) => i % folds !== fold);
        writeFileSync(join(dir, 'training', file), `${keep.join('\n')}\n`);
        const question = file.replace(/\.jsonl$/, '');
        for (const line of lines.filter((_, i) => i % folds === fold)) {
          const r = JSON.parse(line) as Record<string, unknown>;
          const targets = question === 'dontknow' ? asked : [question as QuestionId];
          for (const q of targets) test.push({ question: q, lang: r.lang as Lang, text: String(r.text), expected: question === 'dontknow' ? [] : ((r.categories as string[]) ?? []) });
        }
      }
      outcomes.push(...run(createNormaliser({ dataDir: pathToFileURL(`${dir}/`), cacheDir: false, seed }), test));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return outcomes;
}

/** Every wrong answer of a set, one a line. */
function printErrors(title: string, outcomes: Outcome[]): void {
  console.log(`\n## ${title}`);
  for (const o of outcomes) {
    const ok = o.expected.length === o.predicted.length && o.expected.every((c) => o.predicted.includes(c));
    if (!ok) console.log(`${o.question} ${o.lang} want ${o.expected.join('+') || '∅'} got ${o.predicted.join('+') || '∅'} (${o.confidence}) | ${o.text}`);
  }
}

function main(): void {
  // Training from scratch (what a start after a data change costs), then from the snapshot.
  const cold = timing(() => createNormaliser({ cacheDir: false, seed }), []);
  // --no-cache: the figures come from a model trained now, never from a snapshot (an experiment
  // switched by an environment variable leaves the snapshot key unchanged).
  const normaliser = createNormaliser({ seed, ...(args.has('--no-cache') ? { cacheDir: false as const } : {}) });
  const dev = devSet();
  const heldout = heldoutSet();
  const devOutcomes = dev ? run(normaliser, dev) : [];
  const heldoutOutcomes = run(normaliser, heldout);
  const inputs = [...(dev ?? []), ...heldout].map((l) => ({ question: l.question, text: l.text }));
  const speed = timing(() => createNormaliser({ seed }), inputs);

  if (args.has('--json')) {
    const dkOf = (o: Outcome[]) => o.filter((x) => x.expected.length === 0);
    const figures = {
      dev: dev ? rows(devOutcomes, dkOf(devOutcomes)) : null,
      heldout: rows(heldoutOutcomes, dkOf(heldoutOutcomes)),
      summary: { dev: dev ? summaries(devOutcomes) : null, heldout: summaries(heldoutOutcomes) },
      calibration: calibration([...devOutcomes, ...heldoutOutcomes]),
      speed: { ...speed, trainMs: cold.loadMs },
    };
    console.log(JSON.stringify(figures, null, 2));
    return;
  }
  if (args.has('--cv')) {
    const cv = crossValidation();
    printTable('5-fold cross-validation on data/training', cv);
    // Training lines are the project's own: reading their mistakes is how to improve them.
    if (args.has('--errors')) printErrors('cross-validation errors', cv);
  }
  if (dev) printTable(`dev set (${dev.length} answers)`, devOutcomes);
  if (heldout.length) printTable(`held-out (${heldout.length} answers incl. don't-know × ${asked.length} questions)`, heldoutOutcomes);
  else console.log('(no data/heldout/: skipped)');
  console.log('\n## speed');
  console.log(`model build: training from data/ ${cold.loadMs.toFixed(0)} ms; loading the cached snapshot ${speed.loadMs.toFixed(0)} ms (wall clock)`);
  console.log(
    `throughput: ${speed.perSecond.toFixed(0)} answers/s wall clock, ${speed.perCpuSecond.toFixed(0)} per CPU-second (one core); latency p50 ${speed.p50Ms.toFixed(3)} ms, p99 ${speed.p99Ms.toFixed(3)} ms`,
  );
  console.log(`(machine load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores: wall-clock figures suffer when other work runs)`);
  if (args.has('--errors') && dev) printErrors('dev errors', devOutcomes);
}

main();
