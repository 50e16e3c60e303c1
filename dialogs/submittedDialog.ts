/**
 * After submitting: thanks, and while the wave is open, a way to view or amend the submission
 * and to compare one's answers with the published figures of earlier waves.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { fold } from '../src/interview/text.js';
import type { SurveyDeps } from './deps.js';
import type { Button } from './replies.js';
import { DIALOG, SurveyStep, type StepState, type Turn } from './surveyStep.js';

interface SubmittedState extends StepState {
  justSubmitted?: boolean;
}

export class SubmittedDialog extends SurveyStep<SubmittedState> {
  constructor(deps: SurveyDeps) {
    super(DIALOG.submitted, deps);
  }

  protected initialState(options: unknown): SubmittedState {
    const o = (options ?? {}) as SubmittedState;
    return { justSubmitted: Boolean(o.justSubmitted), incoming: o.incoming };
  }

  private buttons(turn: Turn): Button[] {
    const buttons: Button[] = [
      { title: turn.t('afterSubmitView'), value: { dk: 1, q: 'submitted', c: 'view' } },
      { title: turn.t('afterSubmitAmend'), value: { dk: 1, q: 'submitted', c: 'amend' } },
    ];
    if (this.deps.mirror) buttons.push({ title: turn.t('afterSubmitCompare'), value: { dk: 1, q: 'submitted', c: 'compare' } });
    return buttons;
  }

  protected async enter(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    if (!turn.response) return dc.replaceDialog(DIALOG.entry);
    const state = this.state(dc);
    const { t } = turn;
    if (state.justSubmitted) {
      state.justSubmitted = false;
      const text = this.deps.mirror ? `${t('submitted')}\n\n${t('mirrorOffer')}` : t('submitted');
      await this.say(dc, text, this.buttons(turn), { question: 'submitted', lang: turn.lang });
      return Dialog.EndOfTurn;
    }
    const date = new Date(turn.response.submittedAt ?? turn.response.updatedAt).toLocaleDateString(turn.lang === 'fi' ? 'fi-FI' : 'en-GB');
    await this.say(dc, t('alreadySubmitted', { date }), this.buttons(turn), { question: 'submitted', lang: turn.lang });
    return Dialog.EndOfTurn;
  }

  protected async input(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    const { t } = turn;
    const key = fold(turn.text);
    const choice =
      turn.button?.q === 'submitted'
        ? turn.button.c
        : key === fold(t('afterSubmitView'))
          ? 'view'
          : key === fold(t('afterSubmitAmend')) || ['muuta', 'amend', 'change', 'muokkaa'].includes(key)
            ? 'amend'
            : key === fold(t('afterSubmitCompare'))
              ? 'compare'
              : undefined;
    if (choice === 'view') {
      await this.showAnswers(dc, turn);
      return Dialog.EndOfTurn;
    }
    if (choice === 'amend') return dc.replaceDialog(DIALOG.summary, { amend: true });
    if (choice === 'compare') return this.command(dc, turn, { kind: 'compare' });
    if (turn.button) {
      await this.say(dc, t('staleButton'));
    }
    return this.enter(dc, turn);
  }
}
