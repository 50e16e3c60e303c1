/**
 * End to end in a real browser: Debian's Chromium (playwright-core) opens `/chat` of the real
 * bot (`createApp`: dialogs, lowdb storage, normaliser, local Direct Line) and answers a whole
 * interview through Web Chat by typing and clicking, in Finnish (with a reload in the middle)
 * and in English. The page runs under its Content-Security-Policy; nothing may leave
 * 127.0.0.1; screenshots go to `test-artifacts/webchat-interview-{fi,en}.png`.
 *
 * Expected texts come from the project's own locales and questionnaire, so a rewording there
 * does not break this test, but a question asked out of turn does.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../bot/app.js';
import { questionById, questionnaire } from '../../src/core/questionnaire.js';
import type { Lang, SurveyResponse } from '../../src/core/types.js';
import { translator } from '../../src/i18n.js';
import { categoryLabel, questionPrompt } from '../../src/interview/labels.js';
import { startApp } from '../helpers/app.js';
import { axeViolations, launchBrowser, openIsolatedPage, saveScreenshot, type IsolatedPage } from '../helpers/browser.js';
import { removeDir, tempDir } from '../helpers/surveyHarness.js';
import { BUBBLE_CONTENT, botTexts, clickButton, sendText, suggestedActions, userTexts, waitForBotText, waitForWebChat } from '../helpers/webchat.js';

const BOT_BUBBLE = `.webchat__bubble:not(.webchat__bubble--from-user) ${BUBBLE_CONTENT}`;
/** Generous: the machine running the suite is shared and often loaded. */
const REPLY_TIMEOUT = 20_000;
const LOAD_TIMEOUT = 30_000;
const SESSION_KEY = 'digikysely.webchat.v1';

const survey = questionnaire();
const TOTAL = survey.questions.length;

let dir: string;
let app: App;
let browser: Browser;

beforeAll(async () => {
  dir = await tempDir('digikysely-e2e-');
  [app, browser] = await Promise.all([startApp(dir), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) await removeDir(dir);
});

/** What the bot shows when it asks question `id`: "Kysymys n/10: <prompt>". */
function prompt(id: string, lang: Lang): string {
  const index = survey.questions.findIndex((q) => q.id === id);
  return `${translator(lang)('progress', { n: index + 1, total: TOTAL })}: ${questionPrompt(survey.questions[index]!, lang)}`;
}

function label(questionId: string, category: string, lang: Lang): string {
  return categoryLabel(questionById(survey, questionId), category, lang);
}

/**
 * Does `action` (typing or clicking), then waits for a bot bubble that is new since the action
 * and contains `expected`; returns all bot texts that arrived meanwhile.
 */
async function step(page: Page, action: () => Promise<void>, expected: string): Promise<string[]> {
  const before = await page.locator(BOT_BUBBLE).count();
  await action();
  try {
    await page.waitForFunction(
      ([selector, from, text]) =>
        Array.from(document.querySelectorAll(selector as string))
          .slice(from as number)
          .some((el) => (el as HTMLElement).innerText.includes(text as string)),
      [BOT_BUBBLE, before, expected] as const,
      { timeout: REPLY_TIMEOUT },
    );
  } catch (error) {
    // Say what the bot said instead (e.g. a "which did you mean?" from an unsure normaliser).
    const said = (await botTexts(page)).slice(before).join('\n---\n') || '(nothing)';
    throw new Error(`Waited for the bot to say "${expected}"; it said:\n${said}\n(${(error as Error).message.split('\n')[0]})`);
  }
  return (await botTexts(page)).slice(before);
}

const type = (page: Page, text: string) => () => sendText(page, text);
const click = (page: Page, text: string) => () => clickButton(page, text, REPLY_TIMEOUT);

/**
 * Opens a fresh browser context that records Content-Security-Policy violations (through the
 * DOM event, which also catches reports the console would phrase differently).
 */
async function openChat(lang: Lang): Promise<IsolatedPage & { cspViolations: () => Promise<string[]>; headers: Record<string, string> }> {
  const isolated = await openIsolatedPage(browser, { locale: lang === 'fi' ? 'en-US' : 'fi-FI', viewport: { width: 900, height: 1000 } });
  await isolated.page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const cspViolations = () => isolated.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  const response = await isolated.page.goto(`${app.url()}/chat?lang=${lang}`, { timeout: LOAD_TIMEOUT });
  await waitForWebChat(isolated.page, LOAD_TIMEOUT);
  return { ...isolated, cspViolations, headers: response!.headers() };
}

/**
 * Saves `test-artifacts/<name>.png` with the whole conversation on it, not only its last screen:
 * the window grows by what the transcript scrolls (up to 12,000 px) before the shot.
 */
async function screenshotWholeChat(page: Page, name: string): Promise<void> {
  const scrollable = page.locator('.webchat__basic-transcript__scrollable');
  const hidden = await scrollable.evaluate((el) => el.scrollHeight - el.clientHeight);
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: Math.min(12_000, viewport.height + hidden + 40) });
  await page.waitForFunction(() => {
    const el = document.querySelector('.webchat__basic-transcript__scrollable');
    return el !== null && el.scrollTop <= 1 && el.scrollHeight <= el.clientHeight + 1;
  }, undefined, { timeout: REPLY_TIMEOUT });
  await saveScreenshot(page, name);
  await page.setViewportSize(viewport);
}

