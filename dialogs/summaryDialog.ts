/**
 * The summary of every answer in the respondent's language: confirm to submit, or pick an answer
 * to change. Also used to amend a submitted interview while its wave is open.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Command } from '../src/interview/commands.js';
import { questionShort } from '../src/interview/labels.js';
import { answerLines } from '../src/interview/summary.js';
import { fold } from '../src/interview/text.js';
import type { SurveyDeps } from './deps.js';
import type { Button } from './replies.js';
import { DIALOG, SurveyStep, type StepState, type Turn } from './surveyStep.js';

interface SummaryState extends StepState {
  amend?: boolean;
  resumed?: boolean;
  /** Waiting for the number of the answer to change. */
  choosing?: boolean;
}

export class SummaryDialog extends SurveyStep<SummaryState> {
  constructor(deps: SurveyDeps) {
    super(DIALOG.summary, deps);
  }

  protected initialState(options: unknown): SummaryState {
    const o = (options ?? {}) as SummaryState;
    return { amend: Boolean(o.amend), resumed: Boolean(o.resumed), incoming: o.incoming };
  }

  protected async enter(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    if (!turn.response) return dc.replaceDialog(DIALOG.entry);
    const state = this.state(dc);
    const { t } = turn;
    state.choosing = false;
    const lines = answerLines(this.deps.service.questionnaire.questions, turn.response, turn.lang);
    const head = state.resumed ? [t('resumeReminder', { n: this.deps.service.total, total: this.deps.service.total })] : [];
    state.resumed = false;
    await this.say(dc, [...head, t('summaryIntro'), ...lines, '', t('summaryConfirm')].join('\n'), this.buttons(turn), {
      question: 'submit',
      lang: turn.lang,
    });
    return Dialog.EndOfTurn;
  }

  private buttons(turn: Turn): Button[] {
    return [
      { title: turn.t('summarySubmit'), value: { dk: 1, q: 'submit', c: 'yes' } },
      { title: turn.t('summaryChange'), value: { dk: 1, q: 'submit', c: 'change' } },
    ];
  }

  protected override async onCommand(dc: DialogContext, turn: Turn, command: Command): Promise<DialogTurnResult | undefined> {
    if (command.kind === 'back' && !this.state(dc).amend) {
      return dc.replaceDialog(DIALOG.question, { index: this.deps.service.total - 1, showPrevious: true });
    }
    // The summary already is the list of one's answers: show it once, not twice.
    if (command.kind === 'showAnswers') return this.enter(dc, turn);
    // "kysymys 3": that answer, to change (as the number alone).
    if (command.kind === 'goto' && command.question >= 1 && command.question <= this.deps.service.total) {
      return dc.replaceDialog(DIALOG.question, { index: command.question - 1, mode: 'edit' });
    }
    return undefined;
  }

  protected async input(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    if (!turn.response) return dc.replaceDialog(DIALOG.entry);
    const state = this.state(dc);
    const { t } = turn;
    const questions = this.deps.service.questionnaire.questions;

    if (turn.button && turn.button.q !== 'submit' && turn.button.q !== 'change') {
      await this.say(dc, t('staleButton'));
      return this.enter(dc, turn);
    }
    // A question number (or its name) picks the answer to change, at once or after "change".
    const index = this.questionIndex(turn);
    if (index !== undefined) return dc.replaceDialog(DIALOG.question, { index, mode: 'edit' });

    const key = fold(turn.text);
    const wantsChange = turn.button?.c === 'change' || key === fold(t('summaryChange')) || ['muuta', 'change', 'edit', 'muokkaa'].includes(key);
    if (wantsChange) {
      state.choosing = true;
      const buttons: Button[] = questions.map((q, i) => ({
        title: `${i + 1}. ${questionShort(q, turn.lang)}`,
        value: { dk: 1, q: 'change', c: String(i) },
      }));
      await this.say(dc, t('summaryWhich'), buttons, { question: 'change', lang: turn.lang });
      return Dialog.EndOfTurn;
    }
    const submit = turn.button?.c === 'yes' || key === fold(t('summarySubmit')) || this.yesNo(turn) === true;
    if (submit) {
      await this.deps.service.submit(turn.response);
      if (state.amend) {
        await this.say(dc, t('amendSaved'));
        return dc.replaceDialog(DIALOG.submitted, {});
      }
      return dc.replaceDialog(DIALOG.submitted, { justSubmitted: true });
    }
    return this.enter(dc, turn);
  }

  private questionIndex(turn: Turn): number | undefined {
    const questions = this.deps.service.questionnaire.questions;
    if (turn.button?.q === 'change') {
      const n = Number(turn.button.c);
      return Number.isInteger(n) && n >= 0 && n < questions.length ? n : undefined;
    }
    // "3", "3.", "muuta 3", "change 3", "kysymys 3", "question 3"
    const m = /^(?:(?:muuta|change|edit|muokkaa|kysymys|question)\s+)?(\d{1,2})\.?$/iu.exec(fold(turn.text));
    const n = m ? Number(m[1]) : NaN;
    return n >= 1 && n <= questions.length ? n - 1 : undefined;
  }
}
