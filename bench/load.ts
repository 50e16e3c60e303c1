/**
 * `npm run bench:load [-- --respondents N --seed N --rounds N --seconds S --ramp-seconds S --quick --from-source --cpu-prof DIR]`
 *
 * Virtual respondents (default 50 at once) run whole interviews in Finnish and English over
 * `POST /api/messages`, as Bot Framework channels post them, with a loopback serviceUrl, back to
 * back; each round measures a steady-state window after a ramp (see measureRound). Three bots,
 * each a child process on 127.0.0.1:
 *   1. a bare botbuilder CloudAdapter + restify echo bot (bench/load/echo-bot.ts): the reference;
 *   2. the Digikysely bot as `npm start` runs it (the bundle `dist/bot.cjs`, built first when
 *      stale; `--from-source` runs `bot/index.ts` through tsx) on an empty temp DATA_DIR;
 *   3. the Digikysely bot with N interviews (default 10,000) already stored.
 * Prints a table (turns/s, p50/p95/p99 turn latency, errors, peak RSS, CPU per turn, and the
 * ratios to the echo bot) and one JSON line. Goals: throughput ≥ 0.8× the echo bot's and
 * p50 ≤ 1.3×, with and without stored interviews. Exit code 1 when any turn failed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLoadChannel } from './load/channel.js';
import { buildBot, DEFAULT_BUNDLE, staleReason } from '../scripts/build-bot.mjs';
import { BOT_SCRIPT, botEnv, ECHO_SCRIPT, spawnService, type Service } from './load/child.js';
import { measureRound, summarise, warmUp, type Round, type RunResult, type Target } from './load/measure.js';
import { monotonicUs, summariseProfiles, type Window } from './load/profile.js';
import { seedDataDir, type SeedReport } from './load/seed.js';
import { runBenchmark } from './run.js';

const GOALS = { throughputAtLeast: 0.8, p50AtMost: 1.3 };

interface Options {
  /** Run the bot from its TypeScript sources (tsx) instead of the bundle `npm start` runs. */
  fromSource: boolean;
  respondents: number;
  seed: number;
  rounds: number;
  seconds: number;
  rampSeconds: number;
  warmup: number;
  cpuProfDir?: string;
}

const USAGE = `Usage: npm run bench:load -- [options]
  --respondents N   virtual respondents at once (default 50)
  --seed N          interviews stored for the third bot (default 10000; 0 skips it)
  --rounds N        measured rounds per bot, alternating between the bots (default 3)
  --seconds S       measured window of each round (default 10)
  --ramp-seconds S  unmeasured start of each round: respondents start over its first second
                    and settle into steady state (default 3)
  --warmup N        respondents of the unmeasured warm-up of each bot (default 10)
  --quick           a short run: 10 respondents, 1,000 stored, 1 round of 2 + 5 s, warm-up 4
  --from-source     run the bot from bot/index.ts through tsx instead of dist/bot.cjs, the bundle
                    \`npm start\` runs (built first when stale)
  --cpu-prof DIR    write V8 CPU profiles of every bot (echo too, to compare) into DIR and summarise
                    them (implies --from-source: the summary names project files)`;

function parseArgs(argv: string[]): Options {
  const options: Options = { fromSource: false, respondents: 50, seed: 10_000, rounds: 3, seconds: 10, rampSeconds: 3, warmup: 10 };
  const count = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min) {
      throw new Error(`${name} needs a whole number ≥ ${min} (got ${value ?? 'nothing'}).\n\n${USAGE}`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--respondents') options.respondents = count(arg, argv[++i], 1);
    else if (arg === '--seed') options.seed = count(arg, argv[++i], 0);
    else if (arg === '--rounds') options.rounds = count(arg, argv[++i], 1);
    else if (arg === '--seconds') options.seconds = count(arg, argv[++i], 1);
    else if (arg === '--ramp-seconds') options.rampSeconds = count(arg, argv[++i], 1);
    else if (arg === '--warmup') options.warmup = count(arg, argv[++i], 0);
    else if (arg === '--from-source') options.fromSource = true;
    else if (arg === '--quick') Object.assign(options, { respondents: 10, seed: 1000, rounds: 1, seconds: 5, rampSeconds: 2, warmup: 4 });
    else if (arg === '--cpu-prof') {
      const dir = argv[++i];
      if (!dir) throw new Error(`--cpu-prof needs a directory.\n\n${USAGE}`);
      options.cpuProfDir = resolve(dir);
      options.fromSource = true;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`Unknown option ${arg}.\n\n${USAGE}`);
  }
  return options;
}

