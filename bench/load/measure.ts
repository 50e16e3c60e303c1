/**
 * Measured runs: `respondents` virtual respondents at once running whole interviews against a
 * bot child process. A bot is warmed up once, then measured in several rounds that alternate
 * with the other bots' rounds, so that noise from other work on the machine falls on every bot
 * alike; each round measures a steady-state window (measureRound); the figures are medians over
 * rounds (p95/p99 over every measured turn).
 */
import type { LoadChannel } from './channel.js';
import type { Service } from './child.js';
import { keepAliveAgent } from './http.js';
import { respondent, runInterview, type Turn } from './respondent.js';
import { cpuMs, peakRssMb, percentile, resetPeakRss } from './stats.js';

export interface Target {
  label: string;
  service: Service;
  /** Check the bot's `channelData.question` after each turn (our bot; the echo bot asks nothing). */
  checkQuestions: boolean;
}

export interface ErrorCounts {
  total: number;
  http5xx: number;
  http4xx: number;
  connection: number;
  wrongQuestion: number;
}

export interface Round {
  turns: number;
  seconds: number;
  latencies: number[];
  errors: ErrorCounts;
  errorSamples: string[];
  interviewsCompleted: number;
  cpuMs?: number;
  /** Of which in the kernel (system calls, the network stack, page cache). */
  systemCpuMs?: number;
  /** Connector calls the bot made (messages sent to the channel) during the window. */
  replies: number;
}

/** One measured round's figures. */
export interface RoundFigures {
  turnsPerSecond: number;
  p50Ms: number;
  cpuMsPerTurn?: number;
}

export interface RunResult {
  label: string;
  respondents: number;
  rounds: number;
  turns: number;
  /** Interviews that ended inside the measured windows. */
  interviewsCompleted: number;
  /** Median over rounds. */
  turnsPerSecond: number;
  /** Median over rounds of each round's median turn latency. */
  p50Ms: number;
  /** Over every measured turn. */
  p95Ms: number;
  p99Ms: number;
  errors: ErrorCounts;
  /** Up to five examples of what went wrong. */
  errorSamples: string[];
  warmupErrors: number;
  /** Peak resident memory of the bot process during the measured rounds. */
  peakRssMb?: number;
  /** The bot process's CPU time per turn (user + system), over every round. */
  cpuMsPerTurn?: number;
  /** Of which system time (in the kernel on the process's behalf). */
  systemCpuMsPerTurn?: number;
  /** Messages the bot sent to the channel per turn (each is one connector HTTP call). */
  repliesPerTurn: number;
  /** Each round's own figures, in order: shows whether the process was still warming up. */
  perRound: RoundFigures[];
}

const noErrors = (): ErrorCounts => ({ total: 0, http5xx: 0, http4xx: 0, connection: 0, wrongQuestion: 0 });

/** Runs `count` respondents at once, one interview each; resolves with how many finished. */
async function runRespondents(
  target: Target,
  channel: LoadChannel,
  prefix: string,
  count: number,
  deadline: number,
  onTurn: (turn: Turn) => void,
): Promise<number> {
  const agent = keepAliveAgent(count);
  try {
    const done = await Promise.all(
      Array.from({ length: count }, (_, n) =>
        runInterview(respondent(prefix, n), n, {
          botUrl: target.service.url,
          channel,
          agent,
          deadline,
          checkQuestions: target.checkQuestions,
          onTurn,
        }),
      ),
    );
    return done.filter(Boolean).length;
  } finally {
    agent.destroy();
  }
}

/** Unmeasured interviews (JIT, lazy loading, first files), then resets the peak-RSS mark. */
export async function warmUp(target: Target, channel: LoadChannel, respondents: number): Promise<{ errors: number; rssReset: boolean }> {
  let errors = 0;
  await runRespondents(target, channel, `${target.label}-warmup`, respondents, performance.now() + 60_000, (turn) => {
    if (turn.status !== 200 || turn.wrongQuestion) errors++;
  });
  return { errors, rssReset: await resetPeakRss(target.service.pid) };
}

/** How long a round runs: a ramp that is not measured, then the measured window. */
export interface RoundTiming {
  /** Seconds before the window opens: respondents start (spread over the first second) and settle. */
  rampSeconds: number;
  /** Seconds of the measured window. */
  seconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * One measured round at steady state. Each of `respondents` virtual respondents runs interviews
 * back to back (each a new user and conversation, as a new person would), starting spread over
 * the first second as people do, not in one burst. After `rampSeconds` a window of `seconds`
 * opens: the turns that end inside it are the round's turns (throughput = those turns / window,
 * their latencies the percentiles) and the bot's CPU is read at its edges. When it closes,
 * respondents stop after their current turn. Measuring whole rounds from the first request to
 * the last (as this bench did until the sixth sitting) counted the start burst of 50 new
 * conversations and the tail where the last few interviews ran alone: a 3-second round was
 * mostly transient, and the figures scattered by ±0.08 between identical runs.
 */
