/**
 * The review page in Debian's Chromium (playwright-core): sign in (a wrong password shows an
 * error and is slowed), find an interview by city, read its transcript, see a `<script>` answer
 * stay text, recode an answer and see the dashboard change, export CSV, switch language; axe-core
 * finds no serious or critical accessibility problem. Screenshots go to test-artifacts/.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openIsolatedPage, saveScreenshot, type IsolatedPage } from '../helpers/browser.js';
import { PASSWORD, SCRIPT_ANSWER, startReviewFixture, type ReviewFixture } from './fixtures.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** Base of the sign-in slowdown here: the 3rd wrong password waits this long. */
const DELAY_MS = 400;
/** Generous: the page is quick, but test machines can be very busy. */
const POLL = { timeout: 15_000 };

let fx: ReviewFixture;
let browser: Browser;
let tab: IsolatedPage;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  [fx, browser] = await Promise.all([startReviewFixture({ page: undefined, throttle: { baseDelayMs: DELAY_MS } }), launchBrowser()]);
  tab = await openIsolatedPage(browser, { locale: 'en-US', viewport: { width: 1280, height: 900 } });
  page = tab.page;
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
});

afterAll(async () => {
  await tab?.context.close();
  await browser?.close();
  await fx?.close();
});

/** Runs axe-core in the page; returns the serious and critical violations. */
async function axeViolations(): Promise<string[]> {
  // addScriptTag would insert an inline script, which the page's CSP rightly blocks; evaluating
  // the source through the DevTools protocol is not subject to CSP.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await readFile(AXE, 'utf8'));
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signInAttempt(password: string, viaKeyboard = false): Promise<number> {
  await page.getByLabel('Name').fill('editor');
  await page.getByLabel('Password').fill(password);
  const started = Date.now();
  if (viaKeyboard) await page.getByLabel('Password').press('Enter');
  else await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => {
    const error = document.getElementById('signin-error');
    const button = document.getElementById('signin-submit') as HTMLButtonElement | null;
    return (error && error.textContent !== '' && button && !button.disabled) || document.getElementById('view-signin')?.hidden;
  });
  return Date.now() - started;
}

