/**
 * The two fixes a data directory may need after a crash or a bad edit: removing temp files of
 * interrupted writes (an unacknowledged write, never data) and moving corrupt files aside into
 * `DATA_DIR/quarantine/<timestamp>/<their relative path>`. Nothing is ever deleted but temp files.
 */
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { writeDataText } from './jsonFile.js';
import { isTempFileName, QUARANTINE_DIR } from './layout.js';
import type { ScanReport } from './scan.js';

/** Deletes the given temp files (names must look like steno's `.<name>.tmp`); returns those removed. */
export async function removeTempFiles(files: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const file of files) {
    // A guard, not a filter: callers pass scan results, so anything else is a bug.
    if (!isTempFileName(file.slice(dirname(file).length + 1))) {
      throw new Error(`Refusing to delete ${file}: it is not a temp file of an interrupted write.`);
    }
    try {
      await unlink(file);
      removed.push(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}

/** A timestamp usable as a directory name on every OS (no colons). */
export function quarantineStamp(now: Date): string {
  return now.toISOString().replace(/:/g, '-');
}

export interface Quarantined {
  from: string;
  to: string;
}

/** Moves each file to `DATA_DIR/quarantine/<stamp>/<path relative to DATA_DIR>`. */
export async function quarantineFiles(dataDir: string, files: readonly string[], now = new Date()): Promise<Quarantined[]> {
  const target = join(dataDir, QUARANTINE_DIR, quarantineStamp(now));
  const moved: Quarantined[] = [];
  for (const from of files) {
    const rel = relative(dataDir, from);
    if (rel.startsWith('..')) throw new Error(`Refusing to move ${from}: it is outside ${dataDir}.`);
    const to = join(target, rel);
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
    moved.push({ from, to });
  }
  return moved;
}

export interface RepairResult {
  quarantined: Quarantined[];
  /** Record files put back at their last whole earlier version (the damaged file is in quarantine). */
  restored: string[];
  removedTempFiles: string[];
}

/**
 * Applies the fixes to what `scanDataDir` found: corrupt files to quarantine, and where a record
 * file's earlier version is whole, that version written back in its place (the interview loses
 * its last change, not everything). The caller holds the directory's lock.
 */
export async function repairFromScan(report: ScanReport, now = new Date()): Promise<RepairResult> {
  const quarantined = await quarantineFiles(
    report.dir,
    report.corrupt.map((c) => c.file),
    now,
  );
  const restored: string[] = [];
  for (const { file, earlierVersion } of report.corrupt) {
    if (earlierVersion === undefined) continue;
    await writeDataText(file, `${earlierVersion}\n`, { durable: true });
    restored.push(file);
  }
  const removedTempFiles = await removeTempFiles(report.tempFiles);
  return { quarantined, restored, removedTempFiles };
}