export async function measureRound(target: Target, channel: LoadChannel, round: number, respondents: number, timing: RoundTiming): Promise<Round> {
  const latencies: number[] = [];
  const errors = noErrors();
  const errorSamples: string[] = [];
  const note = (text: string) => {
    if (errorSamples.length < 5) errorSamples.push(text);
  };
  const started = performance.now();
  const opens = started + timing.rampSeconds * 1000;
  const closes = opens + timing.seconds * 1000;
  let interviewsCompleted = 0;
  const onTurn = (turn: Turn) => {
    const now = performance.now();
    if (now >= opens && now <= closes) latencies.push(turn.ms);
    if (turn.status === 0) {
      errors.connection++;
      note(`connection error ${turn.error ?? ''}`);
    } else if (turn.status >= 500) {
      errors.http5xx++;
      note(`HTTP ${turn.status}`);
    } else if (turn.status !== 200) {
      errors.http4xx++;
      note(`HTTP ${turn.status}`);
    } else if (turn.wrongQuestion) {
      errors.wrongQuestion++;
      const w = turn.wrongQuestion;
      note(`after "${w.text ?? '(join)'}" expected ${w.expected}, the bot asked ${w.got ?? 'nothing'}`);
    } else return;
    errors.total++;
  };
  // The bot's CPU at the window's edges (read from /proc, a few µs; the timers fire on time
  // because this process only waits on sockets).
  const cpuAtOpen = sleep(opens - performance.now()).then(() => cpuMs(target.service.pid));
  const cpuAtClose = sleep(closes - performance.now()).then(() => cpuMs(target.service.pid));
  const repliesAt = { open: 0, close: 0 };
  void sleep(opens - performance.now()).then(() => (repliesAt.open = channel.replies));
  void sleep(closes - performance.now()).then(() => (repliesAt.close = channel.replies));
  const agent = keepAliveAgent(respondents);
  try {
    await Promise.all(
      Array.from({ length: respondents }, async (_, n) => {
        await sleep((n / respondents) * Math.min(1000, timing.rampSeconds * 1000));
        for (let k = 0; performance.now() < closes; k++) {
          const done = await runInterview(respondent(`${target.label}-r${round}-i${k}`, n), n, {
            botUrl: target.service.url,
            channel,
            agent,
            deadline: closes,
            checkQuestions: target.checkQuestions,
            onTurn,
          });
          if (done && performance.now() >= opens && performance.now() <= closes) interviewsCompleted++;
          // An interview that went astray stops this respondent; the error is counted above.
          if (!done && performance.now() < closes) return;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const [cpuOpen, cpuClose] = await Promise.all([cpuAtOpen, cpuAtClose]);
  return {
    turns: latencies.length,
    seconds: timing.seconds,
    latencies,
    errors,
    errorSamples,
    interviewsCompleted,
    ...(cpuOpen !== undefined && cpuClose !== undefined ? { cpuMs: cpuClose.total - cpuOpen.total, systemCpuMs: cpuClose.system - cpuOpen.system } : {}),
    replies: repliesAt.close - repliesAt.open,
  };
}

const median = (values: number[]): number => percentile(values, 50);

/** Combines a target's rounds into its figures. */
export async function summarise(
  target: Target,
  respondents: number,
  rounds: Round[],
  warmup: { errors: number; rssReset: boolean },
): Promise<RunResult> {
  const all = rounds.flatMap((r) => r.latencies);
  const errors = noErrors();
  for (const r of rounds) for (const key of Object.keys(errors) as (keyof ErrorCounts)[]) errors[key] += r.errors[key];
  const turns = rounds.reduce((sum, r) => sum + r.turns, 0);
  const cpu = rounds.every((r) => r.cpuMs !== undefined) ? rounds.reduce((sum, r) => sum + (r.cpuMs as number), 0) : undefined;
  const systemCpu = rounds.every((r) => r.systemCpuMs !== undefined) ? rounds.reduce((sum, r) => sum + (r.systemCpuMs as number), 0) : undefined;
  const peak = warmup.rssReset ? await peakRssMb(target.service.pid) : undefined;
  return {
    label: target.label,
    respondents,
    rounds: rounds.length,
    turns,
    interviewsCompleted: rounds.reduce((sum, r) => sum + r.interviewsCompleted, 0),
    turnsPerSecond: median(rounds.map((r) => r.turns / r.seconds)),
    p50Ms: median(rounds.map((r) => median(r.latencies))),
    p95Ms: percentile(all, 95),
    p99Ms: percentile(all, 99),
    errors,
    errorSamples: rounds.flatMap((r) => r.errorSamples).slice(0, 5),
    warmupErrors: warmup.errors,
    // Without the reset the kernel's mark would include start-up: better none than a wrong one.
    ...(peak !== undefined ? { peakRssMb: peak } : {}),
    ...(cpu !== undefined && turns > 0 ? { cpuMsPerTurn: cpu / turns } : {}),
    ...(systemCpu !== undefined && turns > 0 ? { systemCpuMsPerTurn: systemCpu / turns } : {}),
    repliesPerTurn: turns > 0 ? rounds.reduce((sum, r) => sum + r.replies, 0) / turns : 0,
    perRound: rounds.map((r) => ({
      turnsPerSecond: r.turns / r.seconds,
      p50Ms: median(r.latencies),
      ...(r.cpuMs !== undefined && r.turns > 0 ? { cpuMsPerTurn: r.cpuMs / r.turns } : {}),
    })),
  };
}
