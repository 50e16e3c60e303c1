#!/usr/bin/env node
// Browser tests drive Debian's Chromium through playwright-core (Playwright's own browser
// download cannot work offline). This makes sure /usr/bin/chromium is there before `vitest run`.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.error(
    `[tests] Chromium is missing at ${CHROMIUM}; the browser tests need it.\n` +
      '  On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  Elsewhere: install Chromium and set CHROMIUM_PATH=/path/to/chromium.',
  );
  process.exit(1);
}
console.error('[tests] Installing Debian\'s chromium for the browser tests (apt-get, once)…');
try {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-dejavu-core'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
} catch (err) {
  console.error(`[tests] apt-get could not install chromium: ${err.message}`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`[tests] chromium was installed but ${CHROMIUM} is still missing; set CHROMIUM_PATH.`);
  process.exit(1);
}
