/**
 * The survey's dialogs in one DialogSet, and the function that runs a turn through them.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { ConsentDialog } from './consentDialog.js';
import { requireDeps, type SurveyDeps } from './deps.js';
import { EntryDialog } from './entryDialog.js';
import { QuestionDialog } from './questionDialog.js';
import { SubmittedDialog } from './submittedDialog.js';
import { SummaryDialog } from './summaryDialog.js';
import { DIALOG } from './surveyStep.js';

export { DIALOG } from './surveyStep.js';
export type { SurveyDeps, UserProfile } from './deps.js';

export class SurveyDialogs {
  private readonly dialogs: DialogSet;

  constructor(
    dialogState: StatePropertyAccessor<DialogState>,
    deps: SurveyDeps,
  ) {
    if (!dialogState) throw new Error('[SurveyDialogs]: Missing parameter: dialogState');
    const checked = requireDeps(deps, 'SurveyDialogs');
    this.dialogs = new DialogSet(dialogState)
      .add(new EntryDialog(checked))
      .add(new ConsentDialog(checked))
      .add(new QuestionDialog(checked))
      .add(new SummaryDialog(checked))
      .add(new SubmittedDialog(checked));
  }

  /** Continues the active step, or starts a visit when none is active. */
  async run(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(DIALOG.entry);
  }

  /** Starts a visit (greeting or resume) unless a step is already active. */
  async greet(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (!dc.activeDialog) await dc.beginDialog(DIALOG.entry);
  }

  /** Drops the dialog stack (a fresh visit starts at the stored resume point). */
  async reset(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    await dc.cancelAllDialogs();
  }

  /** Whether a step is waiting for this conversation. */
  async isActive(context: TurnContext): Promise<boolean> {
    const dc = await this.dialogs.createContext(context);
    return Boolean(dc.activeDialog);
  }
}
