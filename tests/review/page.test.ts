import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReviewFixture, type ReviewFixture } from './fixtures.js';

let fx: ReviewFixture;
beforeAll(async () => {
  fx = await startReviewFixture({ page: undefined });
});
afterAll(async () => {
  await fx?.close();
});

const keys = (o: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`])).sort();

describe('review page files', () => {
  it('serves the page, its script and style, and i18next from node_modules, with the strict headers', async () => {
    const page = await fetch(`${fx.url}/review`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'; style-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    // No inline code: every script has a src, no style attributes or elements.
    expect(html.match(/<script\b[^>]*>/g)!.every((tag) => /\ssrc="\/review\//.test(tag))).toBe(true);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    for (const [path, type] of [['/review/review.js', 'text/javascript'], ['/review/review.css', 'text/css'], ['/review/vendor/i18next.js', 'text/javascript'], ['/review/icon.svg', 'image/svg+xml']]) {
      const res = await fetch(`${fx.url}${path}`);
      expect({ path, status: res.status, type: res.headers.get('content-type')?.split(';')[0] }).toEqual({ path, status: 200, type });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await fetch(`${fx.url}/review/locales/sv.json`)).status).toBe(404);
    expect((await fetch(`${fx.url}/review/locales/..%2Fpackage.json`)).status).toBe(404);
  });

  it('serves both languages with the same keys, and the script never inserts HTML', async () => {
    const fi = await (await fetch(`${fx.url}/review/locales/fi.json`)).json();
    const en = await (await fetch(`${fx.url}/review/locales/en.json`)).json();
    expect(Object.keys(fi).sort()).toEqual(['review', 'survey']);
    expect(keys(fi.review)).toEqual(keys(en.review));
    expect(fi.review.signIn.heading).toBe('Kirjaudu sisään');
    const source = await readFile(join(process.cwd(), 'web', 'review', 'review.js'), 'utf8');
    const script = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    expect(script).toContain('textContent');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });
});