const fmt = (value: number | undefined, digits = 1): string => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 || Number.isNaN(a) || Number.isNaN(b) ? undefined : a / b;
}

function printTable(echo: RunResult, runs: RunResult[]): void {
  const columns = [echo, ...runs];
  const rows: [string, (r: RunResult) => number | undefined, number][] = [
    ['turns/s', (r) => r.turnsPerSecond, 1],
    ['p50 turn ms', (r) => r.p50Ms, 1],
    ['p95 turn ms', (r) => r.p95Ms, 1],
    ['p99 turn ms', (r) => r.p99Ms, 1],
    ['peak RSS MB', (r) => r.peakRssMb, 0],
    ['CPU ms/turn', (r) => r.cpuMsPerTurn, 2],
    ['  of which system', (r) => r.systemCpuMsPerTurn, 2],
    ['replies/turn', (r) => r.repliesPerTurn, 2],
  ];
  const header = ['', ...columns.flatMap((c, i) => (i === 0 ? [c.label] : [c.label, '× echo']))];
  const lines = rows.map(([name, get, digits]) => [
    name,
    ...columns.flatMap((c, i) => {
      if (i === 0) return [fmt(get(c), digits)];
      const r = ratio(get(c), get(echo));
      return [fmt(get(c), digits), r === undefined ? '' : `${r.toFixed(2)}×`];
    }),
  ]);
  const counts: [string, (r: RunResult) => string][] = [
    ['errors', (r) => String(r.errors.total)],
    ['turns', (r) => String(r.turns)],
    ['interviews done', (r) => String(r.interviewsCompleted)],
  ];
  for (const [name, get] of counts) lines.push([name, ...columns.flatMap((c, i) => (i === 0 ? [get(c)] : [get(c), '']))]);
  const widths = header.map((_, i) => Math.max(...[header, ...lines].map((l) => (l[i] ?? '').length)));
  const show = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(show(header));
  for (const line of lines) console.log(show(line));
  // Rounds alternate between the bots, so a process still warming up (JIT, caches) shows as a
  // trend down one column while the others stay flat.
  console.log('');
  console.log('per round (turns/s, CPU ms/turn):');
  for (let k = 0; k < echo.perRound.length; k++) {
    const cells = columns.map((c) => {
      const r = c.perRound[k];
      return `${c.label} ${fmt(r?.turnsPerSecond)} ${fmt(r?.cpuMsPerTurn, 2)}`;
    });
    console.log(`  round ${k + 1}: ${cells.join('  |  ')}`);
  }
}

async function stopOrExplain(service: Service): Promise<void> {
  const code = await service.stop(10_000);
  if (code !== 0 && code !== 'SIGTERM') console.error(`(${service.readyLine}: exited with ${code}; last output:\n${service.output().slice(-2000)})`);
}

