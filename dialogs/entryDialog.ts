/**
 * Where every visit starts when no step is active: a new respondent is greeted and asked for
 * consent, a returning one resumes at the stored question (or at the summary), and one who has
 * submitted is offered to view or amend the submission.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { SurveyDeps } from './deps.js';
import { DIALOG, SurveyStep, type Turn } from './surveyStep.js';

export class EntryDialog extends SurveyStep {
  constructor(deps: SurveyDeps) {
    super(DIALOG.entry, deps);
  }

  protected initialState(): object {
    return {};
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const turn = await this.readTurn(dc);
    return this.enter(dc, turn);
  }

  protected async enter(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    if (!this.deps.service.openWave()) {
      await this.say(dc, turn.t('noOpenWave'));
      return dc.endDialog();
    }
    const incoming = dc.context.activity.type === 'message';
    const response = turn.response;
    if (!response) return dc.replaceDialog(DIALOG.consent, { incoming });
    if (response.status === 'submitted') return dc.replaceDialog(DIALOG.submitted, { incoming });
    if (response.cursor >= this.deps.service.total) return dc.replaceDialog(DIALOG.summary, { incoming, resumed: true });
    return dc.replaceDialog(DIALOG.question, { index: response.cursor, resumed: true, incoming });
  }

  protected input(): Promise<DialogTurnResult> {
    return Promise.resolve(Dialog.EndOfTurn);
  }
}
