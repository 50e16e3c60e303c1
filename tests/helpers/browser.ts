/**
 * Shared browser launching for end-to-end tests: playwright-core drives Debian's Chromium
 * (Playwright's own browser download cannot work offline). Every page gets a fresh context
 * and may only talk to 127.0.0.1: other requests are aborted and recorded, so a test can
 * assert that nothing left the machine.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Quiet, offline-friendly Chromium flags (no background traffic to Google services). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots and other test artifacts go (git-ignored). */
export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

/** Launches Chromium; throws with the fix when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new Error(
      `Could not start Chromium at ${CHROMIUM_PATH} (${(err as Error).message.split('\n')[0]}). ` +
        'Install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.',
    );
  }
}

/** True for URLs that stay on this machine (127.0.0.1, localhost) or never hit the network. */
export function isLocalUrl(url: string): boolean {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'http:' || protocol === 'https:' || protocol === 'ws:') && (hostname === '127.0.0.1' || hostname === 'localhost');
  } catch {
    return false;
  }
}

export interface IsolatedPage {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested, in order. */
  requests: string[];
  /** Requests that would have left 127.0.0.1 (aborted). */
  offHost: string[];
  /** Browser console errors and page errors, for diagnosing a failing test. */
  errors: string[];
}

/**
 * A page in a new, empty browser context (no cookies or storage from other tests) whose
 * requests may only go to 127.0.0.1. `locale` sets `navigator.language`.
 */
export async function openIsolatedPage(
  browser: Browser,
  opts: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<IsolatedPage> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-US',
    viewport: opts.viewport ?? { width: 900, height: 900 },
    serviceWorkers: 'block',
  });
  const requests: string[] = [];
  const offHost: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    offHost.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, requests, offHost, errors };
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png` and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** CSS selectors of up to five offending elements. */
  targets: string[];
}

/**
 * Runs axe-core on the page and returns its violations (empty when none). Injected through the
 * DevTools protocol, so it works under the page's Content-Security-Policy.
 */
export async function axeViolations(page: Page, tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']): Promise<AxeViolation[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async (runTags) => {
    type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: runTags } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  }, tags);
}
