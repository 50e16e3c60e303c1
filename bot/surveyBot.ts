/**
 * The bot: turns activities into survey turns. Handles Teams the Teams way (TeamsActivityHandler,
 * @mention stripping, greeting on install), greets on conversationUpdate, resumes after a long
 * silence with a reminder, honours Teams' deleteUserData, and saves state after every turn.
 */
import {
  ActivityTypes,
  TeamsActivityHandler,
  TurnContext,
  type BotState,
  type ChannelAccount,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { SurveyDialogs } from '../dialogs/index.js';
import { Outbox } from '../dialogs/outbox.js';

export interface SurveyBotDeps {
  conversationState: BotState;
  userState: BotState;
  dialogs: SurveyDialogs;
  /** After this much silence in the same conversation, the next message resumes with a reminder. */
  resumeAfterMs: number;
  /** Erases the respondent's data without further questions (Teams deleteUserData). */
  eraseUser: (context: TurnContext) => Promise<void>;
  /** Clock in milliseconds (tests move it forward). */
  now?: () => number;
}

export class SurveyBot extends TeamsActivityHandler {
  private readonly lastSeen: StatePropertyAccessor<number>;
  private readonly now: () => number;

  constructor(private readonly deps: SurveyBotDeps) {
    super();
    for (const key of ['conversationState', 'userState', 'dialogs', 'eraseUser'] as const) {
      if (!deps?.[key]) throw new Error(`[SurveyBot]: Missing parameter: ${key}`);
    }
    this.lastSeen = deps.conversationState.createProperty<number>('lastSeen');
    this.now = deps.now ?? Date.now;

    this.onMembersAdded(async (context, next) => {
      const recipient = context.activity.recipient?.id;
      const people = (context.activity.membersAdded ?? []).filter((m: ChannelAccount) => m.id !== recipient);
      if (people.length > 0) await this.greet(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.greet(context);
      await next();
    });

    this.onUnrecognizedActivityType(async (context, next) => {
      if (context.activity.type === 'deleteUserData') {
        await deps.eraseUser(context);
        await deps.dialogs.reset(context);
      }
      await next();
    });
  }

  /**
   * A message: the survey's turn. Called by `run` directly, not registered with `onMessage`:
   * ActivityHandler's dispatch of a message (the Turn, Message and Dialog handler chains, a dozen
   * compiled async wrappers and ~8 KB of garbage a turn, bench:load --cpu-prof) would only lead
   * here, as no other handler for messages, turns or dialogs is registered. Register none: they
   * would not run.
   */
  private async onMessageTurn(context: TurnContext): Promise<void> {
    const { deps } = this;
    if (context.activity.channelId === 'msteams') {
      // "@Digikysely kyllä" in a chat where the bot is mentioned: the answer is "kyllä".
      const stripped = TurnContext.removeRecipientMention(context.activity);
      if (typeof stripped === 'string') context.activity.text = stripped.trim();
    }
    const now = this.now();
    const last = await this.lastSeen.get(context);
    if (last !== undefined && now - last > deps.resumeAfterMs && !context.activity.value) {
      await deps.dialogs.reset(context);
    }
    await this.lastSeen.set(context, now);
    await deps.dialogs.run(context);
  }

  private async greet(context: TurnContext): Promise<void> {
    await this.lastSeen.set(context, this.now());
    await this.deps.dialogs.greet(context);
  }

  /**
   * Runs the turn, saves its state, then sends its replies in one call (dialogs/outbox.ts): the
   * respondent never reads a reply whose state was not stored.
   */
  override async run(context: TurnContext): Promise<void> {
    const outbox = Outbox.open(context);
    try {
      if (context?.activity?.type === ActivityTypes.Message) await this.onMessageTurn(context);
      else await super.run(context);
      await this.deps.conversationState.saveChanges(context, false);
      await this.deps.userState.saveChanges(context, false);
    } catch (error) {
      // What was said before the failure still goes out; the error handler then apologises.
      await outbox.flush().catch(() => undefined);
      throw error;
    }
    await outbox.flush();
  }
}
