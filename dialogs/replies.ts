/**
 * Builds the bot's outgoing activities. Buttons are suggested actions where the channel shows
 * them (Web Chat, Emulator, Direct Line) and hero-card buttons in Teams, where suggested actions
 * are not rendered in every context. Teams buttons carry a `value` naming the question they
 * belong to, so a click on a stale card can be recognised.
 */
import { ActionTypes, CardFactory, MessageFactory, type Activity, type CardAction, type TurnContext } from 'botbuilder';

export interface Button {
  title: string;
  /** What the click means: a category of a question, or a dialog action ("submit", "yes"…). */
  value: ButtonValue;
}

/** The payload of our buttons (`activity.value` on channels that send it back). */
export interface ButtonValue {
  dk: 1;
  /** The prompt the button belongs to: a question id, or `consent`, `submit`, `language`, … */
  q: string;
  /** The option chosen (a category id, `yes`, `no`, `fi`, `en`, …). */
  c: string;
}

export interface PromptChannelData {
  question: string;
  [key: string]: unknown;
}

/** True when the activity came from Microsoft Teams. */
export function isTeams(context: TurnContext): boolean {
  return context.activity.channelId === 'msteams';
}

export { escapeMarkdown } from '../src/interview/markdown.js';

/**
 * A message with optional buttons and `channelData` telling clients what is asked. Text is
 * plain unless `format` says Markdown (then the caller has escaped everything it did not mean as
 * Markdown: see escapeMarkdown); respondents' own words are only ever sent as plain text.
 */
export function buildMessage(
  context: TurnContext,
  text: string,
  buttons: Button[] = [],
  channelData?: PromptChannelData,
  format: 'plain' | 'markdown' = 'plain',
): Partial<Activity> {
  let activity: Partial<Activity>;
  if (buttons.length && isTeams(context)) {
    const actions: CardAction[] = buttons.map((b) => ({
      type: ActionTypes.MessageBack,
      title: b.title,
      text: b.title,
      displayText: b.title,
      value: b.value,
    }));
    // The text lives in the card only: Teams would otherwise show it twice.
    activity = MessageFactory.attachment(CardFactory.heroCard('', text, undefined, actions));
  } else {
    activity = MessageFactory.text(text);
    if (buttons.length) {
      activity.suggestedActions = {
        to: [context.activity.from?.id].filter(Boolean) as string[],
        actions: buttons.map((b) => ({ type: ActionTypes.ImBack, title: b.title, value: b.title })),
      };
    }
  }
  activity.textFormat = format;
  if (channelData) activity.channelData = { ...channelData };
  return activity;
}

/** Reads our button payload from an activity, if it carries one. */
export function buttonValue(context: TurnContext): ButtonValue | undefined {
  const value = context.activity.value as Partial<ButtonValue> | undefined;
  if (value && typeof value === 'object' && value.dk === 1 && typeof value.q === 'string' && typeof value.c === 'string') {
    return value as ButtonValue;
  }
  return undefined;
}
