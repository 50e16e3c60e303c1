/**
 * Crashes: the bot process is SIGKILLed under load and started again, several times. Every
 * answer the bot acknowledged (HTTP 200) must be stored, every interview must resume at the
 * right question, and the data directory must be valid with no temp files left. A corrupt data
 * file stops the start, is left byte for byte, and `npm run data -- repair` moves it aside.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/hostile/requests.js';
import { messageActivity, type Respondent } from '../../bench/load/activities.js';
import { startLoadChannel } from '../../bench/load/channel.js';
import { ServiceStartError } from '../../bench/load/child.js';
import { keepAliveAgent, post } from '../../bench/load/http.js';
import { seedDataDir } from '../../bench/load/seed.js';
import { responseId } from '../../src/core/ids.js';
import type { SurveyResponse } from '../../src/core/types.js';
import { responseFile } from '../../src/storage/layout.js';
import { BotProcess, freePort, runDataCommand } from './botProcess.js';
import { runWorker, type CrashLog } from './respondents.js';
import { currentVersion } from '../../src/storage/jsonFile.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'digikysely-crash-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under `dir`, relative to it. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function storedResponse(dir: string, who: Respondent): Promise<SurveyResponse | undefined> {
  const id = responseId('2026', { channel: 'directline', userId: who.userId });
  try {
    return JSON.parse(currentVersion(await readFile(responseFile(dir, '2026', id), 'utf8')).record) as SurveyResponse;
  } catch {
    return undefined;
  }
}

const SKIP = new Set(['ohita', 'skip']);

describe('crashes', () => {
  it('SIGKILLed three times under load: every acknowledged answer is stored and every interview resumes where it was', async () => {
    const dir = await tempDir();
    const channel = await startLoadChannel();
    cleanups.push(() => channel.close());
    const bot = new BotProcess(dir, await freePort());
    cleanups.push(() => bot.kill());
    await bot.start();

    const log: CrashLog = { acks: [], failedTurns: [], anomalies: [], interviews: new Map() };
    const agent = keepAliveAgent(16);
    cleanups.push(async () => agent.destroy());
    let stopping = false;
    const workers = Array.from({ length: 6 }, (_, w) => runWorker(w, bot, channel, agent, () => stopping, log));

    // Seeded, so a failure can be replayed with the same kill moments.
    const rand = seededRandom(20261128);
    const restartMs: number[] = [];
    for (let kill = 1; kill <= 3; kill++) {
      // Let the load build up, then kill at a random moment (turns are in flight all the time).
      const acksBefore = log.acks.length;
      const until = performance.now() + 500 + rand() * 1000;
      while (performance.now() < until || log.acks.length < acksBefore + 10) await sleep(20);
      await bot.kill();
      const started = performance.now();
      await bot.start();
      restartMs.push(performance.now() - started);
    }
    // The respondents cut off by the last kill find their place again; then everyone stops.
    const acksAfterLastRestart = log.acks.length;
    while (log.acks.length < acksAfterLastRestart + 12) await sleep(20);
    stopping = true;
    await Promise.all(workers);

    // Each interview continues where the bot last said it was (most were last touched before a kill).
    const url = await bot.ready();
    const resumed: string[] = [];
    for (const [who, question] of log.interviews) {
      if (question === undefined) continue;
      const status = messageActivity(channel.url, who, who.lang === 'fi' ? 'tilanne' : 'status');
      const r = await post(`${url}/api/messages`, status, { agent });
      const now = channel.takeQuestion(status);
      if (r.status !== 200 || now !== question) resumed.push(`${who.userId}: was at ${question}, resumed at ${now ?? 'nothing'} (HTTP ${r.status})`);
    }
    expect(await bot.stop()).toBe(0);

    // Every acknowledged answer is on disk (the last acknowledged one per question).
    const lost: string[] = [];
    const lastAck = new Map<string, (typeof log.acks)[number]>();
    for (const ack of log.acks) lastAck.set(`${ack.who.userId}\u0000${ack.question}`, ack);
    for (const ack of lastAck.values()) {
      const stored = await storedResponse(dir, ack.who);
      const where = `${ack.who.userId} ${ack.question} "${ack.text}"`;
      if (ack.question === 'consent') {
        if (stored?.consent?.given !== true) lost.push(`${where}: consent not stored`);
      } else if (ack.question === 'submit') {
        if (stored?.status !== 'submitted') lost.push(`${where}: status ${stored?.status ?? 'missing'}`);
      } else {
        const answer = stored?.answers[ack.question as keyof SurveyResponse['answers']];
        const ok = SKIP.has(ack.text) ? answer?.skipped === true : answer?.raw === ack.text;
        if (!ok) lost.push(`${where}: stored ${JSON.stringify(answer?.raw ?? null)}`);
      }
    }

    const check = await runDataCommand(dir, 'check');
    const files = await tree(dir);
    const interrupted = log.failedTurns.filter((f) => f.question !== undefined).length;
    const byError: Record<string, number> = {};
    for (const f of log.failedTurns) byError[f.error] = (byError[f.error] ?? 0) + 1;
    console.log(
      `[crash] 3 SIGKILLs (restarts took ${restartMs.map((ms) => Math.round(ms)).join(', ')} ms), ${log.interviews.size} interviews, ${log.acks.length} acknowledged answers, ` +
        `${log.failedTurns.length} failed turns ${JSON.stringify(byError)} (${interrupted} of them answers), ` +
        `${resumed.length} wrong resumes, ${lost.length} lost answers, ${files.length} files`,
    );

    expect(log.anomalies.map((a) => `${a.who.userId}: ${a.what}`)).toEqual([]);
    expect(lost).toEqual([]);
    expect(resumed).toEqual([]);
    expect(log.acks.length).toBeGreaterThanOrEqual(42);
    expect(log.failedTurns.length).toBeGreaterThan(0);
    expect(check.output).toContain('No problems found');
    expect(check.code).toBe(0);
    expect(files.filter((f) => f.endsWith('.tmp') || f.startsWith('quarantine'))).toEqual([]);
  }, 120_000);

  it('refuses to start on a corrupt data file, names it, leaves it as it was; `npm run data -- repair` moves it aside', async () => {
    const dir = await tempDir();
    await seedDataDir(dir, 3);
    const victim = responseFile(dir, '2026', responseId('2026', { channel: 'directline', userId: 'seed-user-1' }));
    const original = await readFile(victim);
    // A write cut short by a disk error: half a JSON document.
    const corrupt = original.subarray(0, Math.floor(original.length / 2));
    await writeFile(victim, corrupt);

    const bot = new BotProcess(dir, await freePort());
    cleanups.push(() => bot.kill());
    const failure = await bot.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ServiceStartError);
    const { exitCode, output } = failure as ServiceStartError;
    expect(exitCode).not.toBe(0);
    expect(output).toContain(victim);
    expect(output).toMatch(/npm run data -- repair/);
    expect(Buffer.compare(await readFile(victim), corrupt)).toBe(0);

    const check = await runDataCommand(dir, 'check');
    expect(check.code).toBe(1);
    expect(check.output).toContain(relative(dir, victim));

    const repair = await runDataCommand(dir, 'repair');
    expect(repair.code, repair.output).toBe(0);
    const quarantined = (await tree(dir)).filter((f) => f.startsWith('quarantine'));
    expect(quarantined).toHaveLength(1);
    expect(Buffer.compare(await readFile(join(dir, quarantined[0] as string)), corrupt)).toBe(0);

    const started = await bot.start();
    expect(started.readyLine).toContain('listening on');
    expect(await bot.stop()).toBe(0);
  }, 60_000);
});
