/**
 * The base of every survey step (consent, question, summary, after-submit). It reads the turn
 * (language, text, button, the stored interview), answers the commands that work at any prompt
 * — help, language, status, show my answers, restart, pause, delete my data, compare — and hands
 * everything else to the step. Dialog state stays plain JSON.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TFunction } from 'i18next';
import type { Lang, Respondent, SurveyResponse } from '../src/core/types.js';
import { langFromLocale, translator } from '../src/i18n.js';
import { recogniseCommand, recogniseYesNo, type Command } from '../src/interview/commands.js';
import { answerLines } from '../src/interview/summary.js';
import { sanitizeText } from '../src/interview/text.js';
import { clearLanguage } from '../src/normaliser/language.js';
import type { SurveyDeps } from './deps.js';
import { Outbox } from './outbox.js';
import { buildMessage, buttonValue, type Button, type ButtonValue, type PromptChannelData } from './replies.js';

/** Evidence a new respondent's first message needs to set the language (see clearLanguage). */
const NO_LOCALE = 2;
/** ...and to overrule the locale the channel sent ("hello" alone does not turn a Finnish client English). */
const OVERRULE_LOCALE = 3;

export const DIALOG = {
  entry: 'survey.entry',
  consent: 'survey.consent',
  question: 'survey.question',
  summary: 'survey.summary',
  submitted: 'survey.submitted',
} as const;

/** Everything a step needs to know about the current turn. */
export interface Turn {
  lang: Lang;
  t: TFunction;
  text: string;
  button?: ButtonValue;
  respondent: Respondent;
  conversationId: string;
  response?: SurveyResponse;
}

export interface StepState {
  /** A destructive command waiting for yes/no. */
  confirm?: 'restart' | 'delete';
  /** The step was begun by a message that may itself be a command. */
  incoming?: boolean;
}

/** Commands that work the same at every step and may arrive as the first message of a visit. */
const PASSTHROUGH = new Set<Command['kind']>(['help', 'language', 'status', 'showAnswers', 'deleteData', 'compare']);

export abstract class SurveyStep<S extends StepState = StepState> extends Dialog {
  constructor(
    id: string,
    protected readonly deps: SurveyDeps,
  ) {
    super(id);
  }

  /** Whether "en"/"fi" alone switch language here (elsewhere "en" is Finnish for "I don't"). */
  protected allowBareLanguageCodes = false;

  protected abstract initialState(options: unknown): S;
  /** Sends the step's prompt. */
  protected abstract enter(dc: DialogContext, turn: Turn): Promise<DialogTurnResult>;
  /** Handles an input that is not a global command. */
  protected abstract input(dc: DialogContext, turn: Turn): Promise<DialogTurnResult>;
  /** Step-specific commands (back, skip, pause, restart…); return undefined to fall through. */
  protected onCommand(_dc: DialogContext, _turn: Turn, _command: Command): Promise<DialogTurnResult | undefined> {
    return Promise.resolve(undefined);
  }

  protected state(dc: DialogContext): S {
    return dc.activeDialog!.state as S;
  }

  override async beginDialog(dc: DialogContext, options?: unknown): Promise<DialogTurnResult> {
    const state = this.initialState(options);
    dc.activeDialog!.state = state;
    const turn = await this.readTurn(dc);
    if ((options as StepState | undefined)?.incoming && dc.context.activity.type === 'message' && !turn.button) {
      const command = recogniseCommand(turn.text, this.allowBareLanguageCodes);
      if (command && PASSTHROUGH.has(command.kind)) return this.command(dc, turn, command);
    }
    return this.enter(dc, turn);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== 'message') return Dialog.EndOfTurn;
    const turn = await this.readTurn(dc);
    const state = this.state(dc);
    state.incoming = false;

