/**
 * `npm run bench:startup [-- --runs N --only name,name --json]`
 *
 * How long the bot takes from spawn to a healthy `GET /healthz` (200), started the ways people
 * start it, each run on a fresh temp DATA_DIR and a free loopback port:
 *   npm start          `npm start` (the launcher: staleness check, then the bundle with its
 *                      V8 code cache)
 *   launcher           `node scripts/build-start.mjs`: the same without npm's own start-up
 *   bundle             `node dist/bot.cjs` (no npm, no staleness check, no code cache)
 *   npm start (stale)  `npm start` with a bundle that does not exist yet: build + start
 *   npm run start:dev  the sources through tsx (what `npm start` was before the bundle)
 * Rounds alternate between the variants, so a busy machine slows all of them alike. The first
 * round is reported apart ("first": caches the runs share, such as the normaliser's model
 * cache, may be cold); "warm" is the median of the other rounds. Also reported: when the
 * process printed its "listening on" line, its own "ready in" figure, and the CPU time (user +
 * system) of its whole process tree until healthy, which a busy machine distorts less than
 * wall time. Goal (issue 3): `npm start` healthy in ≤ 1.5 s, the model included.
 * Loopback only; every child is killed (its process group) and every temp dir removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DEFAULT_BUNDLE, PROJECT_ROOT, buildBot, staleReason } from '../scripts/build-bot.mjs';

const GOAL_MS = 1500;
const START_TIMEOUT_MS = 30_000;
const POLL_MS = 10;

interface Variant {
  name: string;
  command: string;
  args: string[];
  /** Extra environment; `bundle` gets a fresh path per run for the stale variant. */
  env?: (tempDir: string) => NodeJS.ProcessEnv;
}

const VARIANTS: Variant[] = [
  { name: 'npm start', command: 'npm', args: ['start', '--silent'] },
  { name: 'launcher', command: process.execPath, args: [join(PROJECT_ROOT, 'scripts', 'build-start.mjs')] },
  { name: 'bundle', command: process.execPath, args: [DEFAULT_BUNDLE] },
  {
    name: 'npm start (stale)',
    command: 'npm',
    args: ['start', '--silent'],
    // A bundle path no build has used: the launcher must build before it starts. Inside the
    // project, so the bundle finds node_modules; removed after the run.
    env: (tempDir) => ({ BOT_BUNDLE: join(PROJECT_ROOT, 'dist', `bench-${basename(tempDir)}`, 'bot.cjs') }),
  },
  { name: 'npm run start:dev', command: 'npm', args: ['run', '--silent', 'start:dev'] },
];

interface Run {
  /** Spawn → first 200 from /healthz. */
  healthyMs: number;
  /** Spawn → the "listening on" line on stdout. */
  readyLineMs: number;
  /** The bot's own "ready in N ms" (its main(), after its modules loaded). */
  selfReportedMs: number;
  /** CPU time of the process tree until healthy (Linux; NaN elsewhere). */
  cpuMs: number;
  /** The launcher rebuilt the bundle first (an input changed, e.g. someone edited a source). */
  rebuilt: boolean;
}

const USAGE = `Usage: npm run bench:startup -- [--runs N] [--only ${VARIANTS.map((v) => `"${v.name}"`).join(',')}] [--json]
  --runs N   rounds (default 5; the first is reported apart as "first")
  --only     comma-separated variant names (default all)
  --json     print only the JSON line`;

