/** Small statistics for the benches: percentiles and a child process's memory and CPU. */
import { readFile, writeFile } from 'node:fs/promises';

/** The p-th percentile (0..100) of `values` by nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** A field of /proc/<pid>/status in kB (VmHWM = peak RSS, VmRSS = current), or undefined. */
async function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident memory of `pid` in MB since start or the last `resetPeakRss` (Linux only). */
export async function peakRssMb(pid: number): Promise<number | undefined> {
  const kb = await statusKb(pid, 'VmHWM');
  return kb === undefined ? undefined : kb / 1024;
}

/**
 * Resets the kernel's peak-RSS mark of `pid` (`echo 5 > /proc/<pid>/clear_refs`), so the peak
 * measured afterwards belongs to the load, not to start-up. False when the kernel refuses.
 */
export async function resetPeakRss(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time `pid` has used so far, in ms: user + system, and system alone; undefined off Linux. */
export async function cpuMs(pid: number): Promise<{ total: number; system: number } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[11]);
    const system = Number(fields[12]);
    // Linux reports in clock ticks of 1/100 s on every common configuration.
    return Number.isFinite(user) && Number.isFinite(system) ? { total: (user + system) * 10, system: system * 10 } : undefined;
  } catch {
    return undefined;
  }
}
