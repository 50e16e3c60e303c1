import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyResponse } from '../../src/core/types.js';
import type { Comparison } from '../../src/reports/types.js';
import { openDataDir } from '../../src/storage/lowdbStore.js';
import { fourteenCities, response } from './fixtures.js';
import { xmlProblem } from './xml.js';

const root = path.resolve(import.meta.dirname, '../..');
// tsx's loader by absolute URL: the CLIs run from a temp working directory, away from node_modules.
const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
let tmp: string;
let dataDir: string;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cli: 'cli-report' | 'cli-export', args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, path.join(root, `src/reports/${cli}.ts`), ...args], {
      cwd: tmp,
      env: { ...process.env, DATA_DIR: dataDir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const finnish = 'Yhteistyö toimialojen kanssa – päätökset hitaita, Åbo 😀';
const later = response('Helsinki', { answers: { responsibility: ['digital_unit'] }, submittedAt: '2026-12-20T00:00:00Z', raw: { responsibility: finnish } });

/** Writes responses as the storage does: DATA_DIR/responses/<wave>/<id>.json. */
async function writeResponses(responses: SurveyResponse[]): Promise<void> {
  for (const r of responses) {
    const dir = path.join(dataDir, 'responses', r.wave);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, `${r.id}.json`), JSON.stringify(r, null, 2));
  }
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'report-cli-'));
  dataDir = path.join(tmp, 'var');
  await writeResponses([...fourteenCities(), later, response('Oulu', { status: 'withdrawn' })]);
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

// Child processes: wall time depends on the machine's load, CPU time is ~1 s per run.
describe('npm run report', { timeout: 120_000 }, () => {
  it('prints the comparison as a table (default, Finnish), csv or json, and nothing else', async () => {
    const base = ['--base', '2018', '--target', '2026'];
    const [table, csv, json] = await Promise.all([
      run('cli-report', base),
      run('cli-report', [...base, '--format', 'csv', '--lang', 'en']),
      run('cli-report', [...base, '--format', 'json']),
    ]);
    for (const r of [table, csv, json]) expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout).toMatch(/^Vertailu: Digikysely 2017–2018 \(2018\) → Digikysely 2026 \(2026\)/);
    expect(table.stdout).toMatch(/^Tietohallinto\s+57,1 % \(8\)\s+50,0 % \(7\)\s+-7,1$/m);
    expect(table.stdout).toContain('1 peruttu');
    const rows = parse(csv.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.question === 'responsibility' && r.category === 'it_management')).toMatchObject({
      category_label: 'IT management',
      base_share_pct: '57.14',
      target_share_pct: '50',
      change_pp: '-7.14',
    });
    const c = JSON.parse(json.stdout) as Comparison;
    expect(c.target.responses).toMatchObject({ total: 16, cities: 14, withdrawn: 1 });
  });

  it('writes a chart per question as SVG and PNG and prints the paths', async () => {
    const out = path.join(tmp, 'charts');
    const r = await run('cli-report', ['--base', '2016', '--target', '2026', '--charts', out, '--lang', 'en']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const printed = r.stdout.trim().split('\n');
    const questions = ['role', 'strategy', 'responsibility', 'rpa', 'challenges', 'projects', 'sote_impact', 'goals'];
    expect(printed).toEqual(questions.flatMap((q) => [path.join(out, `${q}.svg`), path.join(out, `${q}.png`)]));
    const svg = await fs.readFile(path.join(out, 'responsibility.svg'), 'utf8');
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toContain('Responsibility for digitalisation');
    const png = PNG.sync.read(await fs.readFile(path.join(out, 'responsibility.png')));
    expect(png.width).toBe(1600);
  });

  it('fails with exit code 2 and a how-to-fix message on stderr', async () => {
    const cases = await Promise.all([
      run('cli-report', ['--base', '2018', '--format', 'pdf']),
      run('cli-report', ['--base', '2018', '--target', '2031']),
      run('cli-report', ['--base', '2018', '--target', '2026'], { DATA_DIR: path.join(tmp, 'missing') }),
    ]);
    const messages = [/use one of table, md, csv, json/, /No wave 2031\. Known waves: 2016, 2018, 2026/, /Set DATA_DIR to the directory/];
    cases.forEach((r, i) => {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(messages[i]!);
    });
  });

  it('reads the data while the bot holds the lock, and sees what the real store saved', async () => {
    const bot = await openDataDir(dataDir);
    const vaasa = response('Vaasa', { answers: { responsibility: ['shared'] } });
    try {
      await bot.responses.save(vaasa);
      const r = await run('cli-report', ['--base', '2018', '--target', '2026', '--format', 'json']);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as Comparison).target.cities).toBe(15);
    } finally {
      await bot.responses.delete(vaasa.id);
      await bot.close();
    }
  });
});

describe('npm run export', { timeout: 120_000 }, () => {
  it('writes CSV with a BOM that round-trips Finnish text, and JSON as an array of responses', async () => {
    const [csv, toFile] = await Promise.all([
      run('cli-export', ['--wave', '2026']),
      run('cli-export', ['--wave', '2026', '--format', 'json', '--out', 'out.json']),
    ]);
    expect(csv).toMatchObject({ code: 0, stderr: '' });
    expect(csv.stdout.startsWith('\uFEFFresponse_id,wave,city,role,status,counted')).toBe(true);
    const rows = parse(csv.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(16);
    expect(rows.find((r) => r.response_id === later.id)).toMatchObject({ city: 'Helsinki', responsibility_raw: finnish, counted: 'true' });
    expect(toFile).toMatchObject({ code: 0, stdout: `${path.join(tmp, 'out.json')}\n` });
    const records = JSON.parse(await fs.readFile(path.join(tmp, 'out.json'), 'utf8')) as SurveyResponse[];
    expect(records).toHaveLength(16);
    expect(records.find((r) => r.id === later.id)!.answers.responsibility!.raw).toBe(finnish);
  });

  it('refuses a baseline wave with exit code 2', async () => {
    const baseline = await run('cli-export', ['--wave', '2018']);
    expect(baseline).toMatchObject({ code: 2, stdout: '' });
    expect(baseline.stderr).toMatch(/published figures only/);
  });
});
