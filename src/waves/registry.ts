/**
 * The wave registry: `data/waves.json` (tracked by git) with the staff overlay
 * `${DATA_DIR}/waves.json` merged over it. Staff changes (open, close, new wave) only ever write
 * the overlay, atomically and under a file lock, so the bot, the CLI and the web page can share it.
 * Reads notice when another process changed the overlay (they compare the file's stat).
 */
import { readFileSync, statSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from './atomic-write.js';
import { parseBaseFile, parseOverlayFile, WaveFileError, type WaveOverlay, type WaveOverride } from './schema.js';
import { WAVE_ID_PATTERN, type OpenWaveOptions, type Wave, type WaveRegistry } from './types.js';

/** `data/waves.json` of this repository, whatever the working directory. */
export const DEFAULT_WAVES_FILE = fileURLToPath(new URL('../../data/waves.json', import.meta.url));

/** A staff request the registry refuses; `code` maps to HTTP 400 / 404 / 409. */
export class WaveError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'WaveError';
  }
}

export interface LoadWavesOptions {
  /** The tracked definition (default: `data/waves.json` of this repository). */
  baseFile?: string;
  /** Clock for fieldwork dates (tests). */
  now?: () => Date;
  /**
   * Look at the files again (for a wave opened or closed by the CLI of another process) at most
   * this often; 0 (the default) looks at every call. The bot uses 1 s: a turn asks for the open
   * wave several times and a stat per call costs more than the rest of the lookup.
   */
  recheckMs?: number;
}

/** Throws a WaveError unless `id` is a valid wave id. */
export function assertWaveId(id: string): void {
  if (!WAVE_ID_PATTERN.test(id)) {
    throw new WaveError(
      'invalid',
      `Wave id ${JSON.stringify(id)} is not valid: use 1–64 letters, digits, "_" or "-" (for example 2026 or 2027-spring).`,
    );
  }
}

function readJson(file: string, missingOk: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WaveFileError(file, `cannot be read (${(error as Error).message}). Check that the file exists and is readable.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WaveFileError(file, `is not valid JSON (${(error as Error).message}). It has not been changed; fix it by hand.`);
  }
}

/** Freezes `value` and everything inside it (waves are read-only to their users). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function fileSignature(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

function cleanTitle(text: string | undefined, which: string): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t.length === 0 || t.length > 200) {
    throw new WaveError('invalid', `The ${which} title must be 1–200 characters (got ${t.length}).`);
  }
  return t;
}

/** Merges the overlay over the tracked waves and checks the result (at most one open wave). */
export function mergeWaves(base: Wave[], overlay: WaveOverlay | undefined, overlayFile = 'overlay'): Wave[] {
  const waves = base.map((w) => structuredClone(w));
  for (const o of overlay?.waves ?? []) {
    const existing = waves.find((w) => w.id === o.id);
    if (existing) {
      if (o.title) existing.title = { ...existing.title, ...o.title };
      if (o.fieldwork) existing.fieldwork = { ...existing.fieldwork, ...o.fieldwork };
      if (o.questionnaireVersion !== undefined) existing.questionnaireVersion = o.questionnaireVersion;
      if (o.kind !== undefined) existing.kind = o.kind;
      continue;
    }
    if (!o.title?.fi || !o.title.en || o.fieldwork?.start === undefined || o.questionnaireVersion === undefined) {
      throw new WaveFileError(overlayFile, `wave ${o.id} is new here but lacks a title (fi and en), fieldwork.start or questionnaireVersion. Add them, or remove the entry.`);
    }
    waves.push({
      id: o.id,
      title: { fi: o.title.fi, en: o.title.en },
      fieldwork: { start: o.fieldwork.start, end: o.fieldwork.end ?? null },
      questionnaireVersion: o.questionnaireVersion,
      status: 'closed',
      kind: o.kind ?? 'collected',
    });
  }
  if (overlay?.open !== undefined) {
    if (overlay.open !== null && !waves.some((w) => w.id === overlay.open)) {
      throw new WaveFileError(overlayFile, `says wave ${overlay.open} is open, but no such wave exists. Set "open" to an existing wave id or null.`);
    }
    for (const w of waves) w.status = w.id === overlay.open ? 'open' : 'closed';
  }
  const open = waves.filter((w) => w.status === 'open');
  if (open.length > 1) {
    throw new WaveFileError(overlayFile, `leaves ${open.length} waves open (${open.map((w) => w.id).join(', ')}); at most one may be open. Close all but one with \`npm run wave -- close <id>\`.`);
  }
  const baselineOpen = open.find((w) => w.kind === 'baseline');
  if (baselineOpen) {
    throw new WaveFileError(overlayFile, `opens baseline wave ${baselineOpen.id}, which holds published figures only. Open a collected wave instead.`);
  }
  return waves;
}

/**
 * Loads the waves of an installation. `dataDir` is DATA_DIR, where the overlay lives.
 * Throws WaveFileError when a file is unreadable or invalid (nothing is overwritten).
 */
