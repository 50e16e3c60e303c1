import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffExamples, staffExamplesFile } from '../../src/review/training.js';
import { api, PASSWORD, SCRIPT_ANSWER, signIn, startReviewFixture, type ReviewFixture, type Session } from './fixtures.js';

let fx: ReviewFixture;
let admin: Session;
let editor: Session;
let viewer: Session;
const retrained: { question: string; text: string; categories: string[] }[][] = [];

beforeAll(async () => {
  fx = await startReviewFixture({
    retrain: async (examples) => {
      retrained.push(examples);
    },
  });
  [admin, editor, viewer] = await Promise.all([signIn(fx.url, 'admin'), signIn(fx.url, 'editor'), signIn(fx.url, 'viewer')]);
});
afterAll(async () => {
  await fx?.close();
});

const get = (path: string, session?: Session) => api(fx.url, 'GET', path, { session });
const post = (path: string, session: Session | undefined, body: unknown = {}, opts: { csrf?: string | null; headers?: Record<string, string> } = {}) =>
  api(fx.url, 'POST', path, { session, body, ...opts });

describe('without a session', () => {
  it('every staff route answers 401, the reports downloads and charts too', async () => {
    const id = fx.ids.helsinki;
    const routes: [string, string][] = [
      ['GET', '/api/review/me'],
      ['GET', '/api/review/meta'],
      ['GET', '/api/review/interviews'],
      ['GET', `/api/review/interviews/${id}`],
      ['GET', `/api/review/interviews/${id}/transcript`],
      ['POST', `/api/review/interviews/${id}/answers/responsibility/recode`],
      ['POST', `/api/review/interviews/${id}/reviewed`],
      ['POST', `/api/review/interviews/${id}/counts`],
      ['POST', '/api/review/retrain'],
      ['GET', '/api/review/agreement'],
      ['GET', '/api/review/dashboard'],
      ['GET', '/api/review/waves'],
      ['POST', '/api/review/waves/2026/open'],
      ['POST', '/api/review/waves/2026/close'],
      ['GET', '/api/review/accounts'],
      ['POST', '/api/review/accounts'],
      ['POST', '/api/review/accounts/viewer/role'],
      ['DELETE', '/api/review/accounts/viewer'],
      ['POST', '/api/review/sign-out'],
      ['GET', '/api/export?wave=2026&format=csv'],
      ['GET', '/api/compare?base=2018&target=2026'],
      ['GET', '/api/compare/chart/responsibility.svg?base=2018&target=2026'],
    ];
    for (const [method, path] of routes) {
      const res = await api(fx.url, method, path, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    // A made-up or stale cookie is no better.
    const stale = await api(fx.url, 'GET', '/api/review/me', { headers: { cookie: 'dk_session=not-a-session' } });
    expect(stale.status).toBe(401);
  });
});

describe('sign-in', () => {
  it('sets an HttpOnly SameSite=Strict session cookie and returns a CSRF token', async () => {
    const res = await api(fx.url, 'POST', '/api/review/sign-in', { body: { name: 'viewer', password: PASSWORD } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^dk_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(res.body).toMatchObject({ name: 'viewer', role: 'viewer' });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Behind an https proxy the cookie is Secure.
    const https = await api(fx.url, 'POST', '/api/review/sign-in', {
      body: { name: 'viewer', password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(https.headers.get('set-cookie')).toContain('; Secure');
  });

  it('refuses a wrong password, an unknown name, a form post and a foreign origin', async () => {
    expect((await api(fx.url, 'POST', '/api/review/sign-in', { body: { name: 'nobody', password: 'x' } })).status).toBe(401);
    const form = await fetch(`${fx.url}/api/review/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `name=admin&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(form.status).toBe(415);
    const foreign = await api(fx.url, 'POST', '/api/review/sign-in', {
      body: { name: 'admin', password: PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
  });

  it('me returns the account and the security headers', async () => {
    const res = await get('/api/review/me', editor);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'editor', role: 'editor', csrfToken: editor.csrf });
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('roles and CSRF', () => {
  it('a viewer reads but may not recode (403); an editor may not open waves (403)', async () => {
    expect((await get(`/api/review/interviews/${fx.ids.helsinki}`, viewer)).status).toBe(200);
    const recode = await post(`/api/review/interviews/${fx.ids.tampereNew}/answers/role/recode`, viewer, { categories: ['mayor'] });
    expect(recode.status).toBe(403);
    expect(recode.body.error).toBe('forbidden');
    expect((await post(`/api/review/interviews/${fx.ids.tampereNew}/reviewed`, viewer, { reviewed: true })).status).toBe(403);
    expect((await post('/api/review/waves/2026/close', editor)).status).toBe(403);
    expect((await get('/api/review/accounts', editor)).status).toBe(403);
    // Nothing changed.
    const detail = await get(`/api/review/interviews/${fx.ids.tampereNew}`, viewer);
    expect(detail.body.answers.find((a: any) => a.question === 'role').answer.categories.map((c: any) => c.id)).toEqual(['cdo']);
  });

  it('a change without the CSRF token, with a wrong one or from another origin is refused (403)', async () => {
    const path = `/api/review/interviews/${fx.ids.tampereNew}/reviewed`;
    const missing = await post(path, editor, { reviewed: true }, { csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.body.error).toBe('csrf');
    expect((await post(path, editor, { reviewed: true }, { csrf: viewer.csrf })).status).toBe(403);
    expect((await post(path, editor, { reviewed: true }, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await post(path, editor, { reviewed: true }, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    const detail = await get(`/api/review/interviews/${fx.ids.tampereNew}`, editor);
    expect(detail.body.review.reviewed).toBe(false);
    // Same origin with the token works.
    const ok = await post(path, editor, { reviewed: true }, { headers: { origin: fx.url } });
    expect(ok.status).toBe(200);
    expect(ok.body.review).toMatchObject({ reviewed: true, by: 'editor' });
    expect((await post(path, editor, { reviewed: false })).status).toBe(200);
  });
});

describe('interviews list', () => {
  it('filters by wave, city (without diacritics), status, category, low confidence and unreviewed', async () => {
    const all = await get('/api/review/interviews?wave=2026', viewer);
    expect(all.body.total).toBe(5);
    const tampere = await get('/api/review/interviews?city=tamp', viewer);
    expect(tampere.body.rows.map((r: any) => r.id).sort()).toEqual([fx.ids.tampereNew, fx.ids.tampereOld].sort());
    expect(tampere.body.rows.every((r: any) => r.duplicateCity)).toBe(true);
    expect(tampere.body.rows.find((r: any) => r.id === fx.ids.tampereNew).counted).toBe(true);
    expect(tampere.body.rows.find((r: any) => r.id === fx.ids.tampereOld).countReason).toBe('superseded');
    const hki = await get(`/api/review/interviews?city=${encodeURIComponent('HELSINKI')}`, viewer);
    expect(hki.body.rows).toHaveLength(1);
    expect(hki.body.rows[0]).toMatchObject({ city: 'Helsinki', role: 'mayor', status: 'submitted', language: 'fi', answered: 4, lowestConfidence: 0.66 });
    expect((await get('/api/review/interviews?status=in_progress', viewer)).body.rows.map((r: any) => r.id)).toEqual([fx.ids.espoo]);
    const withdrawn = await get('/api/review/interviews?status=withdrawn', viewer);
    expect(withdrawn.body.rows).toEqual([expect.objectContaining({ id: fx.ids.withdrawn, city: null, answered: 0 })]);
    const digital = await get('/api/review/interviews?question=responsibility&category=digital_unit', viewer);
    expect(digital.body.rows.map((r: any) => r.id)).toEqual([fx.ids.tampereOld]);
    // Low confidence: normaliser-coded below 0.8 (Helsinki 0.66, Espoo 0.72).
    const low = await get('/api/review/interviews?lowConfidence=1', viewer);
    expect(low.body.rows.map((r: any) => r.id).sort()).toEqual([fx.ids.helsinki, fx.ids.espoo].sort());
    const unreviewed = await get('/api/review/interviews?unreviewed=1', viewer);
    expect(unreviewed.body.total).toBe(4); // the withdrawn one has nothing to review
    expect((await get('/api/review/interviews?status=done', viewer)).status).toBe(400);
    expect((await get('/api/review/interviews?wave=1999', viewer)).status).toBe(404);
  });

  it('searches the answers\' text (all words, any case, without diacritics) and pages', async () => {
    const found = await get(`/api/review/interviews?q=${encodeURIComponent('digital OFFICE')}`, viewer);
    expect(found.body.rows.map((r: any) => r.id)).toEqual([fx.ids.tampereOld]);
    const folded = await get(`/api/review/interviews?q=${encodeURIComponent('vetaa kaupunginjohto')}`, viewer);
    expect(folded.body.rows.map((r: any) => r.id)).toEqual([fx.ids.tampereNew]);
    expect((await get('/api/review/interviews?q=nonexistentword', viewer)).body.total).toBe(0);
    const page1 = await get('/api/review/interviews?pageSize=2&page=1', viewer);
    const page3 = await get('/api/review/interviews?pageSize=2&page=3', viewer);
    expect(page1.body).toMatchObject({ total: 5, pages: 3, page: 1, pageSize: 2 });
    expect(page1.body.rows).toHaveLength(2);
    expect(page3.body.rows).toHaveLength(1);
    // Latest activity first, and pages do not overlap.
    expect(page1.body.rows[0].id).toBe(fx.ids.espoo);
    const seen = [...page1.body.rows, ...(await get('/api/review/interviews?pageSize=2&page=2', viewer)).body.rows, ...page3.body.rows];
    expect(new Set(seen.map((r: any) => r.id)).size).toBe(5);
    expect((await get('/api/review/interviews?pageSize=0', viewer)).status).toBe(400);
  });
});

describe('one interview', () => {
  it('shows every question with raw text, categories with labels, confidence and source', async () => {
    const res = await get(`/api/review/interviews/${fx.ids.helsinki}?lang=en`, viewer);
    expect(res.status).toBe(200);
    const resp = res.body.answers.find((a: any) => a.question === 'responsibility');
    expect(resp.answer).toMatchObject({ raw: SCRIPT_ANSWER, confidence: 0.66, source: 'normaliser', lang: 'fi' });
    expect(resp.answer.categories).toEqual([{ id: 'it_management', label: expect.any(String) }]);
    expect(resp.options.map((o: any) => o.id)).toEqual(['it_management', 'city_management', 'digital_unit', 'business_units', 'shared']);
    expect(res.body.answers.map((a: any) => a.question)).toEqual(
      ['city', 'role', 'strategy', 'responsibility', 'rpa', 'challenges', 'projects', 'sote_impact', 'goals', 'comments'],
    );
    expect(res.body.answers.find((a: any) => a.question === 'strategy').answer).toBeNull();
    expect(JSON.stringify(res.body)).not.toContain('u-helsinki'); // the channel's user id is not shown
    expect((await get('/api/review/interviews/nope', viewer)).status).toBe(404);
    expect((await get('/api/review/interviews/..%2F..%2Fetc', viewer)).status).toBe(400);
  });

  it('a withdrawn interview shows as withdrawn with no content', async () => {
    const res = await get(`/api/review/interviews/${fx.ids.withdrawn}`, viewer);
    expect(res.body).toMatchObject({ status: 'withdrawn', answers: [], conversations: 0, counting: { city: null } });
    expect((await get(`/api/review/interviews/${fx.ids.withdrawn}/transcript`, viewer)).body.activities).toEqual([]);
    const recode = await post(`/api/review/interviews/${fx.ids.withdrawn}/answers/role/recode`, editor, { categories: ['mayor'] });
    expect(recode.status).toBe(409);
  });

  it('the transcript merges both conversations in time order, both directions and languages', async () => {
    const res = await get(`/api/review/interviews/${fx.ids.helsinki}/transcript`, viewer);
    expect(res.status).toBe(200);
    const acts = res.body.activities;
    expect(acts.map((a: any) => `${a.type}:${a.role}`)).toEqual([
      'conversationUpdate:user', 'message:bot', 'message:user', 'message:bot', 'message:user', 'message:user', 'message:bot',
    ]);
    expect(acts[3]).toMatchObject({ question: 'responsibility', buttons: ['Tietohallinto', 'Kaupunginjohto'] });
    expect(acts[4]).toMatchObject({ text: 'Jatketaan', conversation: 'conv-u-helsinki-2' });
    expect(acts[5].text).toBe(SCRIPT_ANSWER);
    expect(acts[6]).toMatchObject({ locale: 'en-US', text: 'Could you answer in English? Sure.' });
  });
});

describe('recoding', () => {
  it('records who, when, old → new beside the answer, keeps the normaliser\'s proposal and writes a training example', async () => {
    const path = `/api/review/interviews/${fx.ids.helsinki}/answers/responsibility/recode`;
    expect((await post(path, editor, { categories: ['nonsense'] })).status).toBe(400);
    expect((await post(path, editor, { categories: ['it_management', 'shared'] })).status).toBe(400); // single
    expect((await post(path, editor, { categories: 'shared' })).status).toBe(400);
    expect((await post(`/api/review/interviews/${fx.ids.helsinki}/answers/rpa/recode`, editor, { categories: ['planned'] })).status).toBe(409); // skipped
    expect((await post(`/api/review/interviews/${fx.ids.helsinki}/answers/nope/recode`, editor, { categories: [] })).status).toBe(404);

    const res = await post(path, editor, { categories: ['shared'] });
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(true);
    const stored = (await fx.data.responses.get(fx.ids.helsinki))!.answers.responsibility!;
    expect(stored).toMatchObject({
      categories: ['shared'],
      source: 'staff',
      raw: SCRIPT_ANSWER,
      normaliser: { categories: ['it_management'], confidence: 0.66 },
      recodes: [{ by: 'editor', at: '2026-11-10T12:00:00.000Z', from: ['it_management'], to: ['shared'], fromSource: 'normaliser' }],
    });
    // The same categories again change nothing and add no entry.
    expect((await post(path, editor, { categories: ['shared'] })).body.changed).toBe(false);

    // A multi question: several ids, stored in the question's order.
    const multi = await post(`/api/review/interviews/${fx.ids.helsinki}/answers/challenges/recode`, admin, { categories: ['funding', 'agility', 'funding'] });
    expect(multi.status).toBe(200);
    expect((await fx.data.responses.get(fx.ids.helsinki))!.answers.challenges!.categories).toEqual(['agility', 'funding']);

    const lines = (await readFile(staffExamplesFile(fx.dir), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { text: SCRIPT_ANSWER, lang: 'fi', categories: ['shared'], question: 'responsibility', by: 'editor', at: '2026-11-10T12:00:00.000Z' },
      { text: 'Muutosjohtaminen ja rahoitus', lang: 'fi', categories: ['agility', 'funding'], question: 'challenges', by: 'admin', at: '2026-11-10T12:00:00.000Z' },
    ]);
    expect((await staffExamples(fx.dir)).examples).toHaveLength(2);
  });

  it('a city can be recoded to an official municipality name only', async () => {
    const path = `/api/review/interviews/${fx.ids.espoo}/answers/city/recode`;
    expect((await post(path, editor, { categories: ['Espoon kaupunki'] })).status).toBe(400);
    expect((await post(path, editor, { categories: ['Kauniainen'] })).status).toBe(200);
    expect((await post(path, editor, { categories: ['Espoo'] })).status).toBe(200);
  });

  it('retrain hands the staff examples to the injected function', async () => {
    expect((await post('/api/review/retrain', viewer)).status).toBe(403);
    const res = await post('/api/review/retrain', editor);
    expect(res.status).toBe(200);
    expect(res.body.examples).toBe(retrained.at(-1)!.length);
    expect(retrained.at(-1)!.map((e) => e.question)).toContain('responsibility');
    expect(retrained.at(-1)!.every((e) => Array.isArray(e.categories) && typeof e.text === 'string')).toBe(true);
  });
});

describe('which submission counts', () => {
  it('staff choose a city\'s submission; the choice moves between submissions', async () => {
    const before = await get(`/api/review/interviews/${fx.ids.tampereOld}`, viewer);
    expect(before.body.counting).toMatchObject({ counted: false, reason: 'superseded', city: 'Tampere' });
    expect(before.body.counting.others).toEqual([expect.objectContaining({ id: fx.ids.tampereNew, counted: true })]);

    const chosen = await post(`/api/review/interviews/${fx.ids.tampereOld}/counts`, editor);
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ counted: true, reason: 'counted' });
    expect((await fx.data.responses.get(fx.ids.tampereOld))!.counts).toBe(true);

    // Choosing the other clears the first choice.
    await post(`/api/review/interviews/${fx.ids.tampereNew}/counts`, editor, { counts: true });
    expect((await fx.data.responses.get(fx.ids.tampereOld))!.counts).toBeUndefined();
    expect((await fx.data.responses.get(fx.ids.tampereNew))!.counts).toBe(true);

    // An interview in progress cannot count; a bad body is a 400.
    expect((await post(`/api/review/interviews/${fx.ids.espoo}/counts`, editor)).status).toBe(409);
    expect((await post(`/api/review/interviews/${fx.ids.tampereNew}/counts`, editor, { counts: 'yes' })).status).toBe(400);
    // Back to automatic.
    expect((await post(`/api/review/interviews/${fx.ids.tampereNew}/counts`, editor, { counts: null })).status).toBe(200);
    expect((await fx.data.responses.get(fx.ids.tampereNew))!.counts).toBeUndefined();
  });
});

describe('dashboard, waves and downloads', () => {
  it('shows the wave\'s progress and a comparison that follows a recode', async () => {
    const res = await get('/api/review/dashboard?wave=2026&base=2018&lang=en', viewer);
    expect(res.status).toBe(200);
    expect(res.body.progress).toMatchObject({ started: 5, inProgress: 1, submitted: 3, withdrawn: 1, citiesWithSubmission: 2, citiesCounted: 2, duplicateCities: 1 });
    const row = (body: any, category: string) =>
      body.comparison.questions.find((x: any) => x.question === 'role').categories.find((c: any) => c.category === category);
    expect(row(res.body, 'cdo').target.count).toBe(1);
    expect(res.body.comparison.base.id).toBe('2018');
    await post(`/api/review/interviews/${fx.ids.tampereNew}/answers/role/recode`, editor, { categories: ['mayor'] });
    const after = await get('/api/review/dashboard?wave=2026&base=2018&lang=en', viewer);
    expect(row(after.body, 'cdo').target.count).toBe(0);
    expect(row(after.body, 'mayor').target.count).toBe(2);
  });

  it('downloads CSV and JSON through the reports routes with a session', async () => {
    const csv = await get('/api/export?wave=2026&format=csv', viewer);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('digikysely-2026.csv');
    expect(csv.body).toContain('Tampere');
    expect(csv.headers.get('x-content-type-options')).toBe('nosniff');
    const json = await get('/api/export?wave=2026&format=json', viewer);
    expect(Array.isArray(json.body)).toBe(true);
    const chart = await get('/api/compare/chart/responsibility.svg?base=2018&target=2026&lang=fi', viewer);
    expect(chart.status).toBe(200);
    expect(chart.body).toContain('<svg');
  });

  it('admins close and open waves', async () => {
    const closed = await post('/api/review/waves/2026/close', admin);
    expect(closed.status).toBe(200);
    expect(closed.body.open).toBeNull();
    expect((await get('/api/review/waves', viewer)).body.open).toBeNull();
    const opened = await post('/api/review/waves/2026/open', admin);
    expect(opened.body).toMatchObject({ open: '2026', wave: { status: 'open' } });
    expect((await post('/api/review/waves/2018/open', admin)).status).toBe(409); // a baseline
    expect((await post('/api/review/waves/bad%20id/close', admin)).status).toBe(400);
  });
});

describe('accounts and sessions', () => {
  it('admins add accounts (password generated once), change roles and remove them; removal ends sessions', async () => {
    const added = await post('/api/review/accounts', admin, { name: 'temp.user', role: 'viewer' });
    expect(added.status).toBe(201);
    expect(added.body.password).toMatch(/^[A-Za-z0-9]{20}$/);
    const temp = await signIn(fx.url, 'temp.user', added.body.password);
    expect((await get('/api/review/me', temp)).body.role).toBe('viewer');
    expect((await post('/api/review/accounts/temp.user/role', admin, { role: 'boss' })).status).toBe(400);
    await post('/api/review/accounts/temp.user/role', admin, { role: 'editor' });
    expect((await get('/api/review/me', temp)).body.role).toBe('editor'); // takes effect at once
    expect((await post('/api/review/accounts', admin, { name: 'Bad Name' })).status).toBe(400);
    expect((await post('/api/review/accounts', admin, { name: 'temp.user' })).status).toBe(409);
    expect((await api(fx.url, 'DELETE', '/api/review/accounts/admin', { session: admin })).status).toBe(409);
    expect((await api(fx.url, 'DELETE', '/api/review/accounts/temp.user', { session: admin })).status).toBe(200);
    expect((await get('/api/review/me', temp)).status).toBe(401);
    const list = await get('/api/review/accounts', admin);
    expect(list.body.accounts.map((a: any) => a.name).sort()).toEqual(['admin', 'editor', 'viewer']);
    expect(JSON.stringify(list.body)).not.toContain('argon2');
  });

  it('sessions end after an idle hour, after 8 hours, and on sign-out', async () => {
    const s = await signIn(fx.url, 'viewer');
    fx.advance(59 * 60_000);
    expect((await get('/api/review/me', s)).status).toBe(200); // touching it keeps it alive
    fx.advance(59 * 60_000);
    expect((await get('/api/review/me', s)).status).toBe(200);
    fx.advance(61 * 60_000);
    expect((await get('/api/review/me', s)).status).toBe(401); // idle

    const long = await signIn(fx.url, 'viewer');
    for (let i = 0; i < 16; i++) {
      fx.advance(30 * 60_000);
      const status = (await get('/api/review/me', long)).status;
      expect(status).toBe(i < 15 ? 200 : 401); // the 16th half hour reaches 8 h
    }

    const out = await signIn(fx.url, 'viewer');
    expect((await post('/api/review/sign-out', out, {}, { csrf: null })).status).toBe(403);
    const signedOut = await post('/api/review/sign-out', out);
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await get('/api/review/me', out)).status).toBe(401);
  });
});
