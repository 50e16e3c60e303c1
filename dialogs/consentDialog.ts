/**
 * The greeting: who runs the survey, what it is for, how answers are used and kept, and the
 * consent question. Nothing is stored about the respondent before they agree.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { SurveyDeps } from './deps.js';
import { escapeMarkdown, markdownLink } from '../src/interview/markdown.js';
import { isTeams } from './replies.js';
import { DIALOG, SurveyStep, type StepState, type Turn } from './surveyStep.js';

interface ConsentState extends StepState {
  greeted?: boolean;
  /** Said no: a yes right after it ("no okei sitten, kyllä") still counts; anything else greets anew. */
  declined?: boolean;
}

export class ConsentDialog extends SurveyStep<ConsentState> {
  constructor(deps: SurveyDeps) {
    super(DIALOG.consent, deps);
  }

  protected initialState(options: unknown): ConsentState {
    return { incoming: Boolean((options as StepState | undefined)?.incoming) };
  }

  protected async enter(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    const { t } = turn;
    const state = this.state(dc);
    const other = turn.lang === 'fi' ? this.languageButtons()[1]! : this.languageButtons()[0]!;
    const buttons = [...this.yesNoButtons(turn, 'consent'), other];
    const channelData = { question: 'consent', lang: turn.lang };
    if (state.declined) {
      state.declined = false;
      state.greeted = false;
    }
    if (state.greeted) {
      await this.say(dc, t('consentQuestion'), buttons, channelData);
      return Dialog.EndOfTurn;
    }
    state.greeted = true;
    if (isTeams(dc.context)) {
      // Teams links the address in its card by itself; Markdown escapes would show there.
      const params = { company: this.deps.company, privacyUrl: this.deps.privacyUrl };
      await this.say(dc, [t('greeting', params), t('privacy', params), t('consentQuestion')].join('\n\n'), buttons, channelData);
      return Dialog.EndOfTurn;
    }
    // Markdown, so the privacy page is a link people can click (Web Chat shows plain text as is).
    const link = '\u0000link\u0000';
    const params = { company: this.deps.company, privacyUrl: link };
    const text = escapeMarkdown([t('greeting', params), t('privacy', params), t('consentQuestion')].join('\n\n')).replace(
      escapeMarkdown(link),
      markdownLink(this.deps.privacyUrl),
    );
    await this.say(dc, text, buttons, channelData, 'markdown');
    return Dialog.EndOfTurn;
  }

  protected async input(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    if (turn.button && turn.button.q !== 'consent') {
      await this.say(dc, turn.t('staleButton'));
      return this.enter(dc, turn);
    }
    const agreed = this.yesNo(turn);
    const state = this.state(dc);
    // A new visit after a no: the whole notice again (see enter), not a nag for yes or no.
    if (state.declined && agreed === undefined) return this.enter(dc, turn);
    if (agreed === undefined) {
      await this.say(dc, turn.t('consentAgain'), this.yesNoButtons(turn, 'consent'), { question: 'consent', lang: turn.lang });
      return Dialog.EndOfTurn;
    }
    if (!agreed) {
      await this.say(dc, turn.t('consentDeclined'));
      state.declined = true;
      return Dialog.EndOfTurn;
    }
    await this.deps.service.start(turn.respondent, turn.lang, turn.conversationId);
    await this.say(dc, turn.t('consentGiven'));
    return dc.replaceDialog(DIALOG.question, { index: 0 });
  }
}