const readyIn = (line: string): string => /ready in \d+ ms/.exec(line)?.[0] ?? line;

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  // Stops by itself even if a child hangs: every round at its limit, seeding and start-ups.
  const watchdog = setTimeout(() => {
    console.error('bench:load: hard time limit reached; stopping.');
    process.exit(2);
  }, ((options.rampSeconds + options.seconds + 30) * options.rounds * 3 + 300) * 1000);
  watchdog.unref();

  const work = await mkdtemp(join(tmpdir(), 'digikysely-load-'));
  const services: Service[] = [];
  const channel = await startLoadChannel();
  try {
    console.log(
      `bench:load: ${options.respondents} respondents at once, whole interviews back to back (13 turns, fi/en), ` +
        `${options.rounds} round(s) per bot of ${options.rampSeconds} s ramp + ${options.seconds} s measured, warm-up ${options.warmup}`,
    );
    const nodeArgs = (label: string) =>
      // One directory per bot: the tsx loader thread writes a profile of its own beside the main one.
      options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, label)}`] : [];
    const start = async (label: string, script: string, env: NodeJS.ProcessEnv, checkQuestions: boolean): Promise<Target> => {
      const service = await spawnService(script, { env, nodeArgs: nodeArgs(label) });
      services.push(service);
      return { label, service, checkQuestions };
    };

    // What is measured is what `npm start` runs: the bundle (one file, built like npm start builds
    // it), unless asked for the sources.
    let botScript = BOT_SCRIPT;
    if (!options.fromSource) {
      const stale = staleReason();
      if (stale) console.log(`  built dist/bot.cjs in ${(await buildBot()).ms} ms (${stale})`);
      botScript = DEFAULT_BUNDLE;
    }
    console.log(`  ours runs ${botScript === BOT_SCRIPT ? 'bot/index.ts (sources, through tsx)' : 'dist/bot.cjs (the bundle npm start runs)'}`);
    const targets: Target[] = [
      await start('echo bot', ECHO_SCRIPT, { PORT: '0' }, false),
      await start('ours', botScript, botEnv(join(work, 'empty')), true),
    ];
    console.log(`  ours (empty DATA_DIR): ${readyIn(targets[1]?.service.readyLine ?? '')}`);
    let seed: SeedReport | undefined;
    if (options.seed > 0) {
      const dir = join(work, 'seeded');
      seed = await seedDataDir(dir, options.seed);
      console.log(`  seeded ${seed.interviews} interviews (${seed.files} files) in ${seed.ms} ms`);
      targets.push(await start(`ours+${options.seed}`, botScript, botEnv(dir), true));
      console.log(`  ours (${options.seed} stored): ${readyIn(targets[2]?.service.readyLine ?? '')}`);
    }

    const warmups = [];
    for (const target of targets) warmups.push(await warmUp(target, channel, options.warmup));
    const rounds: Round[][] = targets.map(() => []);
    const windows: Record<string, Window[]> = {};
    for (let round = 1; round <= options.rounds; round++) {
      for (const [i, target] of targets.entries()) {
        const fromUs = monotonicUs();
        rounds[i]?.push(await measureRound(target, channel, round, options.respondents, options));
        (windows[target.label] ??= []).push({ fromUs, toUs: monotonicUs() });
      }
    }
    const results: RunResult[] = [];
    for (const [i, target] of targets.entries()) {
      results.push(await summarise(target, options.respondents, rounds[i] ?? [], warmups[i] ?? { errors: 0, rssReset: false }));
    }
    const [echo, ...runs] = results as [RunResult, ...RunResult[]];

    console.log('');
    printTable(echo, runs);
    const ratios = runs.map((r) => ({
      label: r.label,
      throughput: ratio(r.turnsPerSecond, echo.turnsPerSecond),
      p50: ratio(r.p50Ms, echo.p50Ms),
      cpuPerTurn: ratio(r.cpuMsPerTurn, echo.cpuMsPerTurn),
    }));
    console.log('');
    for (const r of ratios) {
      const t = r.throughput ?? 0;
      const p = r.p50 ?? Infinity;
      console.log(
        `${r.label}: throughput ${fmt(t, 2)}× echo (goal ≥ ${GOALS.throughputAtLeast}: ${t >= GOALS.throughputAtLeast ? 'met' : 'missed'}), ` +
          `p50 ${fmt(p, 2)}× echo (goal ≤ ${GOALS.p50AtMost}: ${p <= GOALS.p50AtMost ? 'met' : 'missed'})`,
      );
    }
    for (const r of results) {
      if (r.errors.total > 0 || r.warmupErrors > 0) {
        console.log(`${r.label}: ${r.errors.total} errors (+${r.warmupErrors} in warm-up), e.g. ${r.errorSamples.join('; ')}`);
      }
    }
    for (const service of services.splice(0)) await stopOrExplain(service);
    if (options.cpuProfDir) {
      console.log('');
      console.log(await summariseProfiles(options.cpuProfDir, windows, Object.fromEntries(results.map((r) => [r.label, r.turns]))));
    }
    console.log(
      JSON.stringify({
        bench: 'load',
        respondents: options.respondents,
        rounds: options.rounds,
        turnsPerInterview: 13,
        seeded: seed ? { interviews: seed.interviews, files: seed.files, ms: seed.ms } : null,
        goals: GOALS,
        results,
        ratios,
      }),
    );
    return results.some((r) => r.errors.total > 0) ? 1 : 0;
  } finally {
    for (const service of services) await service.kill();
    await channel.close();
    await rm(work, { recursive: true, force: true });
  }
}

runBenchmark(main);