describe('review page', { timeout: 90_000 }, () => {
  it('signs in; a wrong password shows an error and the third one is slowed down', async () => {
    const first = await page.goto(`${fx.url}/review`);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible(), POLL).toBe(true);
    expect(await axeViolations()).toEqual([]);

    const times = [];
    for (const wrong of ['wrong-1', 'wrong-2', 'wrong-3']) {
      times.push(await signInAttempt(wrong));
      expect(await page.locator('#signin-error').textContent()).toBe('Wrong name or password.');
    }
    expect(times[2]).toBeGreaterThanOrEqual(DELAY_MS - 20);
    await saveScreenshot(page, 'review-signin-error');

    await signInAttempt(PASSWORD, true); // the keyboard alone will do
    await expect.poll(() => page.getByRole('heading', { name: 'Interviews' }).isVisible(), POLL).toBe(true);
    expect(await page.locator('#rv-whoami').textContent()).toBe('editor (editor)');
  });

  it('finds an interview by city and reads its transcript; a <script> answer stays text', async () => {
    await page.getByLabel('City').fill('helsinki');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => page.locator('#interviews-body tr').count(), POLL).toBe(1);
    await expect.poll(() => page.locator('#interviews-caption').textContent(), POLL).toContain('1 found');
    await page.locator('#f-city').fill('');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => page.locator('#interviews-body tr').count(), POLL).toBe(5);
    await saveScreenshot(page, 'review-list');
    expect(await axeViolations()).toEqual([]);

    await page.locator('#f-city').fill('Helsinki');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => page.locator('#interviews-body tr').count(), POLL).toBe(1);
    await page.getByRole('link', { name: 'Helsinki' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Interview: Helsinki' }).isVisible(), POLL).toBe(true);

    // The transcript: both directions, both languages, the second conversation merged in.
    const chat = page.locator('.rv-chat');
    await expect.poll(() => chat.locator(':scope > li').count(), POLL).toBe(7);
    expect(await chat.textContent()).toContain('Hei! Mitä kaupunkia edustatte?');
    expect(await chat.textContent()).toContain('Could you answer in English? Sure.');
    expect(await chat.textContent()).toContain('Jatketaan');
    expect(await chat.locator('.rv-chat-user').count()).toBe(3);

    // The answer with markup is shown literally, in the answer and in the transcript; nothing ran.
    expect(await page.getByText(SCRIPT_ANSWER, { exact: true }).count()).toBe(2);
    expect(await page.getByText(SCRIPT_ANSWER, { exact: true }).first().isVisible()).toBe(true);
    expect(await page.locator('#interview-body script, #interview-body img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(tab.offHost).toEqual([]);
    expect(await axeViolations()).toEqual([]);
    await saveScreenshot(page, 'review-interview');
  });

  it('recoding an answer is recorded and changes the dashboard; CSV downloads', async () => {
    const sharedCell = () =>
      page.locator('table[data-question="responsibility"] tr[data-category="shared"] td.rv-target').textContent();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.locator('#progress-stats').isVisible(), POLL).toBe(true);
    expect(await page.locator('#progress-stats').textContent()).toContain('Submitted3');
    const before = await sharedCell();
    expect(before).toContain('(0)');

    await page.goBack();
    await expect.poll(() => page.getByRole('heading', { name: 'Interview: Helsinki' }).isVisible(), POLL).toBe(true);
    const card = page.locator('article', { has: page.getByRole('heading', { name: 'Responsibility for digitalisation' }) });
    // Open the recode form (a <details>); the view may still re-render once its data arrives,
    // which closes a freshly opened form, so open it until the option is really shown.
    const shared = card.getByLabel('Shared responsibility');
    await expect
      .poll(async () => {
        if (!(await shared.isVisible())) await card.locator('summary').click();
        return shared.isVisible();
      }, POLL)
      .toBe(true);
    await shared.check();
    await card.getByRole('button', { name: 'Save categories' }).click();
    await expect.poll(() => page.locator('#rv-status').textContent(), POLL).toBe('Categories saved.');
    const saved = page.locator('article', { has: page.getByRole('heading', { name: 'Responsibility for digitalisation' }) });
    expect(await saved.locator('.rv-chips').textContent()).toBe('Shared responsibility');
    expect(await saved.locator('.rv-history').textContent()).toContain('editor');
    expect(await saved.locator('.rv-history').textContent()).toContain('IT management → Shared responsibility');
    expect(await saved.textContent()).toContain("Bot's original proposal: IT management");
    await page.getByRole('button', { name: 'Mark as reviewed' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Mark as not reviewed' }).isVisible(), POLL).toBe(true);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(sharedCell, POLL).not.toBe(before);
    expect(await sharedCell()).toContain('(1)');
    await page.locator('details', { has: page.locator('table[data-question="responsibility"]') }).locator('summary').click();
    // The charts are the reports' SVGs, loaded with the session cookie.
    await expect.poll(() => page.locator('.rv-chart img').first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), POLL).toBe(true);
    expect(await axeViolations()).toEqual([]);
    await saveScreenshot(page, 'review-dashboard');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /as CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('digikysely-2026.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('Helsinki');
    expect(csv).toContain('shared');
    expect(dialogs).toEqual([]);
  });

  it('switches to Finnish and signs out', async () => {
    await page.getByLabel('Language').selectOption('fi');
    await expect.poll(() => page.getByRole('heading', { name: 'Koontinäkymä' }).isVisible(), POLL).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('fi');
    await expect.poll(() => page.locator('#progress-stats').textContent(), POLL).toContain('Lähetetty3');
    await saveScreenshot(page, 'review-dashboard-fi');
    await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Kirjaudu sisään' }).isVisible(), POLL).toBe(true);
    const me = await page.evaluate(async () => (await fetch('/api/review/me')).status);
    expect(me).toBe(401);
    expect(tab.errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