    if (!turn.text && !turn.button) {
      const hasAttachments = (dc.context.activity.attachments ?? []).length > 0;
      await this.say(dc, hasAttachments ? turn.t('nonText') : turn.t('empty', { hint: '' }).trim());
      return this.enter(dc, turn);
    }
    if (state.confirm) return this.confirm(dc, turn, state.confirm);
    if (turn.button?.q === 'language' && (turn.button.c === 'fi' || turn.button.c === 'en')) {
      return this.command(dc, turn, { kind: 'language', lang: turn.button.c });
    }
    const command = turn.button ? undefined : recogniseCommand(turn.text, this.allowBareLanguageCodes);
    if (command) return this.command(dc, turn, command);
    return this.input(dc, turn);
  }

  /** Reads language, text, button and the stored interview for this turn. */
  protected async readTurn(dc: DialogContext): Promise<Turn> {
    const activity = dc.context.activity;
    // No default: a default would be stored, writing a user-state file for every new respondent.
    const profile = (await this.deps.profile.get(dc.context)) ?? {};
    let lang: Lang = profile.lang ?? langFromLocale(activity.locale);
    const respondent: Respondent = { channel: activity.channelId, userId: activity.from.id };
    const conversationId = activity.conversation.id;
    let response = await this.deps.service.current(respondent);
    const text = sanitizeText(typeof activity.text === 'string' ? activity.text : '').trim();
    const button = buttonValue(dc.context);
    if (profile.lang === undefined && response === undefined && button === undefined && text !== '') {
      // A new respondent's first words decide the language when they clearly differ from the
      // locale ("Hyvää päivää" in an English Teams, or a channel that sends no locale); kept, so
      // that "ok" or "3" later does not flip it back.
      const written = clearLanguage(text, activity.locale ? OVERRULE_LOCALE : NO_LOCALE);
      if (written !== undefined && written !== lang) {
        lang = written;
        await this.deps.profile.set(dc.context, { ...profile, lang });
      }
    }
    if (response) response = await this.deps.service.touch(response, lang, conversationId);
    return {
      lang,
      t: translator(lang),
      text,
      button,
      respondent,
      conversationId,
      response,
    };
  }

  protected async say(
    dc: DialogContext,
    text: string,
    buttons: Button[] = [],
    channelData?: PromptChannelData,
    format: 'plain' | 'markdown' = 'plain',
  ): Promise<void> {
    await Outbox.reply(dc.context, buildMessage(dc.context, text, buttons, channelData, format));
  }

  protected yesNoButtons(turn: Turn, prompt: string): Button[] {
    return [
      { title: turn.t('yes'), value: { dk: 1, q: prompt, c: 'yes' } },
      { title: turn.t('no'), value: { dk: 1, q: prompt, c: 'no' } },
    ];
  }

  /** Interprets a yes/no reply from a button or text (Finnish or English). */
  protected yesNo(turn: Turn): boolean | undefined {
    if (turn.button) return turn.button.c === 'yes' ? true : turn.button.c === 'no' ? false : undefined;
    return recogniseYesNo(turn.text);
  }

  /** The global commands. */
  protected async command(dc: DialogContext, turn: Turn, command: Command): Promise<DialogTurnResult> {
    const own = await this.onCommand(dc, turn, command);
    if (own) return own;
    const { t } = turn;
    switch (command.kind) {
      case 'help':
        await this.say(dc, t('help'));
        return this.enter(dc, turn);
      case 'language': {
        if (command.lang === 'sv') {
          await this.say(dc, t('swedishDeclined'), this.languageButtons(), { question: 'language' });
          return Dialog.EndOfTurn;
        }
        await this.deps.profile.set(dc.context, { lang: command.lang });
        const switched = { ...turn, lang: command.lang, t: translator(command.lang) };
        if (switched.response) switched.response = await this.deps.service.setLanguage(switched.response, command.lang);
        await this.say(dc, switched.t('languageSwitched'));
        return this.enter(dc, switched);
      }
      case 'status': {
        if (turn.response) {
          const { answered, remaining } = this.deps.service.progress(turn.response);
          const lang = turn.lang;
          const names = remaining.map((q) => translator(lang, 'survey')(`questions.${q.id}.short`));
          await this.say(
            dc,
            remaining.length
              ? t('status', { answered: answered.length, total: this.deps.service.total, remaining: names.join(', ') })
              : t('statusAllDone'),
          );
        } else {
          await this.say(dc, t('status', { answered: 0, total: this.deps.service.total, remaining: t('statusNone') }));
        }
        return this.enter(dc, turn);
      }
      case 'showAnswers':
        await this.showAnswers(dc, turn);
        return this.enter(dc, turn);
      case 'compare': {
        const lines = turn.response && this.deps.mirror ? this.deps.mirror(turn.response, turn.lang) : [];
        await this.say(dc, lines.length ? lines.join('\n') : t('mirrorNone'));
        return this.enter(dc, turn);
      }
      case 'deleteData':
        this.state(dc).confirm = 'delete';
        await this.say(dc, t('deleteConfirm'), this.yesNoButtons(turn, 'delete'), { question: 'delete' });
        return Dialog.EndOfTurn;
      case 'restart':
        if (!turn.response) return this.enter(dc, turn);
        this.state(dc).confirm = 'restart';
        await this.say(dc, t('restartConfirm'), this.yesNoButtons(turn, 'restart'), { question: 'restart' });
        return Dialog.EndOfTurn;
      case 'pause':
        await this.say(dc, t('paused'));
        return dc.cancelAllDialogs();
      default:
        // back, skip, start… mean nothing at this step: ask again.
        return this.enter(dc, turn);
    }
  }

  protected async showAnswers(dc: DialogContext, turn: Turn): Promise<void> {
    if (!turn.response || Object.keys(turn.response.answers).length === 0) {
      await this.say(dc, turn.t('noAnswersYet'));
      return;
    }
    const lines = answerLines(this.deps.service.questionnaire.questions, turn.response, turn.lang);
    await this.say(dc, [turn.t('yourAnswers'), ...lines].join('\n'));
  }

  private async confirm(dc: DialogContext, turn: Turn, what: 'restart' | 'delete'): Promise<DialogTurnResult> {
    const answer = this.yesNo(turn);
    if (answer === undefined) {
      await this.say(dc, what === 'delete' ? turn.t('deleteConfirm') : turn.t('restartConfirm'), this.yesNoButtons(turn, what), {
        question: what,
      });
      return Dialog.EndOfTurn;
    }
    delete this.state(dc).confirm;
    if (what === 'delete') {
      if (!answer) {
        await this.say(dc, turn.t('deleteCancelled'));
        return this.enter(dc, turn);
      }
      const { conversations } = await this.deps.service.erase(turn.respondent, this.deps.waveIds());
      await this.deps.eraseConversationData?.(dc.context, turn.respondent.channel, [...new Set([...conversations, turn.conversationId])]);
      await this.deps.profile.delete(dc.context);
      await this.say(dc, turn.t('deleted'));
      return dc.cancelAllDialogs();
    }
    if (!answer || !turn.response) {
      await this.say(dc, turn.t('restartCancelled'));
      return this.enter(dc, turn);
    }
    await this.deps.service.restart(turn.response);
    await this.say(dc, turn.t('restarted'));
    return dc.replaceDialog(DIALOG.question, { index: 0 });
  }

  protected languageButtons(): Button[] {
    return [
      { title: translator('fi')('languageButtonFi'), value: { dk: 1, q: 'language', c: 'fi' } },
      { title: translator('en')('languageButtonEn'), value: { dk: 1, q: 'language', c: 'en' } },
    ];
  }
}
