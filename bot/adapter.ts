/**
 * botbuilder's CloudAdapter, with its turn entry point public: the server checks and parses the
 * request itself (bot/server.ts), so it hands the adapter an activity and an Authorization
 * header rather than the raw request, and answers refusals without botbuilder's stack traces.
 */
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';

export class SurveyAdapter extends CloudAdapter {
  /**
   * Authenticates `authorization`, runs `logic` for `activity` and resolves with the invoke
   * response (for invoke activities and expectReplies), if any. Rejects with botframework's
   * AuthenticationError when the request is not signed for this bot.
   */
  runTurn(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}
