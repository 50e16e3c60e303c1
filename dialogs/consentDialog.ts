/**
 * The greeting: who runs the survey, what it is for, how answers are used and kept, and the
 * consent question. Nothing is stored about the respondent before they agree.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { SurveyDeps } from './deps.js';
import { DIALOG, SurveyStep, type StepState, type Turn } from './surveyStep.js';

interface ConsentState extends StepState {
  greeted?: boolean;
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
    const params = { company: this.deps.company, privacyUrl: this.deps.privacyUrl };
    const other = turn.lang === 'fi' ? this.languageButtons()[1]! : this.languageButtons()[0]!;
    const text = state.greeted
      ? t('consentQuestion')
      : [t('greeting', params), t('privacy', params), t('consentQuestion')].join('\n\n');
    state.greeted = true;
    await this.say(dc, text, [...this.yesNoButtons(turn, 'consent'), other], { question: 'consent', lang: turn.lang });
    return Dialog.EndOfTurn;
  }

  protected async input(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    if (turn.button && turn.button.q !== 'consent') {
      await this.say(dc, turn.t('staleButton'));
      return this.enter(dc, turn);
    }
    const agreed = this.yesNo(turn);
    if (agreed === undefined) {
      await this.say(dc, turn.t('consentAgain'), this.yesNoButtons(turn, 'consent'), { question: 'consent', lang: turn.lang });
      return Dialog.EndOfTurn;
    }
    if (!agreed) {
      await this.say(dc, turn.t('consentDeclined'));
      return dc.endDialog();
    }
    await this.deps.service.start(turn.respondent, turn.lang, turn.conversationId);
    await this.say(dc, turn.t('consentGiven'));
    return dc.replaceDialog(DIALOG.question, { index: 0 });
  }
}
