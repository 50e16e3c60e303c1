/**
 * End to end in a real browser: Debian's Chromium opens /chat served by a restify server with
 * the local Direct Line and a real CloudAdapter echo bot; typing, both kinds of buttons, and a
 * reload in the middle. Nothing may leave 127.0.0.1. (The same user across new conversations
 * is covered by the token route tests: a third page load of the 4 MB bundle would double this
 * test's time.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser, openIsolatedPage, saveScreenshot } from '../helpers/browser.js';
import { clickButton, sendText, suggestedActions, userTexts, waitForBotText, waitForUserText, waitForWebChat, botTexts } from '../helpers/webchat.js';
import { startEchoServer, TEST_COMPANY, TEST_PRIVACY_URL, type EchoServer } from './echoServer.js';

let server: EchoServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startEchoServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('/chat in Chromium', () => {
  it('chats, clicks suggested actions and card buttons, survives a reload, and stays on 127.0.0.1', async () => {
    // The browser prefers English; ?lang=fi must win.
    const { context, page, requests, offHost, errors } = await openIsolatedPage(browser, { locale: 'en-US' });
    try {
      await page.goto(`${server.url}/chat?lang=fi`);
      await waitForWebChat(page);
      expect(await page.getAttribute('html', 'lang')).toBe('fi');
      expect(await page.title()).toBe(`Kaupunkien digitalisaatiokysely – ${TEST_COMPANY}`);
      expect(await page.locator('.dk-brand').textContent()).toBe(TEST_COMPANY);
      expect(await page.getByRole('link', { name: /Tietosuojaseloste/ }).getAttribute('href')).toBe(TEST_PRIVACY_URL);
      // The input addresses the respondent as formally as the bot does (Web Chat's own: "Kirjoita viestisi").
      expect(await page.locator('input[type=text], textarea').first().getAttribute('placeholder')).toBe('Kirjoittakaa vastauksenne');

      // The welcome comes from the bot's membersAdded handler, in the page's language.
      await waitForBotText(page, 'Tervetuloa! Valitse väri.');
      expect(await suggestedActions(page)).toEqual(['Punainen', 'Sininen']);
      // Our page and Web Chat as configured pass axe-core's WCAG 2.1 A/AA rules.
      expect(await axeViolations(page)).toEqual([]);

      await clickButton(page, 'Sininen');
      await waitForBotText(page, 'Echo: Sininen');
      // Suggested actions belong to the last activity only: the echo has none.
      expect(await suggestedActions(page)).toEqual([]);

      await sendText(page, 'hei');
      await waitForBotText(page, 'Echo: hei');
      await waitForUserText(page, 'hei');

      await sendText(page, 'kortti');
      await waitForBotText(page, 'Aloitetaanko?');
      await clickButton(page, 'Aloita kysely');
      await waitForBotText(page, 'Echo: Aloita kysely');

      const cookie = (await context.cookies()).find((c) => c.name === 'dk_uid');
      expect(cookie?.value).toMatch(/^dl_[A-Za-z0-9_-]{22}$/);
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe('Strict');
      const conversationId = await page.evaluate(() => JSON.parse(sessionStorage.getItem('digikysely.webchat.v1') ?? '{}').conversationId as string);
      expect(conversationId).toMatch(/^local-/);

      // Reload in the middle: the same conversation comes back with its history, then continues.
      await page.reload();
      await waitForWebChat(page);
      await waitForBotText(page, 'Echo: Aloita kysely');
      const history = await botTexts(page);
      expect(history).toHaveLength(5);
      ['Tervetuloa! Valitse väri.', 'Echo: Sininen', 'Echo: hei', 'Aloitetaanko?', 'Echo: Aloita kysely'].forEach((text, i) =>
        expect(history[i]).toContain(text),
      );
      expect(await userTexts(page)).toEqual(['Sininen', 'hei', 'kortti', 'Aloita kysely']);
      await sendText(page, 'jatkuu');
      await waitForBotText(page, 'Echo: jatkuu');
      await saveScreenshot(page, 'webchat-fi');

      // The bot saw one conversation, one user (the cookie's), Finnish, and greeted once.
      const messages = server.seen.filter((t) => t.type === 'message');
      expect(messages.map((t) => t.text)).toEqual(['Sininen', 'hei', 'kortti', 'Aloita kysely', 'jatkuu']);
      expect(new Set(server.seen.map((t) => t.conversationId))).toEqual(new Set([conversationId]));
      expect(new Set(server.seen.map((t) => t.userId))).toEqual(new Set([cookie!.value]));
      expect(new Set(messages.map((t) => t.locale))).toEqual(new Set(['fi-FI']));
      expect(server.seen.filter((t) => t.type === 'conversationUpdate')).toHaveLength(1);

      expect(errors).toEqual([]);

      // A kept token that no longer works (as after a server restart): the page starts a new
      // conversation for the same user instead of failing.
      // (Changed before the page's scripts run: on leaving, the page saves its current token.)
      await page.addInitScript(() => {
        if (sessionStorage.getItem('test.tampered')) return;
        sessionStorage.setItem('test.tampered', '1');
        const kept = JSON.parse(sessionStorage.getItem('digikysely.webchat.v1') ?? '{}') as { token: string };
        sessionStorage.setItem('digikysely.webchat.v1', JSON.stringify({ ...kept, token: 'invalid.token.value' }));
      });
      await page.reload();
      await waitForBotText(page, 'Tervetuloa! Valitse väri.');
      expect(await botTexts(page)).toEqual(['Tervetuloa! Valitse väri.']);
      const fresh = server.seen[server.seen.length - 1];
      expect(fresh).toMatchObject({ type: 'conversationUpdate', userId: cookie!.value });
      expect(fresh.conversationId).not.toBe(conversationId);

      expect(offHost).toEqual([]);
      expect(requests.length).toBeGreaterThan(10);
      expect(requests.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
      // The only console error left is the refused refresh of the spoilt token.
      expect(errors).toEqual([expect.stringMatching(/status of 401/)]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('picks the language from navigator.language when there is no ?lang (fi* → fi, else en)', async () => {
    for (const [locale, lang, title] of [
      ['fi-FI', 'fi', 'Kaupunkien digitalisaatiokysely'],
      ['sv-FI', 'en', 'City digitalisation survey'],
    ]) {
      const { context, page, offHost } = await openIsolatedPage(browser, { locale });
      try {
        // The page's own strings do not need Web Chat: skip its 4 MB bundle to stay fast.
        await page.route('**/chat/webchat.js', (route) => route.abort());
        await page.goto(`${server.url}/chat`);
        await page.waitForFunction((expected) => document.title.startsWith(expected), title);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(offHost).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
