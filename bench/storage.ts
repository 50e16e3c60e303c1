/**
 * Storage figures: `npx tsx bench/storage.ts`.
 *  1. How long opening (validating) a DATA_DIR takes with 10,000 response files (~4 KB) and with
 *     10,000 small state files (~200 bytes).
 *  2. What one save / state write costs with 0 and with 5,000 responses stored (sharding means
 *     the two should be the same), and the longest event-loop stall during those writes.
 *  3. What a turn's transcript append costs early in a conversation and after 1,000 activities
 *     (JSON Lines appends: the two should be the same).
 * Wall times depend on what else runs on the machine; the CPU times printed beside them less so.
 * Uses a temp directory under os.tmpdir(); removes it afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SurveyResponse } from '../src/core/types.js';
import { openDataDir, type DataDir } from '../src/storage/lowdbStore.js';

function response(wave: string, i: number): SurveyResponse {
  const answeredAt = '2026-11-02T08:01:00.000Z';
  return {
    id: `${wave}-r${i}`,
    wave,
    respondent: { channel: 'msteams', userId: `29:user-${i}` },
    language: 'fi',
    status: 'submitted',
    questionnaireVersion: 1,
    startedAt: answeredAt,
    updatedAt: answeredAt,
    conversations: [`a:conversation-${i}`],
    cursor: 10,
    // A realistic record: ten answers of a paragraph each (~4 KB on disk).
    answers: Object.fromEntries(
      (['city', 'role', 'strategy', 'responsibility', 'rpa', 'challenges', 'projects', 'sote_impact', 'goals', 'comments'] as const).map(
        (q) => [
          q,
          {
            question: q,
            raw: 'Digitalisaatio on kaupungin strategian keskiössä ja vastuu on jaettu toimialoille. '.repeat(2),
            categories: ['x'],
            confidence: 0.9,
            source: 'normaliser',
            lang: 'fi',
            answeredAt,
          },
        ],
      ),
    ),
  };
}

/** CPU time (user + system) since `since`: less distorted than wall time on a busy machine. */
function cpuMs(since: NodeJS.CpuUsage): string {
  const used = process.cpuUsage(since);
  return ((used.user + used.system) / 1000).toFixed(0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timeWrites(data: DataDir, label: string): Promise<void> {
  const saves: number[] = [];
  const states: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpu = process.cpuUsage();
  for (let i = 0; i < 200; i++) {
    let t = performance.now();
    await data.responses.save({ ...response('2026', 900_000 + (i % 20)), cursor: i });
    saves.push(performance.now() - t);
    t = performance.now();
    await data.state.write({ [`conversation-${i % 20}`]: { dialogStack: [{ id: 'survey', state: { i } }] } });
    states.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  delay.disable();
  console.log(
    `${label}: responses.save median ${median(saves).toFixed(2)} ms (durable: answer journal, group-committed flush), ` +
      `state.write median ${median(states).toFixed(2)} ms, ${((used.user + used.system) / 1000 / 200).toFixed(2)} ms CPU per save + write, ` +
      `max event-loop stall ${(delay.max / 1e6).toFixed(1)} ms`,
  );
}

/** A turn's transcript append (its two activities, ~1 KB) at a given conversation length. */
async function timeTranscriptAppends(data: DataDir): Promise<void> {
  const activity = (i: number) => ({
    type: 'message',
    id: `a-${i}`,
    timestamp: '2026-11-02T08:01:00.000Z',
    channelId: 'msteams',
    from: { id: '29:user', role: i % 2 ? 'bot' : 'user' },
    conversation: { id: 'a:long' },
    text: 'Digitalisaatio on kaupungin strategian keskiössä ja vastuu on jaettu toimialoille. '.repeat(3),
  });
  const measure = async (turns: number, conversation = 'a:long'): Promise<{ wall: number; cpu: number }> => {
    const walls: number[] = [];
    const cpu = process.cpuUsage();
    for (let t = 0; t < turns; t++) {
      const started = performance.now();
      await Promise.all([
        data.transcripts.append('msteams', conversation, activity(2 * t)),
        data.transcripts.append('msteams', conversation, activity(2 * t + 1)),
      ]);
      walls.push(performance.now() - started);
    }
    const used = process.cpuUsage(cpu);
    return { wall: median(walls), cpu: (used.user + used.system) / 1000 / turns };
  };
  await measure(50, 'a:warm-up'); // the JIT, not the conversation's length
  const early = await measure(20);
  await measure(480); // the conversation grows to 1,000 activities
  const late = await measure(20);
  console.log(
    `transcript append per turn: median ${early.wall.toFixed(2)} ms (${early.cpu.toFixed(2)} ms CPU) at 40 activities, ` +
      `${late.wall.toFixed(2)} ms (${late.cpu.toFixed(2)} ms CPU) at 1,000`,
  );
}

const root = await mkdtemp(join(tmpdir(), 'digikysely-bench-'));
try {
  const dir = join(root, 'var');
  let data = await openDataDir(dir);
  await timeTranscriptAppends(data);
  await timeWrites(data, 'with 0 responses stored    ');

  const total = 10_000;
  for (let i = 0; i < total; i += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, j) => data.responses.save(response(i + j < 5000 ? '2026' : '2018', i + j))));
    if (i + 500 === 5000) await timeWrites(data, 'with 5,000 responses stored');
  }
  await timeWrites(data, 'with 10,000 responses stored');
  await data.close();

  for (let run = 1; run <= 3; run++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    data = await openDataDir(dir);
    const took = performance.now() - started;
    console.log(
      `open #${run}: validated ${data.opened.validFiles} files in ${data.opened.scanMs} ms ` +
        `(open total ${took.toFixed(0)} ms, ${cpuMs(cpu)} ms CPU, warm page cache)`,
    );
    await data.close();
  }
  data = await openDataDir(dir);
  let t = performance.now();
  const wave = await data.responses.list('2026');
  console.log(`responses.list('2026'): ${wave.length} responses in ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  const found = await data.responses.get('2026-r1234');
  console.log(`responses.get: ${found ? 'found' : 'missing'} in ${(performance.now() - t).toFixed(2)} ms`);
  await data.close();

  // The same check over 10,000 small files (conversation/user state of ~200 bytes each).
  const small = join(root, 'small');
  data = await openDataDir(small);
  for (let i = 0; i < 10_000; i += 500) {
    await data.state.write(
      Object.fromEntries(Array.from({ length: 500 }, (_, j) => [`msteams/conversations/a:${i + j}/`, { dialogState: { i: i + j } }])),
    );
  }
  await data.close();
  for (let run = 1; run <= 3; run++) {
    const cpu = process.cpuUsage();
    data = await openDataDir(small);
    console.log(
      `open small #${run}: validated ${data.opened.validFiles} state files in ${data.opened.scanMs} ms (${cpuMs(cpu)} ms CPU)`,
    );
    await data.close();
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
