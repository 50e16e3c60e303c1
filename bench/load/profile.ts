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

function summariseOne(name: string, profile: CpuProfile, windows: Window[]): string[] {
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
    add(selfByWhere, where, us);
    add(selfByFunction, `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`, us);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const frame = byId.get(n)?.callFrame;
      if (frame?.url) seen.add(whereOf(frame.url));
    }
    for (const w of seen) add(inclusiveByWhere, w, us);
  });
  return [
    `CPU profile ${name}: ${(total / 1000).toFixed(0)} ms busy in the measured rounds (idle excluded)`,
    ' self time by package / file:',
    ...top(selfByWhere, total, 10),
    ' inclusive time by package / file (time with that code on the stack):',
    ...top(inclusiveByWhere, total, 16),
    ' self time by function:',
    ...top(selfByFunction, total, 15),
  ];
}

/** A text summary of the main-thread profile in each sub-directory of `dir` (one per bot). */
export async function summariseProfiles(dir: string, windows: Record<string, Window[]> = {}): Promise<string> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = await mainThreadProfile(join(dir, entry.name));
    if (file === undefined) continue;
    const profile = JSON.parse(await readFile(join(dir, entry.name, file), 'utf8')) as CpuProfile;
    out.push(...summariseOne(join(entry.name, file), profile, windows[entry.name] ?? []));
  }
  return out.join('\n');
}