function parseArgs(argv: string[]): { runs: number; only: Variant[]; json: boolean } {
  let runs = 5;
  let only = VARIANTS;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') {
      runs = Number(argv[++i]);
      if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs takes a whole number 1–50.\n${USAGE}`);
    } else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').map((s) => s.trim());
      only = VARIANTS.filter((v) => names.includes(v.name));
      const unknown = names.filter((n) => !VARIANTS.some((v) => v.name === n));
      if (unknown.length || only.length === 0) throw new Error(`Unknown variant ${unknown.join(', ') || '(none)'}.\n${USAGE}`);
    } else if (arg === '--json') {
      json = true;
    } else {
      throw new Error(`Unknown option ${arg}.\n${USAGE}`);
    }
  }
  return { runs, only, json };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on every Linux Node supports

/** CPU ms (utime + stime + reaped children) of every live process in process group `pgid`. */
function groupCpuMs(pgid: number): number {
  if (process.platform !== 'linux') return NaN;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after "(comm)": state ppid pgrp … utime(14) stime(15) cutime(16) cstime(17).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * CLOCK_TICK_MS;
}

/** Stops the whole process group (npm → sh → node): SIGTERM, SIGKILL after 5 s. */
async function stopGroup(child: ChildProcess, closed: Promise<void>): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await closed;
  clearTimeout(timer);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function runOnce(variant: Variant): Promise<Run> {
  const tempDir = await mkdtemp(join(tmpdir(), 'digikysely-startup-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(variant.command, variant.args, {
    cwd: PROJECT_ROOT,
    detached: true, // its own process group, so the bench can stop npm, sh and node together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(tempDir, 'data'),
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      DOTENV_CONFIG_QUIET: 'true',
      ...variant.env?.(tempDir),
    },
  });
  let output = '';
  let readyLineMs = NaN;
  let selfReportedMs = NaN;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (Number.isNaN(readyLineMs) && /listening on https?:\/\//.test(output)) {
      readyLineMs = performance.now() - started;
      selfReportedMs = Number(/ready in (\d+) ms/.exec(output)?.[1] ?? NaN);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let exited = false;
  const closed = new Promise<void>((done) => child.once('close', () => ((exited = true), done())));
  try {
    const url = `http://127.0.0.1:${port}/healthz`;
    for (;;) {
      if (await healthy(url)) break;
      if (exited) throw new Error(`${variant.name} exited before it was healthy. Output:\n${output}`);
      if (performance.now() - started > START_TIMEOUT_MS) {
        throw new Error(`${variant.name} was not healthy within ${START_TIMEOUT_MS / 1000} s. Output:\n${output}`);
      }
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
    const healthyMs = performance.now() - started;
    const cpuMs = groupCpuMs(child.pid as number);
    // The ready line is written just before listening; give the pipe a moment to deliver it.
    for (let i = 0; i < 50 && Number.isNaN(readyLineMs); i++) await new Promise((done) => setTimeout(done, 10));
    return { healthyMs, readyLineMs, selfReportedMs, cpuMs, rebuilt: /^Built .* in \d+ ms/m.test(output) };
  } finally {
    await stopGroup(child, closed);
    await rm(tempDir, { recursive: true, force: true });
    await rm(join(PROJECT_ROOT, 'dist', `bench-${basename(tempDir)}`), { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface Summary {
  variant: string;
  runs: number;
  firstMs: number;
  warmMedianMs: number;
  minMs: number;
  maxMs: number;
  readyLineMedianMs: number;
  selfReportedMedianMs: number;
  cpuMedianMs: number;
  /** Runs in which the launcher rebuilt the bundle first. */
  rebuilds: number;
}

function summarise(name: string, runs: Run[], stale: boolean): Summary {
  // A run the launcher had to rebuild for (someone edited a source meanwhile) is not a warm
  // start; the stale variant measures that case on purpose.
  const later = runs.slice(1).filter((r) => stale || !r.rebuilt);
  const warm = later.length > 0 ? later : runs;
  const healthyMs = runs.map((r) => r.healthyMs);
  return {
    variant: name,
    runs: runs.length,
    firstMs: Math.round(runs[0]?.healthyMs ?? NaN),
    warmMedianMs: Math.round(median(warm.map((r) => r.healthyMs))),
    minMs: Math.round(Math.min(...healthyMs)),
    maxMs: Math.round(Math.max(...healthyMs)),
    readyLineMedianMs: Math.round(median(warm.map((r) => r.readyLineMs))),
    selfReportedMedianMs: Math.round(median(warm.map((r) => r.selfReportedMs))),
    cpuMedianMs: Math.round(median(warm.map((r) => r.cpuMs))),
    rebuilds: runs.filter((r) => r.rebuilt).length,
  };
}

function table(rows: Summary[]): string {
  const head = ['variant', 'runs', 'first', 'warm p50', 'min', 'max', 'ready line', 'bot main()', 'CPU', 'rebuilt'];
  const body = rows.map((r) => [
    r.variant,
    String(r.runs),
    ...[r.firstMs, r.warmMedianMs, r.minMs, r.maxMs, r.readyLineMedianMs, r.selfReportedMedianMs, r.cpuMedianMs].map((v) =>
      Number.isNaN(v) ? '–' : `${v} ms`,
    ),
    String(r.rebuilds),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { runs, only, json } = parseArgs(process.argv.slice(2));
  const say = (text: string) => {
    if (!json) console.log(text);
  };
  const reason = staleReason();
  let buildMs: number | undefined;
  if (reason) {
    // The runs measure starting, not building: bring dist/bot.cjs up to date first.
    buildMs = (await buildBot()).ms;
    say(`Built dist/bot.cjs in ${buildMs} ms (${reason}).`);
  }
  const loadBefore = loadavg()[0] as number;
  const results = new Map<string, Run[]>(only.map((v) => [v.name, []]));
  for (let round = 0; round < runs; round++) {
    for (const variant of only) {
      const run = await runOnce(variant);
      results.get(variant.name)?.push(run);
      const note = run.rebuilt ? ', rebuilt first' : '';
      say(`round ${round + 1}/${runs} ${variant.name}: healthy in ${Math.round(run.healthyMs)} ms (CPU ${run.cpuMs} ms${note})`);
    }
  }
  const loadAfter = loadavg()[0] as number;
  const rows = only.map((v) => summarise(v.name, results.get(v.name) ?? [], v.env !== undefined));
  const npmStart = rows.find((r) => r.variant === 'npm start');
  say('');
  say(table(rows));
  say(
    `\nSpawn → 200 from GET /healthz; "warm" is the median of rounds 2..${runs} (without rebuilds); CPU = user + system of the process tree;` +
      `\n"bot main()" = the bot's own "ready in" (after its modules loaded); "rebuilt" = runs the launcher rebuilt first.` +
      `\nLoad average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${availableParallelism()} cores.`,
  );
  if (npmStart) {
    say(`Goal: npm start ≤ ${GOAL_MS} ms warm → ${npmStart.warmMedianMs <= GOAL_MS ? 'met' : 'missed'} (${npmStart.warmMedianMs} ms).`);
  }
  console.log(
    JSON.stringify({
      bench: 'startup',
      node: process.version,
      runs,
      goalMs: GOAL_MS,
      goalMet: npmStart ? npmStart.warmMedianMs <= GOAL_MS : null,
      loadavg: [Number(loadBefore.toFixed(2)), Number(loadAfter.toFixed(2))],
      buildMs: buildMs ?? null,
      results: rows,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
