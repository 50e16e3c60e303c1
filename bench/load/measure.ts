/**
 * Measured runs: `respondents` virtual respondents at once, each running a whole interview
 * against a bot child process. A bot is warmed up once, then measured in several rounds that
 * alternate with the other bots' rounds, so that noise from other work on the machine falls on
 * every bot alike; the figures are medians over rounds (latency percentiles over all turns).
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
  /** Connector calls the bot made (messages sent to the channel) during the round. */
  replies: number;
  timedOut: boolean;
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
  interviewsCompleted: number;
  interviews: number;
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
  /** Messages the bot sent to the channel per turn (each is one connector HTTP call). */
  repliesPerTurn: number;
  /** True when a round's time limit stopped it before every interview finished. */
  timedOut: boolean;
  /** Each round's own figures, in order: shows whether the process was still warming up. */
  perRound: RoundFigures[];
}

const noErrors = (): ErrorCounts => ({ total: 0, http5xx: 0, http4xx: 0, connection: 0, wrongQuestion: 0 });

/** Runs `count` respondents at once; resolves with how many finished their interview. */
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

/** One measured round of `respondents` whole interviews, stopped after `maxSeconds`. */
export async function measureRound(target: Target, channel: LoadChannel, round: number, respondents: number, maxSeconds: number): Promise<Round> {
  const latencies: number[] = [];
  const errors = noErrors();
  const errorSamples: string[] = [];
  const note = (text: string) => {
    if (errorSamples.length < 5) errorSamples.push(text);
  };
  const onTurn = (turn: Turn) => {
    latencies.push(turn.ms);
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
  const cpuBefore = await cpuMs(target.service.pid);
  const repliesBefore = channel.replies;
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  const completed = await runRespondents(target, channel, `${target.label}-r${round}`, respondents, deadline, onTurn);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await cpuMs(target.service.pid);
  return {
    turns: latencies.length,
    seconds,
    latencies,
    errors,
    errorSamples,
    interviewsCompleted: completed,
    ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMs: cpuAfter - cpuBefore } : {}),
    replies: channel.replies - repliesBefore,
    timedOut: completed < respondents && performance.now() >= deadline,
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
  const peak = warmup.rssReset ? await peakRssMb(target.service.pid) : undefined;
  return {
    label: target.label,
    respondents,
    rounds: rounds.length,
    turns,
    interviewsCompleted: rounds.reduce((sum, r) => sum + r.interviewsCompleted, 0),
    interviews: respondents * rounds.length,
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
    repliesPerTurn: turns > 0 ? rounds.reduce((sum, r) => sum + r.replies, 0) / turns : 0,
    timedOut: rounds.some((r) => r.timedOut),
    perRound: rounds.map((r) => ({
      turnsPerSecond: r.turns / r.seconds,
      p50Ms: median(r.latencies),
      ...(r.cpuMs !== undefined && r.turns > 0 ? { cpuMsPerTurn: r.cpuMs / r.turns } : {}),
    })),
  };
}
