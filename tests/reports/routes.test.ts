import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCompareRoutes } from '../../src/reports/routes.js';
import type { Comparison } from '../../src/reports/types.js';
import { openDataDir, type DataDir } from '../../src/storage/lowdbStore.js';
import { loadWaves } from '../../src/waves/registry.js';
import { fourteenCities, response } from './fixtures.js';
import { memoryStore } from './memory-store.js';
import { xmlProblem } from './xml.js';

interface Running {
  url: string;
  close(): Promise<void>;
}

async function serve(register: (server: restify.Server) => void): Promise<Running> {
  const server = restify.createServer();
  server.use(restify.plugins.queryParser());
  register(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let tmp: string;
let open: Running;
let guarded: Running;
let real: Running;
let dataDir: DataDir;
const later = response('Helsinki', { answers: { responsibility: ['digital_unit'] }, submittedAt: '2026-12-20T00:00:00Z', raw: { responsibility: '=cmd|"/c calc"!A1 digiyksikkö' } });

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'report-routes-'));
  const waves = loadWaves(path.join(tmp, 'var'));
  open = await serve((s) => registerCompareRoutes(s, { waves, responses: memoryStore([...fourteenCities(), later]) }));
  const requireStaff: restify.RequestHandler = (req, res, next) => {
    if (req.header('x-staff') === 'yes') return next();
    res.send(401, { code: 'Unauthorized', message: 'Sign in as staff.' });
    return next(false);
  };
  guarded = await serve((s) => registerCompareRoutes(s, { waves, responses: memoryStore(fourteenCities()), requireStaff }));
  // The real lowdb store, as the bot will wire it.
  dataDir = await openDataDir(path.join(tmp, 'data'));
  for (const r of fourteenCities().slice(0, 6)) await dataDir.responses.save(r);
  real = await serve((s) => registerCompareRoutes(s, { waves: loadWaves(dataDir.dir), responses: dataDir.responses }));
});

afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close(), real?.close()]);
  await dataDir?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

const row = (c: Comparison, q: string, cat: string) => c.questions.find((x) => x.question === q)!.categories.find((r) => r.category === cat)!;

describe('GET /api/compare', () => {
  it('returns the comparison with labels as JSON', async () => {
    const res = await fetch(`${open.url}/api/compare?base=2018&target=2026&lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Comparison & { lang: string; labels: { categories: Record<string, Record<string, string>> } };
    expect(row(body, 'responsibility', 'it_management').target).toEqual({ count: 7, share: 0.5, unknown: false });
    expect(row(body, 'responsibility', 'it_management').base).toEqual({ count: 8, share: 8 / 14, unknown: false });
    expect(row(body, 'responsibility', 'shared').base).toEqual({ count: null, share: null, unknown: true });
    expect(body.target.responses?.duplicates[0]?.counted).toBe(later.id);
    expect(body.labels.categories.responsibility!.it_management).toBe('IT management');
  });

  it.each([
    ['?target=2026', 400, /Missing "base"/],
    ['?base=2018', 400, /Missing "target"/],
    ['?base=../x&target=2026', 400, /must be a wave id/],
    ['?base=2018&target=1999', 404, /No wave "1999". Known waves: 2016, 2018, 2026/],
    ['?base=2026&target=2026', 400, /two different waves/],
    ['?base=2018&target=2026&lang=sv', 400, /lang=fi or lang=en/],
    ['?base=2018&base=2016&target=2026', 400, /Give "base" once/],
  ])('%s → %i with a reason', async (query, status, message) => {
    const res = await fetch(`${open.url}/api/compare${query}`);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it('sits behind requireStaff when given', async () => {
    const denied = await fetch(`${guarded.url}/api/compare?base=2018&target=2026`);
    expect(denied.status).toBe(401);
    for (const p of ['/api/compare/chart/rpa.svg?base=2018&target=2026', '/api/export?wave=2026']) {
      expect((await fetch(`${guarded.url}${p}`)).status).toBe(401);
    }
    const allowed = await fetch(`${guarded.url}/api/compare?base=2018&target=2026`, { headers: { 'x-staff': 'yes' } });
    expect(allowed.status).toBe(200);
  });

  it('reads the real lowdb store', async () => {
    const body = (await (await fetch(`${real.url}/api/compare?base=2016&target=2026`)).json()) as Comparison;
    expect(body.target.cities).toBe(6);
    expect(row(body, 'responsibility', 'it_management').target).toEqual({ count: 6, share: 1, unknown: false });
    expect(row(body, 'responsibility', 'it_management').changePp).toBeCloseTo(25, 10);
    expect(body.questions.find((q) => q.question === 'responsibility')!.target.lowN).toBe(true);
  });
});

describe('GET /api/compare/chart/:question.svg', () => {
  it('returns an SVG chart in the chosen language', async () => {
    const res = await fetch(`${open.url}/api/compare/chart/responsibility.svg?base=2018&target=2026&lang=fi`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toContain('Digitalisaation vastuu');
    expect(svg).toContain('ei tiedossa');
  });

  it('refuses unknown questions (404) and questions without categories (400)', async () => {
    const unknown = await fetch(`${open.url}/api/compare/chart/weather.svg?base=2018&target=2026`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/Charts exist for: role, strategy/);
    expect((await fetch(`${open.url}/api/compare/chart/comments.svg?base=2018&target=2026`)).status).toBe(400);
    expect((await fetch(`${open.url}/api/compare/chart/rpa.svg?base=2018`)).status).toBe(400);
  });
});

describe('GET /api/export', () => {
  it('downloads CSV with a BOM, neutralised formulas and Finnish text intact', async () => {
    const res = await fetch(`${open.url}/api/export?wave=2026&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="digikysely-2026.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(Buffer.from(bytes).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(15);
    expect(rows.find((r) => r.response_id === later.id)!.responsibility_raw).toBe(`'=cmd|"/c calc"!A1 digiyksikkö`);
  });

  it('downloads JSON: an array of the responses', async () => {
    const res = await fetch(`${real.url}/api/export?wave=2026&format=json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="digikysely-2026.json"');
    const body = (await res.json()) as { city?: unknown; answers: { city: { categories: string[] } } }[];
    expect(body.map((r) => r.answers.city.categories[0]).sort()).toEqual(['Espoo', 'Helsinki', 'Oulu', 'Tampere', 'Turku', 'Vantaa']);
  });

  it.each([
    ['?format=csv', 400, /Missing "wave"/],
    ['?wave=2026&format=xlsx', 400, /format=csv or format=json/],
    ['?wave=2026&delimiter=tab', 400, /delimiter=semicolon/],
    ['?wave=2018', 400, /published figures only/],
    ['?wave=2031', 404, /No wave "2031"/],
  ])('%s → %i with a reason', async (query, status, message) => {
    const res = await fetch(`${open.url}/api/export${query}`);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });
});
