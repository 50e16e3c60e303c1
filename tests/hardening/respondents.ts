/**
 * Respondents for the crash test: each runs interviews one turn at a time like a person in a
 * chat, and keeps going when the bot dies. A turn counts as acknowledged only when its POST got
 * HTTP 200; after a failed turn the respondent waits for the bot and asks "tilanne"/"status"
 * (the bot names the current question), then carries on from there — the answer it sent may
 * or may not have been taken, and only the bot knows which.
 */
import type { Agent } from 'node:http';
import { joinActivity, messageActivity, type Respondent } from '../../bench/load/activities.js';
import type { LoadChannel } from '../../bench/load/channel.js';
import { post } from '../../bench/load/http.js';
import { interviewScript, languageOf } from '../../bench/load/scripts.js';

/** The questions in order, then what the bot asks after the last one. */
export const FLOW = ['consent', 'city', 'role', 'strategy', 'responsibility', 'rpa', 'challenges', 'projects', 'sote_impact', 'goals', 'comments', 'submit', 'submitted'];

/** What the bot asks after `question` was answered. */
export function nextOf(question: string): string | undefined {
  const i = FLOW.indexOf(question);
  return i < 0 ? undefined : FLOW[i + 1];
}

/** An answer the bot acknowledged: `text` answered `question`, then it asked `next`. */
export interface Ack {
  who: Respondent;
  question: string;
  text: string;
  next: string | undefined;
}

export interface Anomaly {
  who: Respondent;
  what: string;
}

export interface CrashLog {
  acks: Ack[];
  /** Turns that failed (connection refused or reset, or an HTTP error). */
  failedTurns: { who: Respondent; question: string | undefined; error: string }[];
  /** Things that must never happen (an acknowledged turn going astray, a resume going back). */
  anomalies: Anomaly[];
  /** Every interview begun, with the question the bot last said it was at. */
  interviews: Map<Respondent, string | undefined>;
}

export interface BotHandle {
  /** Resolves with the base URL once the bot is (back) up. */
  ready(): Promise<string>;
}

/** The script's answer to each question for interview `n`. */
function answers(n: number): Map<string, string> {
  const steps = interviewScript(n);
  const map = new Map<string, string>();
  // The script's steps answer FLOW's questions in order: step i answers FLOW[i - 1].
  steps.forEach((step, i) => {
    if (i > 0 && step.text !== undefined) map.set(FLOW[i - 1] as string, step.text);
  });
  return map;
}

/** Posts one activity; the question the bot then asked, or why the turn failed. */
async function turn(bot: BotHandle, channel: LoadChannel, agent: Agent, activity: Record<string, unknown>) {
  const url = await bot.ready();
  const result = await post(`${url}/api/messages`, activity, { agent, timeoutMs: 20_000 });
  const question = channel.takeQuestion(activity);
  return { ok: result.status === 200, question, error: result.error ?? `HTTP ${result.status}` };
}

/**
 * Worker `w` runs interviews until `stop()` says so (checked between turns), logging every
 * acknowledged answer and every failed turn.
 */
export async function runWorker(w: number, bot: BotHandle, channel: LoadChannel, agent: Agent, stop: () => boolean, log: CrashLog): Promise<void> {
  for (let k = 0; !stop(); k++) {
    const n = w * 1000 + k;
    const who: Respondent = { userId: `crash-w${w}-i${k}`, conversationId: `crash-w${w}-c${k}`, lang: languageOf(n) };
    const script = answers(n);
    const status = who.lang === 'fi' ? 'tilanne' : 'status';
    log.interviews.set(who, undefined);
    const joined = await turn(bot, channel, agent, joinActivity(channel.url, who));
    let current = joined.question;
    if (joined.ok && current === undefined) {
      log.anomalies.push({ who, what: 'the greeting was acknowledged but asked nothing' });
      return;
    }
    if (!joined.ok) {
      log.failedTurns.push({ who, question: undefined, error: joined.error });
      current = await recover(bot, channel, agent, who, status, log);
    }
    log.interviews.set(who, current);

    while (current !== undefined && current !== 'submitted' && !stop()) {
      const text = script.get(current);
      if (text === undefined) {
        log.anomalies.push({ who, what: `the bot asked "${current}", which the script has no answer for` });
        break;
      }
      const before = current;
      const result = await turn(bot, channel, agent, messageActivity(channel.url, who, text));
      if (result.ok) {
        log.acks.push({ who, question: before, text, next: result.question });
        if (result.question !== nextOf(before)) {
          log.anomalies.push({ who, what: `answer "${text}" to ${before} was acknowledged, then the bot asked ${result.question ?? 'nothing'}` });
        }
        current = result.question;
      } else {
        log.failedTurns.push({ who, question: before, error: result.error });
        // After a crash the bot must be at `before` (the answer was lost unacknowledged) or past it.
        current = await recover(bot, channel, agent, who, status, log);
        if (current !== undefined && current !== before && current !== nextOf(before)) {
          log.anomalies.push({ who, what: `after a failed answer to ${before} the bot resumed at ${current}` });
        }
      }
      log.interviews.set(who, current);
    }
  }
}

/** Asks "status" until a turn is acknowledged; the question the bot names. */
async function recover(bot: BotHandle, channel: LoadChannel, agent: Agent, who: Respondent, status: string, log: CrashLog): Promise<string | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const asked = await turn(bot, channel, agent, messageActivity(channel.url, who, status));
    if (asked.ok) {
      if (asked.question === undefined) log.anomalies.push({ who, what: `"${status}" was acknowledged but the bot named no question` });
      return asked.question;
    }
    log.failedTurns.push({ who, question: undefined, error: asked.error });
  }
  log.anomalies.push({ who, what: `"${status}" failed 20 times in a row` });
  return undefined;
}
