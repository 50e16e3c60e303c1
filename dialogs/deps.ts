/**
 * What the survey dialogs need, handed in by `bot/index.ts` (the one place that wires things).
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Lang, Normaliser } from '../src/core/types.js';
import type { InterviewService } from '../src/interview/service.js';

/** Per-user settings kept in UserState (plain JSON). */
export interface UserProfile {
  /** Set only when the respondent chose a language explicitly; otherwise the locale decides. */
  lang?: Lang;
}

/** Published-figures comparison for the respondent ("mirror"), injected by the wiring. */
export type MirrorFn = (response: import('../src/core/types.js').SurveyResponse, lang: Lang) => string[];

export interface SurveyDeps {
  service: InterviewService;
  normaliser: Normaliser;
  profile: StatePropertyAccessor<UserProfile>;
  /**
   * Deletes the transcripts and conversation state of an erased respondent (data rights);
   * provided by bot/, which also removes what this very turn would still log.
   */
  eraseConversationData?: (context: TurnContext, channel: string, conversationIds: string[]) => Promise<void>;
  mirror?: MirrorFn;
  /** Shown in the greeting and privacy notice. */
  company: string;
  privacyUrl: string;
  /** Ids of every wave (for erasure across waves). */
  waveIds: () => string[];
}

export function requireDeps(deps: Partial<SurveyDeps> | undefined, who: string): SurveyDeps {
  for (const key of ['service', 'normaliser', 'profile', 'company', 'privacyUrl', 'waveIds'] as const) {
    if (!deps?.[key]) throw new Error(`[${who}]: Missing parameter: ${key}`);
  }
  return deps as SurveyDeps;
}
