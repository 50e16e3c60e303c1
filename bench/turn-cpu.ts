/**
 * `npm run bench:turn-cpu [-- --rounds N --respondents N]`: CPU time of one bot turn, in one
 * process, for comparing two versions of the code (A/B) on a busy machine.
 *
 * bench:load measures throughput against the echo bot, which is the goal's figure but moves with
 * whatever else runs on the machine. This one builds the app in-process (createApp on a temp
 * DATA_DIR, 127.0.0.1), runs whole scripted interviews (the load bench's scripts) through
 * `POST /api/messages` with `deliveryMode: expectReplies` (replies come back in the response: no
 * connector call), and prints the process's CPU time per turn (user + system, every thread) of
 * each round. CPU time is far steadier than throughput under contention; compare late rounds
 * (the JIT warms up over the first few).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../bot/app.js';
import { configFromEnv } from '../bot/config.js';
import { createNormaliser } from '../src/normaliser/index.js';
import { joinActivity, messageActivity } from './load/activities.js';
import { keepAliveAgent, post } from './load/http.js';
import { respondent } from './load/respondent.js';
import { interviewScript } from './load/scripts.js';
import { runBenchmark } from './run.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number ≥ 1`);
  return value;
}

async function main(): Promise<number> {
  const rounds = option('--rounds', 8);
  const respondents = option('--respondents', 50);
  const dir = await mkdtemp(join(tmpdir(), 'digikysely-turn-cpu-'));
  const app = await createApp({ ...configFromEnv({ ...process.env, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', MicrosoftAppId: '' }), normaliser: await createNormaliser() });
  try {
    const url = await app.listen();
    const agent = keepAliveAgent(respondents);
    const perRound: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      let turns = 0;
      let failed = 0;
      const flushesBefore = app.data.journal.flushes;
      const compactionsBefore = app.data.files.stats().compactions;
      const before = process.cpuUsage();
      await Promise.all(
        Array.from({ length: respondents }, async (_, n) => {
          const who = respondent(`r${round}`, n);
          for (const step of interviewScript(n)) {
            const activity = step.kind === 'join' ? joinActivity('http://127.0.0.1:9/', who) : messageActivity('http://127.0.0.1:9/', who, step.text as string);
            const result = await post(`${url}/api/messages`, { ...activity, deliveryMode: 'expectReplies' }, { agent });
            turns++;
            if (result.status !== 200) failed++;
          }
        }),
      );
      const used = process.cpuUsage(before);
      const ms = (used.user + used.system) / 1000 / turns;
      perRound.push(ms);
      // Journal flushes and compactions per turn: the durable file work a turn shares with others.
      const flushes = (app.data.journal.flushes - flushesBefore) / turns;
      const compactions = (app.data.files.stats().compactions - compactionsBefore) / turns;
      console.log(
        `round ${round}: ${turns} turns, ${failed} failed, ${ms.toFixed(3)} CPU ms/turn (user ${(used.user / 1000 / turns).toFixed(3)}, ` +
          `system ${(used.system / 1000 / turns).toFixed(3)}); journal flushes ${flushes.toFixed(2)}/turn, compactions ${compactions.toFixed(2)}/turn`,
      );
      if (failed > 0) return 1;
    }
    const late = perRound.slice(Math.floor(rounds / 2));
    console.log(`late rounds (${late.length}): mean ${(late.reduce((a, b) => a + b, 0) / late.length).toFixed(3)} CPU ms/turn, min ${Math.min(...late).toFixed(3)}`);
    agent.destroy();
    return 0;
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
