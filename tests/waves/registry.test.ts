import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WAVES_FILE, loadWaves, WaveError } from '../../src/waves/registry.js';
import { WaveFileError } from '../../src/waves/schema.js';

let dir: string;
const fixedNow = () => new Date(2026, 10, 28, 12, 0, 0);

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'waves-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function writeBase(waves: unknown[]): Promise<string> {
  const file = path.join(dir, 'base-waves.json');
  await fs.writeFile(file, JSON.stringify({ waves }));
  return file;
}

const collected = (id: string, status: 'open' | 'closed') => ({
  id,
  title: { fi: `Kysely ${id}`, en: `Survey ${id}` },
  fieldwork: { start: '2026-01-01', end: status === 'open' ? null : '2026-02-01' },
  questionnaireVersion: 1,
  status,
  kind: 'collected',
});

describe('loadWaves on data/waves.json', () => {
  it('lists the tracked waves with their published baselines and the one open wave', () => {
    const waves = loadWaves(path.join(dir, 'var'));
    expect(waves.list().map((w) => w.id)).toEqual(['2016', '2018', '2026']);
    expect(waves.openWave()?.id).toBe('2026');
    const w2018 = waves.get('2018')!;
    expect(w2018.kind).toBe('baseline');
    expect(w2018.published?.n).toBe(14);
    expect(w2018.published?.questions.responsibility?.counts?.it_management).toBe(8);
    expect(waves.get('2016')?.published?.questions.responsibility?.shares?.it_management).toBe(0.75);
    expect(waves.get('nope')).toBeUndefined();
  });

  it('opening a new wave closes the open one and never writes data/waves.json', async () => {
    const before = createHash('sha256').update(readFileSync(DEFAULT_WAVES_FILE)).digest('hex');
    const varDir = path.join(dir, 'var');
    const waves = loadWaves(varDir, { now: fixedNow });
    const opened = await waves.open('2027', { titleFi: 'Digikysely 2027', start: '2027-01-15' });
    expect(opened).toMatchObject({ id: '2027', status: 'open', kind: 'collected', fieldwork: { start: '2027-01-15', end: null } });
    expect(opened.title).toEqual({ fi: 'Digikysely 2027', en: 'Digitalisation survey 2027' });
    expect(waves.get('2026')).toMatchObject({ status: 'closed', fieldwork: { start: '2026-11-01', end: '2026-11-28' } });
    expect(waves.list().filter((w) => w.status === 'open').map((w) => w.id)).toEqual(['2027']);
    // Persisted in the overlay, seen by a fresh load; the tracked file is untouched.
    const again = loadWaves(varDir);
    expect(again.openWave()?.id).toBe('2027');
    expect(again.get('2026')?.status).toBe('closed');
    expect(createHash('sha256').update(readFileSync(DEFAULT_WAVES_FILE)).digest('hex')).toBe(before);
    const overlay = JSON.parse(await fs.readFile(path.join(varDir, 'waves.json'), 'utf8'));
    expect(overlay.open).toBe('2027');
  });
});

