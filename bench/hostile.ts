/**
 * `npm run bench:hostile [-- --requests N --seed N --concurrency N]`
 *
 * Sends the same seeded mix of malformed and hostile requests (bench/hostile/requests.ts) to
 *   1. the bare botbuilder CloudAdapter + restify stack of the samples (bench/load/echo-bot.ts), and
 *   2. the Digikysely bot (`bot/index.ts`, temp DATA_DIR, no app id),
 * each in a child process on 127.0.0.1, and prints per category how many got a 5xx, how many
 * connections were dropped, how often the process died (it is restarted and the run goes on),
 * and how many answers differ from what a careful server says (400 with a reason, 413, 415, or
 * a normal turn). Ends with one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoadChannel } from './load/channel.js';
import { BOT_SCRIPT, ECHO_SCRIPT, spawnService, type Service } from './load/child.js';
import { CATEGORY_NAMES, hostileRequests, type HostileRequest } from './hostile/requests.js';
import { sendOne, tally, type Outcome, type Tally } from './hostile/send.js';
import { runBenchmark } from './run.js';

interface Options {
  requests: number;
  seed: number;
  concurrency: number;
}

const USAGE = `Usage: npm run bench:hostile -- [--requests N (default 2000)] [--seed N (default 7)] [--concurrency N (default 16)]`;

function parseArgs(argv: string[]): Options {
  const options: Options = { requests: 2000, seed: 7, concurrency: 16 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const key = { '--requests': 'requests', '--seed': 'seed', '--concurrency': 'concurrency' }[arg] as keyof Options | undefined;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const value = Number(argv[++i]);
    if (key === undefined || !Number.isInteger(value) || value < 1) throw new Error(`Bad option ${arg} ${argv[i] ?? ''}.\n\n${USAGE}`);
    options[key] = value;
  }
  return options;
}

interface Result {
  label: string;
  tally: Tally;
  /** Times the process died during the run (and was started again). */
  crashes: number;
  seconds: number;
}

/**
 * Sends every request to the service `start()` gives, restarting it whenever it has died, so
 * one fatal request does not turn every later one into a dropped connection.
 */
async function run(label: string, start: () => Promise<Service>, requests: HostileRequest[], concurrency: number): Promise<Result> {
  let service = await start();
  let crashes = 0;
  let restarting: Promise<void> | undefined;
  const restartIfDead = async (dead: Service) => {
    if (dead !== service || (dead.child.exitCode === null && dead.child.signalCode === null)) return;
    restarting ??= (async () => {
      crashes++;
      service = await start();
      restarting = undefined;
    })();
    await restarting;
  };
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const outcomes = new Array<Outcome>(requests.length);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      if (restarting) await restarting;
      const target = service;
      outcomes[i] = await sendOne(`${target.url}/api/messages`, requests[i] as HostileRequest, agent, 15_000);
      if (outcomes[i]?.status === 0) {
        // Give the exit a moment to be noticed, then bring the process back.
        await new Promise((done) => setTimeout(done, 50));
        await restartIfDead(target);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
    await service.stop();
  }
  return { label, tally: tally(outcomes), crashes, seconds: (performance.now() - started) / 1000 };
}

function printTable(results: Result[]): void {
  const header = ['category', 'n', ...results.flatMap((r) => [`${r.label} 5xx`, 'dropped', 'off'])];
  const rows = CATEGORY_NAMES.map((name) => [
    name,
    String(results[0]?.tally.byCategory[name]?.total ?? 0),
    ...results.flatMap((r) => {
      const c = r.tally.byCategory[name];
      return [String(c?.http5xx ?? 0), String(c?.dropped ?? 0), String(c?.problems ?? 0)];
    }),
  ]);
  rows.push([
    'all',
    String(results[0]?.tally.total ?? 0),
    ...results.flatMap((r) => [String(r.tally.http5xx), String(r.tally.dropped), String(r.tally.problems.length)]),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const show = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(show(header));
  for (const row of rows) console.log(show(row));
  console.log('(5xx: server errors; dropped: no HTTP answer at all; off: any answer other than 400/413/415 with a JSON reason or a normal turn)');
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const watchdog = setTimeout(() => {
    console.error('bench:hostile: hard time limit (10 min) reached; stopping.');
    process.exit(2);
  }, 600_000);
  watchdog.unref();
  const channel = await startLoadChannel();
  const work = await mkdtemp(join(tmpdir(), 'digikysely-hostile-'));
  try {
    const requests = hostileRequests(options.requests, options.seed, channel.url);
    console.log(`bench:hostile: ${requests.length} requests (seed ${options.seed}), ${options.concurrency} at a time`);
    const bare = await run('bare', () => spawnService(ECHO_SCRIPT, { env: { PORT: '0' } }), requests, options.concurrency);
    const ours = await run(
      'ours',
      () => spawnService(BOT_SCRIPT, { env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(work, 'data'), MicrosoftAppId: '' } }),
      requests,
      options.concurrency,
    );
    const results = [bare, ours];
    console.log('');
    printTable(results);
    console.log('');
    for (const r of results) {
      const share = (n: number) => `${n} (${((100 * n) / r.tally.total).toFixed(1)} %)`;
      console.log(
        `${r.label}: 5xx ${share(r.tally.http5xx)}, dropped ${share(r.tally.dropped)}, process died ${r.crashes} time(s), ` +
          `off ${share(r.tally.problems.length)}; statuses ${JSON.stringify(r.tally.byStatus)}; ${r.seconds.toFixed(1)} s`,
      );
      for (const p of [...new Set(r.tally.problems)].slice(0, 8)) console.log(`    e.g. ${p}`);
    }
    console.log(
      JSON.stringify({
        bench: 'hostile',
        requests: requests.length,
        seed: options.seed,
        results: results.map((r) => ({
          label: r.label,
          http5xx: r.tally.http5xx,
          dropped: r.tally.dropped,
          crashes: r.crashes,
          off: r.tally.problems.length,
          byStatus: r.tally.byStatus,
          byCategory: r.tally.byCategory,
          seconds: r.seconds,
        })),
      }),
    );
    return ours.tally.http5xx + ours.tally.dropped + ours.crashes > 0 ? 1 : 0;
  } finally {
    await channel.close();
    await rm(work, { recursive: true, force: true });
  }
}

runBenchmark(main);
