/**
 * The survey's dialogs in one DialogSet, and the function that runs a turn through them.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  DialogSet,
  DialogTurnStatus,
  type DialogContext,
  type DialogState,
  type DialogStateManagerConfiguration,
} from 'botbuilder-dialogs';
import { ConsentDialog } from './consentDialog.js';
import { requireDeps, type SurveyDeps } from './deps.js';
import { EntryDialog } from './entryDialog.js';
import { QuestionDialog } from './questionDialog.js';
import { SubmittedDialog } from './submittedDialog.js';
import { SummaryDialog } from './summaryDialog.js';
import { DIALOG } from './surveyStep.js';

export { DIALOG } from './surveyStep.js';
export type { SurveyDeps, UserProfile } from './deps.js';

/**
 * The turn-state key under which botbuilder-dialogs' DialogStateManager looks for its memory
 * scopes and path resolvers before building them anew (it caches them for one turn only).
 */
const STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

export class SurveyDialogs {
  private readonly dialogs: DialogSet;
  /**
   * The memory scopes and path resolvers of the first turn, shared by every later one:
   * botbuilder-dialogs builds them through its service container for every turn otherwise, a
   * few per cent of a turn's CPU. They hold nothing of a turn (every scope reads the turn's state
   * from the DialogContext it is given).
   */
  private stateConfiguration: DialogStateManagerConfiguration | undefined;

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

  private async createContext(context: TurnContext): Promise<DialogContext> {
    if (this.stateConfiguration !== undefined && !context.turnState.has(STATE_MANAGER_CONFIGURATION)) {
      context.turnState.set(STATE_MANAGER_CONFIGURATION, this.stateConfiguration);
    }
    const dc = await this.dialogs.createContext(context);
    this.stateConfiguration ??= dc.state.configuration;
    return dc;
  }

  /** Continues the active step, or starts a visit when none is active. */
  async run(context: TurnContext): Promise<void> {
    const dc = await this.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(DIALOG.entry);
  }

  /** Starts a visit (greeting or resume) unless a step is already active. */
  async greet(context: TurnContext): Promise<void> {
    const dc = await this.createContext(context);
    if (!dc.activeDialog) await dc.beginDialog(DIALOG.entry);
  }

  /** Drops the dialog stack (a fresh visit starts at the stored resume point). */
  async reset(context: TurnContext): Promise<void> {
    const dc = await this.createContext(context);
    await dc.cancelAllDialogs();
  }

  /** Whether a step is waiting for this conversation. */
  async isActive(context: TurnContext): Promise<boolean> {
    const dc = await this.createContext(context);
    return Boolean(dc.activeDialog);
  }
}