describe('WaveRegistry changes', () => {
  it('closes a wave, treats a second close as a no-op and reopens it with the end date cleared', async () => {
    const base = await writeBase([collected('a', 'open'), collected('b', 'closed')]);
    const waves = loadWaves(dir, { baseFile: base, now: fixedNow });
    expect((await waves.close('a')).fieldwork.end).toBe('2026-11-28');
    expect(waves.openWave()).toBeUndefined();
    const stat1 = await fs.stat(path.join(dir, 'waves.json'));
    expect((await waves.close('a')).status).toBe('closed');
    expect((await fs.stat(path.join(dir, 'waves.json'))).mtimeMs).toBe(stat1.mtimeMs);
    const reopened = await waves.open('b');
    expect(reopened).toMatchObject({ status: 'open', fieldwork: { start: '2026-01-01', end: null } });
  });

  it('refuses bad ids, unknown waves, bad dates and opening a baseline, and changes nothing', async () => {
    const waves = loadWaves(dir);
    await expect(waves.open('2026/../x')).rejects.toThrow(/not valid: use 1–64 letters/);
    await expect(waves.open('x'.repeat(65))).rejects.toBeInstanceOf(WaveError);
    await expect(waves.close('1999')).rejects.toMatchObject({ code: 'not_found' });
    await expect(waves.open('2027', { start: '2027-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(waves.open('2027', { titleFi: '   ' })).rejects.toThrow(/Finnish title/);
    await expect(waves.open('2018')).rejects.toMatchObject({ code: 'conflict' });
    expect(waves.openWave()?.id).toBe('2026');
    await expect(fs.stat(path.join(dir, 'waves.json'))).rejects.toThrow();
  });

  it('sees changes made by another process (another registry on the same DATA_DIR)', async () => {
    const a = loadWaves(dir);
    const b = loadWaves(dir);
    expect(b.openWave()?.id).toBe('2026');
    await a.open('2027');
    expect(b.openWave()?.id).toBe('2027');
    await b.close('2027');
    expect(a.openWave()).toBeUndefined();
  });

  it('with recheckMs, looks at the files again only after that long, and sees its own changes at once', async () => {
    const bot = loadWaves(dir, { recheckMs: 300 });
    const cli = loadWaves(dir);
    expect(bot.openWave()?.id).toBe('2026');
    await cli.open('2027');
    // Within the interval the bot keeps what it read (one stat per interval, not per call)…
    expect(bot.openWave()?.id).toBe('2026');
    await new Promise((r) => setTimeout(r, 350));
    // …then sees the other process's change.
    expect(bot.openWave()?.id).toBe('2027');
    // Its own change needs no wait.
    await bot.close('2027');
    expect(bot.openWave()).toBeUndefined();
  });

  it('hands out frozen waves: a caller cannot change what others read', () => {
    const waves = loadWaves(dir);
    const open = waves.openWave()!;
    expect(() => {
      (open as { status: string }).status = 'closed';
    }).toThrow(TypeError);
    expect(() => {
      (open.title as { fi: string }).fi = 'x';
    }).toThrow(TypeError);
    expect(waves.openWave()?.status).toBe('open');
  });

  it('keeps exactly one wave open when two registries open waves at the same time', async () => {
    const a = loadWaves(dir);
    const b = loadWaves(dir);
    await Promise.all([a.open('x1'), b.open('x2'), a.open('x3'), b.open('x4')]);
    const fresh = loadWaves(dir);
    const open = fresh.list().filter((w) => w.status === 'open');
    expect(open).toHaveLength(1);
    expect(fresh.list().map((w) => w.id)).toEqual(expect.arrayContaining(['x1', 'x2', 'x3', 'x4']));
    for (const id of ['x1', 'x2', 'x3', 'x4'].filter((x) => x !== open[0]!.id)) {
      expect(fresh.get(id)?.fieldwork.end).not.toBeNull();
    }
  });
});

describe('broken files', () => {
  it('reports a corrupt overlay loudly and leaves it as it was', async () => {
    const overlay = path.join(dir, 'waves.json');
    await fs.writeFile(overlay, '{"version":1, "waves": [');
    expect(() => loadWaves(dir)).toThrow(WaveFileError);
    expect(() => loadWaves(dir)).toThrow(/not valid JSON.*fix it by hand/);
    expect(await fs.readFile(overlay, 'utf8')).toBe('{"version":1, "waves": [');
  });

  it('rejects an overlay naming an unknown open wave, and a base with two open waves', async () => {
    await fs.writeFile(path.join(dir, 'waves.json'), JSON.stringify({ version: 1, open: 'ghost', waves: [] }));
    expect(() => loadWaves(dir)).toThrow(/wave ghost is open, but no such wave exists/);
    await fs.rm(path.join(dir, 'waves.json'));
    const base = await writeBase([collected('a', 'open'), collected('b', 'open')]);
    expect(() => loadWaves(dir, { baseFile: base })).toThrow(/2 waves open \(a, b\)/);
  });

  it('rejects a base file that breaks the schema, naming the field', async () => {
    const base = await writeBase([{ ...collected('a', 'open'), status: 'running' }]);
    expect(() => loadWaves(dir, { baseFile: base })).toThrow(/\/waves\/0\/status must be equal to one of the allowed values/);
  });
});