/** The stored responses of one browser's user (both runs share the app's storage). */
async function storedFor(userId: string): Promise<SurveyResponse[]> {
  return (await app.data.responses.list('2026')).filter((r) => r.respondent.userId === userId);
}

// The two runs share one browser and one bot but not a user; they run side by side, since
// most of their time is spent waiting for Direct Line polls, not computing.
describe.concurrent('a whole interview through Web Chat in Chromium, against the real bot', () => {
  it('Finnish: typing and clicking, a reload in the middle, summary, submit; stored as directline', async ({ expect }) => {
    const { context, page, offHost, errors, cspViolations, headers } = await openChat('fi');
    const t = translator('fi');
    try {
      // The page runs under a strict policy: its own scripts only, and styles only from this
      // origin or with this response's nonce, which Web Chat put on every <style> it made.
      const csp = headers['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'self'");
      const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).not.toContain('unsafe');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
      // Web Chat's own <style> carries the nonce; any other is empty (rules added via CSSOM).
      const styles = await page.evaluate(() =>
        Array.from(document.querySelectorAll('style'), (s) => ({ key: s.dataset.emotion ?? '', nonce: s.nonce, text: s.textContent, applied: Boolean(s.sheet) })),
      );
      expect(styles.find((s) => s.key.startsWith('webchat--css'))).toMatchObject({ nonce, applied: true });
      for (const style of styles) expect(style.nonce === nonce || style.text === '', style.key).toBe(true);
      expect(styles.every((s) => s.applied)).toBe(true);

      // The greeting asks for consent and links the privacy notice.
      const greeting = await waitForBotText(page, t('consentQuestion'), REPLY_TIMEOUT);
      expect(greeting).toContain(app.config.privacyUrl);
      await expect.poll(() => suggestedActions(page)).toEqual([t('yes'), t('no'), t('languageButtonEn')]);

      await step(page, click(page, t('yes')), prompt('city', 'fi'));
      const afterCity = await step(page, type(page, 'Lahdessa'), prompt('role', 'fi'));
      expect(afterCity.join('\n')).toContain(t('reflectCity', { city: 'Lahti' }));
      await expect.poll(() => suggestedActions(page)).toContain(label('role', 'cdo', 'fi'));
      await step(page, click(page, label('role', 'cdo', 'fi')), prompt('strategy', 'fi'));
      await step(page, click(page, label('strategy', 'main_goal', 'fi')), prompt('responsibility', 'fi'));
      await step(page, type(page, 'Kaupunginjohto johtaa digitalisaatiota'), prompt('rpa', 'fi'));
      await step(page, click(page, label('rpa', 'piloting', 'fi')), prompt('challenges', 'fi'));
      await step(page, type(page, '1, 4'), prompt('projects', 'fi'));
      // A multi question lists its options one per line, set close together like a list
      // (chat.css: Web Chat makes each line of plain text its own padded paragraph).
      const lines = await page.locator(BOT_BUBBLE).last().evaluate((bubble) =>
        Array.from(bubble.querySelectorAll('p'), (p) => {
          // Where the text itself is drawn (the paragraph's box would include its padding).
          const range = document.createRange();
          range.selectNodeContents(p);
          const box = range.getBoundingClientRect();
          return { text: p.textContent ?? '', top: box.top, bottom: box.bottom };
        }),
      );
      const options = questionById(survey, 'projects').categories!.map((c, i) => `${i + 1}. ${label('projects', c, 'fi')}`);
      const first = lines.findIndex((l) => l.text === options[0]);
      expect(lines.slice(first, first + options.length).map((l) => l.text)).toEqual(options);
      for (let i = first + 1; i < first + options.length; i++) expect(lines[i]!.top - lines[i - 1]!.bottom).toBeLessThan(10);
      expect(lines[first - 1]?.text).toBe(''); // a paragraph gap before the list

      // Reload in the middle: same conversation and user, history back, same question.
      const conversationId = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '{}').conversationId as string, SESSION_KEY);
      const [botBefore, userBefore] = [await botTexts(page), await userTexts(page)];
      await page.reload({ timeout: LOAD_TIMEOUT });
      await waitForWebChat(page, LOAD_TIMEOUT);
      await waitForBotText(page, prompt('projects', 'fi'), LOAD_TIMEOUT);
      expect(await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '{}').conversationId as string, SESSION_KEY)).toBe(conversationId);
      await expect.poll(() => botTexts(page)).toEqual(botBefore);
      await expect.poll(() => userTexts(page)).toEqual(userBefore);

      const afterProjects = await step(page, type(page, 'Sähköinen asiointi ja 3D-kaupunkimalli'), prompt('sote_impact', 'fi'));
      expect(afterProjects.join('\n')).toContain(label('projects', 'e_services', 'fi'));
      await step(page, type(page, '1 ja 4'), prompt('goals', 'fi'));
      await step(page, type(page, '2, 6'), prompt('comments', 'fi'));
      const summary = await step(page, type(page, 'Kiitos, hyvä kysely!'), t('summaryConfirm'));
      expect(summary.join('\n')).toContain(t('summaryIntro'));
      expect(summary.join('\n')).toContain('1. Kaupunki: Lahti');
      await expect.poll(() => suggestedActions(page)).toEqual([t('summarySubmit'), t('summaryChange')]);
      await step(page, click(page, t('summarySubmit')), t('submitted'));

      // An axe check with a whole conversation on screen.
      const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious).toEqual([]);
      await screenshotWholeChat(page, 'webchat-interview-fi');

      const userId = (await context.cookies()).find((c) => c.name === 'dk_uid')!.value;
      const [stored, ...more] = await storedFor(userId);
      expect(more).toEqual([]);
      expect(stored).toMatchObject({ status: 'submitted', language: 'fi', respondent: { channel: 'directline', userId } });
      expect(stored.conversations).toEqual([conversationId]);
      expect(stored.answers.city).toMatchObject({ raw: 'Lahdessa', categories: ['Lahti'] });
      expect(stored.answers.role?.categories).toEqual(['cdo']);
      expect(stored.answers.strategy?.categories).toEqual(['main_goal']);
      expect(stored.answers.responsibility?.categories).toEqual(['city_management']);
      expect(stored.answers.rpa?.categories).toEqual(['piloting']);
      expect(stored.answers.challenges?.categories).toEqual(['change_management', 'integrations']);
      expect(stored.answers.projects?.categories).toEqual(expect.arrayContaining(['e_services', 'city_model']));
      expect(stored.answers.sote_impact?.categories).toEqual(['resources', 'uncertainty']);
      expect(stored.answers.goals?.categories).toEqual(['efficiency', 'data_driven']);
      expect(stored.answers.comments?.raw).toBe('Kiitos, hyvä kysely!');

      expect(offHost).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      expect(errors).toEqual([]);

      // The policy is real: a <style> injected as markup (as an HTML-insertion bug would) is refused.
      const injected = await page.evaluate(() => {
        document.body.insertAdjacentHTML('beforeend', '<style id="injected">body { display: none }</style>');
        return Boolean((document.getElementById('injected') as HTMLStyleElement).sheet);
      });
      expect(injected).toBe(false);
      await expect.poll(cspViolations).toEqual(['style-src-elem inline']);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('English: every question answered or skipped, submitted', async ({ expect }) => {
    const { context, page, offHost, errors, cspViolations } = await openChat('en');
    const t = translator('en');
    try {
      await waitForBotText(page, t('consentQuestion'), REPLY_TIMEOUT);
      await step(page, click(page, t('yes')), prompt('city', 'en'));
      await step(page, type(page, 'City of Espoo'), prompt('role', 'en'));
      await step(page, type(page, 'Chief digital officer'), prompt('strategy', 'en'));
      await step(page, click(page, label('strategy', 'part_of_strategy', 'en')), prompt('responsibility', 'en'));
      await step(page, type(page, 'Our digital office leads it'), prompt('rpa', 'en'));
      await step(page, type(page, 'skip'), prompt('challenges', 'en'));
      await step(page, type(page, '2, 4'), prompt('projects', 'en'));
      await step(page, type(page, 'skip'), prompt('sote_impact', 'en'));
      await step(page, type(page, '5'), prompt('goals', 'en'));
      await step(page, type(page, '1'), prompt('comments', 'en'));
      const summary = await step(page, type(page, 'skip'), t('summaryConfirm'));
      expect(summary.join('\n')).toContain('1. City: Espoo');
      await step(page, click(page, t('summarySubmit')), t('submitted'));
      await screenshotWholeChat(page, 'webchat-interview-en');

      const userId = (await context.cookies()).find((c) => c.name === 'dk_uid')!.value;
      const [stored, ...more] = await storedFor(userId);
      expect(more).toEqual([]);
      expect(stored).toMatchObject({ status: 'submitted', language: 'en', respondent: { channel: 'directline', userId } });
      expect(Object.keys(stored.answers).sort()).toEqual(survey.questions.map((q) => q.id).sort());
      expect(stored.answers.city?.categories).toEqual(['Espoo']);
      expect(stored.answers.role?.categories).toEqual(['cdo']);
      expect(stored.answers.strategy?.categories).toEqual(['part_of_strategy']);
      expect(stored.answers.responsibility?.categories).toEqual(['digital_unit']);
      expect(stored.answers.rpa?.skipped).toBe(true);
      expect(stored.answers.challenges?.categories).toEqual(['competence_resources', 'integrations']);
      expect(stored.answers.projects?.skipped).toBe(true);
      expect(stored.answers.sote_impact?.categories).toEqual(['opportunity']);
      expect(stored.answers.goals?.categories).toEqual(['citizen_services']);
      expect(stored.answers.comments?.skipped).toBe(true);

      expect(offHost).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
