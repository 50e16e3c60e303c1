/**
 * A virtual respondent: runs one whole interview over `/api/messages`, one turn after another
 * (a person waits for the reply before answering), and reports every turn.
 */
import type { Agent } from 'node:http';
import { joinActivity, messageActivity, type Respondent } from './activities.js';
import type { LoadChannel } from './channel.js';
import { post } from './http.js';
import { interviewScript, languageOf, type Step } from './scripts.js';

export interface Turn {
  ms: number;
  /** HTTP status; 0 for a connection error or timeout. */
  status: number;
  error?: string;
  /** The bot answered 200 but asked something other than the script expected. */
  wrongQuestion?: { expected: string; got: string | undefined; text?: string };
}

export interface RespondentRun {
  /** Base URL of the bot under test. */
  botUrl: string;
  channel: LoadChannel;
  agent: Agent;
  /** Stop (leaving the interview unfinished) once this time (performance.now()) has passed. */
  deadline: number;
  /** Check `channelData.question` after each turn (our bot; the echo bot asks nothing). */
  checkQuestions: boolean;
  onTurn: (turn: Turn) => void;
}

/** Respondent `n` of a run whose ids start with `prefix`. */
export function respondent(prefix: string, n: number): Respondent {
  return { userId: `${prefix}-user-${n}`, conversationId: `${prefix}-conv-${n}`, lang: languageOf(n) };
}

/** Runs respondent `n`'s interview; resolves true when every turn was done. */
export async function runInterview(who: Respondent, n: number, run: RespondentRun): Promise<boolean> {
  const steps: Step[] = interviewScript(n);
  for (const step of steps) {
    if (performance.now() > run.deadline) return false;
    const activity =
      step.kind === 'join' ? joinActivity(run.channel.url, who) : messageActivity(run.channel.url, who, step.text as string);
    const result = await post(`${run.botUrl}/api/messages`, activity, { agent: run.agent });
    const turn: Turn = { ms: result.ms, status: result.status };
    if (result.error) turn.error = result.error;
    const got = run.channel.takeQuestion(activity);
    if (result.status === 200 && run.checkQuestions) {
      if (got !== step.expect) turn.wrongQuestion = { expected: step.expect, got, text: step.text };
    }
    run.onTurn(turn);
    // An interview that went astray cannot be scored turn by turn any more.
    if (turn.status !== 200 || turn.wrongQuestion) return false;
  }
  return true;
}