export function loadWaves(dataDir: string, options: LoadWavesOptions = {}): WaveRegistry {
  const baseFile = options.baseFile ?? DEFAULT_WAVES_FILE;
  const overlayFile = path.join(dataDir, 'waves.json');
  const now = options.now ?? (() => new Date());

  const readBase = () => parseBaseFile(baseFile, readJson(baseFile, false));
  const readOverlay = (): WaveOverlay | undefined => {
    const data = readJson(overlayFile, true);
    return data === undefined ? undefined : parseOverlayFile(overlayFile, data);
  };

  let signature = '';
  let checkedAt = 0;
  let waves: Wave[] = [];
  const recheckMs = options.recheckMs ?? 0;
  const refresh = (): Wave[] => {
    if (recheckMs > 0 && signature !== '' && performance.now() - checkedAt < recheckMs) return waves;
    checkedAt = performance.now();
    const next = `${fileSignature(baseFile)}|${fileSignature(overlayFile)}`;
    if (next !== signature) {
      // Frozen and handed out as they are: a turn asks for the open wave several times, and a
      // deep copy each time (baselines carry their published figures) cost more than the rest.
      waves = mergeWaves(readBase(), readOverlay(), overlayFile).map(deepFreeze);
      signature = next;
    }
    return waves;
  };
  refresh();

  // One change at a time inside this process; the file lock covers other processes.
  let queue: Promise<unknown> = Promise.resolve();
  const mutate = (change: (overlay: WaveOverlay, current: Wave[]) => string | undefined, id: string): Promise<Wave> => {
    const run = async (): Promise<Wave> => {
      mkdirSync(dataDir, { recursive: true });
      const release = await lockfile.lock(overlayFile, {
        realpath: false,
        stale: 10_000,
        retries: { retries: 30, minTimeout: 20, maxTimeout: 300 },
      });
      try {
        const base = readBase();
        const overlay: WaveOverlay = readOverlay() ?? { version: 1, waves: [] };
        const current = mergeWaves(base, overlay, overlayFile);
        if (change(overlay, current) === 'unchanged') return current.find((w) => w.id === id)!;
        overlay.updatedAt = now().toISOString();
        mergeWaves(base, overlay, overlayFile); // refuse to write an overlay that would not load
        await writeFileAtomic(overlayFile, `${JSON.stringify(overlay, null, 2)}\n`);
        signature = '';
        return refresh().find((w) => w.id === id)!;
      } finally {
        await release();
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  const entry = (overlay: WaveOverlay, id: string): WaveOverride => {
    let e = overlay.waves.find((w) => w.id === id);
    if (!e) {
      e = { id };
      overlay.waves.push(e);
    }
    return e;
  };

  return {
    list: () => [...refresh()],
    get: (id) => refresh().find((x) => x.id === id),
    openWave: () => refresh().find((x) => x.status === 'open'),
    open: (id: string, opts: OpenWaveOptions = {}) => {
      let titleFi: string | undefined;
      let titleEn: string | undefined;
      try {
        assertWaveId(id);
        if (opts.start !== undefined && !isIsoDate(opts.start)) {
          throw new WaveError('invalid', `Start date ${JSON.stringify(opts.start)} is not a date: write it as YYYY-MM-DD (for example 2026-11-01).`);
        }
        if (opts.questionnaireVersion !== undefined && !(Number.isInteger(opts.questionnaireVersion) && opts.questionnaireVersion >= 1)) {
          throw new WaveError('invalid', `Questionnaire version must be a whole number ≥ 1 (got ${opts.questionnaireVersion}).`);
        }
        titleFi = cleanTitle(opts.titleFi, 'Finnish');
        titleEn = cleanTitle(opts.titleEn, 'English');
      } catch (error) {
        return Promise.reject(error);
      }
      return mutate((overlay, current) => {
        const today = localDate(now());
        const existing = current.find((w) => w.id === id);
        if (existing?.kind === 'baseline') {
          throw new WaveError('conflict', `Wave ${id} is a baseline holding published figures only; it cannot be opened. Open a new wave id instead (for example ${now().getFullYear()}).`);
        }
        for (const w of current) {
          if (w.status === 'open' && w.id !== id && w.fieldwork.end === null) {
            entry(overlay, w.id).fieldwork = { ...entry(overlay, w.id).fieldwork, end: today };
          }
        }
        const e = entry(overlay, id);
        if (!existing) {
          const versions = current.map((w) => w.questionnaireVersion);
          e.title = { fi: titleFi ?? `Digikysely ${id}`, en: titleEn ?? `Digitalisation survey ${id}` };
          e.fieldwork = { start: opts.start ?? today, end: null };
          e.questionnaireVersion = opts.questionnaireVersion ?? Math.max(1, ...versions);
          e.kind = 'collected';
        } else {
          if (titleFi || titleEn) e.title = { ...e.title, ...(titleFi && { fi: titleFi }), ...(titleEn && { en: titleEn }) };
          const start = opts.start ?? (existing.fieldwork.start === null ? today : undefined);
          if (start !== undefined) e.fieldwork = { ...e.fieldwork, start };
          if (existing.fieldwork.end !== null) e.fieldwork = { ...e.fieldwork, end: null };
          if (opts.questionnaireVersion !== undefined) e.questionnaireVersion = opts.questionnaireVersion;
        }
        overlay.open = id;
        return undefined;
      }, id);
    },
    close: (id: string) => {
      try {
        assertWaveId(id);
      } catch (error) {
        return Promise.reject(error);
      }
      return mutate((overlay, current) => {
        const existing = current.find((w) => w.id === id);
        if (!existing) {
          throw new WaveError('not_found', `No wave ${id}. Known waves: ${current.map((w) => w.id).join(', ')} (see \`npm run wave -- list\`).`);
        }
        if (existing.status === 'closed') return 'unchanged';
        if (existing.fieldwork.end === null) {
          const e = entry(overlay, id);
          e.fieldwork = { ...e.fieldwork, end: localDate(now()) };
        }
        overlay.open = null;
        return undefined;
      }, id);
    },
  };
}
