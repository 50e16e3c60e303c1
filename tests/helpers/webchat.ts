/**
 * Driving Bot Framework Web Chat (4.18) in a Playwright page, for the /chat tests and the
 * full-interview browser test.
 *
 * Web Chat renders every text three times (the bubble, a live region for screen readers and an
 * aria label), so texts are read only inside `.webchat__bubble__content`; suggested actions
 * are buttons inside the `toolbar`, card buttons are buttons inside a bubble.
 */
import type { Locator, Page } from 'playwright-core';

export const SEND_BOX = '[data-id="webchat-sendbox-input"]';
export const BUBBLE_CONTENT = '.webchat__bubble__content';
const BOT_BUBBLE = `.webchat__bubble:not(.webchat__bubble--from-user) ${BUBBLE_CONTENT}`;
const USER_BUBBLE = `.webchat__bubble--from-user ${BUBBLE_CONTENT}`;

/** Waits until Web Chat has rendered its send box (the bundle ran and the chat is up). */
export async function waitForWebChat(page: Page, timeout = 20_000): Promise<void> {
  await page.locator(SEND_BOX).waitFor({ state: 'visible', timeout });
}

/** Types `text` into the send box and sends it with Enter. */
export async function sendText(page: Page, text: string): Promise<void> {
  const box = page.locator(SEND_BOX);
  await box.fill(text);
  await box.press('Enter');
}

/**
 * Clicks the newest button labelled `label`: a suggested action (inside the toolbar) or a
 * card button (inside a bubble).
 */
export async function clickButton(page: Page, label: string, timeout = 10_000): Promise<void> {
  const suggested = page.getByRole('toolbar').getByRole('button', { name: label, exact: true });
  const inCard = page.locator(BUBBLE_CONTENT).getByRole('button', { name: label, exact: true });
  const button: Locator = suggested.or(inCard).last();
  await button.waitFor({ state: 'visible', timeout });
  await button.click();
}

/** The labels of the suggested actions on screen now. */
export async function suggestedActions(page: Page): Promise<string[]> {
  const buttons = page.getByRole('toolbar').getByRole('button');
  return (await buttons.allInnerTexts()).map((text) => text.trim());
}

/** Texts of all bot bubbles, oldest first. */
export async function botTexts(page: Page): Promise<string[]> {
  return (await page.locator(BOT_BUBBLE).allInnerTexts()).map((text) => text.trim());
}

/** Texts of all user bubbles, oldest first. */
export async function userTexts(page: Page): Promise<string[]> {
  return (await page.locator(USER_BUBBLE).allInnerTexts()).map((text) => text.trim());
}

/** The last `count` bot bubble texts, oldest first. */
export async function lastBotTexts(page: Page, count = 1): Promise<string[]> {
  return (await botTexts(page)).slice(-count);
}

/** Waits for a bot bubble containing `match` (substring or pattern) and returns its text. */
export async function waitForBotText(page: Page, match: string | RegExp, timeout = 10_000): Promise<string> {
  const bubble = page.locator(BOT_BUBBLE).filter({ hasText: match }).last();
  await bubble.waitFor({ state: 'visible', timeout });
  return (await bubble.innerText()).trim();
}

/** Waits for a user bubble containing `match`. */
export async function waitForUserText(page: Page, match: string | RegExp, timeout = 10_000): Promise<void> {
  await page.locator(USER_BUBBLE).filter({ hasText: match }).last().waitFor({ state: 'visible', timeout });
}

/**
 * Sends `text` and waits for the number of bot bubbles to grow, returning the new bot texts.
 * For bots whose replies are not known in advance (the real interview).
 */
export async function sendAndWaitForReply(page: Page, text: string, timeout = 10_000): Promise<string[]> {
  const before = await page.locator(BOT_BUBBLE).count();
  await sendText(page, text);
  await page.waitForFunction(
    ([selector, count]) => document.querySelectorAll(selector as string).length > (count as number),
    [BOT_BUBBLE, before] as const,
    { timeout },
  );
  return (await botTexts(page)).slice(before);
}
