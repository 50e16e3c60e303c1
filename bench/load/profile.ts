/**
 * Summarises V8 CPU profiles (`--cpu-prof`) of the bot over the measured rounds only (start-up
 * and module loading excluded): where its CPU time goes, by package or project file (self time
 * and inclusive time) and by function (self time).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from './child.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A window of the monotonic clock in µs (V8 profiles and `process.hrtime` share it on Linux). */
export interface Window {
  fromUs: number;
  toUs: number;
}

/** Now on the clock V8's profiler uses, in µs. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** `node_modules/<pkg>` (or `@scope/pkg`), a project-relative file, or a V8/Node bucket. */
function whereOf(url: string): string {
  if (!url) return '(native / V8)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] as string);
  }
  if (path.startsWith(PROJECT_ROOT)) return path.slice(PROJECT_ROOT.length + 1);
  return path.startsWith('node:') ? path : `(node) ${path.split('/').pop()}`;
}

function top(map: Map<string, number>, total: number, count: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`);
}

const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);

/** The largest profile in `dir`: the main thread's (the tsx loader thread writes a small one). */
async function mainThreadProfile(dir: string): Promise<string | undefined> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  const sized = await Promise.all(files.map(async (f) => ({ f, size: (await stat(join(dir, f))).size })));
  return sized.sort((a, b) => b.size - a.size)[0]?.f;
}

interface Summary {
  lines: string[];
  /** Self time (µs) by package / file within the windows. */
  selfByWhere: Map<string, number>;
}

function summariseOne(name: string, profile: CpuProfile, windows: Window[]): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfByWhere = new Map<string, number>();
  const inclusiveByWhere = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (windows.length > 0 && !windows.some((w) => at >= w.fromUs && at <= w.toUs)) return;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = whereOf(url);
    // Native frames by name: the garbage collector, system calls (open, writev, …) and V8 itself.
    add(selfByWhere, url ? where : `(native) ${functionName}`, us);
    add(selfByFunction, `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`, us);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const frame = byId.get(n)?.callFrame;
      if (frame?.url) seen.add(whereOf(frame.url));
    }
    for (const w of seen) add(inclusiveByWhere, w, us);
  });
  const lines = [
    `CPU profile ${name}: ${(total / 1000).toFixed(0)} ms busy in the measured rounds (idle excluded)`,
    ' self time by package / file:',
    ...top(selfByWhere, total, 10),
    ' inclusive time by package / file (time with that code on the stack):',
    ...top(inclusiveByWhere, total, 16),
    ' self time by function:',
    ...top(selfByFunction, total, 15),
  ];
  return { lines, selfByWhere };
}

/**
 * Main-thread self time per turn by package / file, the reference bot beside each other bot,
 * largest differences first: where a turn of ours costs more than the echo bot's.
 */
function compareToReference(reference: string, summaries: Map<string, Summary>, turns: Record<string, number>): string[] {
  const base = summaries.get(reference);
  const refTurns = turns[reference];
  if (base === undefined || !refTurns) return [];
  const out: string[] = [];
  for (const [label, summary] of summaries) {
    const n = turns[label];
    if (label === reference || !n) continue;
    const keys = new Set([...base.selfByWhere.keys(), ...summary.selfByWhere.keys()]);
    const perTurn = (m: Map<string, number>, k: string, count: number) => (m.get(k) ?? 0) / count;
    const rows = [...keys]
      .map((k) => ({ k, a: perTurn(base.selfByWhere, k, refTurns), b: perTurn(summary.selfByWhere, k, n) }))
      .sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
    const sum = (pick: (r: { a: number; b: number }) => number) => rows.reduce((acc, r) => acc + pick(r), 0);
    out.push(
      `main-thread µs per turn, ${reference} → ${label} (profiler overhead included; total ${sum((r) => r.a).toFixed(0)} → ${sum((r) => r.b).toFixed(0)}):`,
      ...rows.slice(0, 25).map((r) => `  ${r.a.toFixed(0).padStart(6)} ${r.b.toFixed(0).padStart(6)} ${(r.b - r.a >= 0 ? '+' : '') + (r.b - r.a).toFixed(0).padStart(5)}  ${r.k}`),
    );
  }
  return out;
}

/**
 * A text summary of the main-thread profile in each sub-directory of `dir` (one per bot), then,
 * given each bot's measured turns, the per-turn comparison of every bot with `reference`.
 */
export async function summariseProfiles(
  dir: string,
  windows: Record<string, Window[]> = {},
  turns: Record<string, number> = {},
  reference = 'echo bot',
): Promise<string> {
  const out: string[] = [];
  const summaries = new Map<string, Summary>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = await mainThreadProfile(join(dir, entry.name));
    if (file === undefined) continue;
    const profile = JSON.parse(await readFile(join(dir, entry.name, file), 'utf8')) as CpuProfile;
    const summary = summariseOne(join(entry.name, file), profile, windows[entry.name] ?? []);
    summaries.set(entry.name, summary);
    out.push(...summary.lines);
  }
  out.push(...compareToReference(reference, summaries, turns));
  return out.join('\n');
}
