/**
 * Domain types shared by the interview, the normaliser, storage, waves and reports.
 * Plain data only: everything here survives `JSON.parse(JSON.stringify(x))`.
 * Nothing in `src/` imports botbuilder; only `bot/` and `dialogs/` do.
 */

/** The two languages the survey speaks. */
export type Lang = 'fi' | 'en';
export const LANGS: readonly Lang[] = ['fi', 'en'];

/** Question ids fixed by SURVEY.md (a contract with the evaluations). */
export type QuestionId =
  | 'city'
  | 'role'
  | 'strategy'
  | 'responsibility'
  | 'rpa'
  | 'challenges'
  | 'projects'
  | 'sote_impact'
  | 'goals'
  | 'comments';

/**
 * `municipality`: the value is the official Finnish name of a municipality;
 * `single`: exactly one category; `multi`: one or more; `text`: free text, not categorised.
 */
export type QuestionType = 'municipality' | 'single' | 'multi' | 'text';

export interface Question {
  id: QuestionId;
  type: QuestionType;
  /** Category ids (absent for `municipality` and `text`). */
  categories?: string[];
}

export interface Questionnaire {
  version: number;
  questions: Question[];
}

/** Who set an answer's categories. */
export type AnswerSource = 'respondent' | 'normaliser' | 'staff';

/** One change of an answer's categories by staff, kept beside the answer. */
export interface RecodeEntry {
  by: string;
  at: string;
  from: string[];
  to: string[];
}

export interface Answer {
  question: QuestionId;
  /** What the respondent typed or the label of the button they clicked, verbatim. */
  raw: string;
  /** Category ids (for `city`: the official Finnish name); empty when skipped or don't-know. */
  categories: string[];
  /** 0..1; 1 for a button click. */
  confidence: number;
  source: AnswerSource;
  /** Language the answer was written in (may differ from the interface language). */
  lang: Lang;
  skipped?: boolean;
  answeredAt: string;
  /** What the normaliser proposed, kept when a respondent or staff changed it. */
  normaliser?: { categories: string[]; confidence: number };
  recodes?: RecodeEntry[];
}

export type ResponseStatus = 'in_progress' | 'submitted' | 'withdrawn';

export interface Respondent {
  /** Bot Framework channel id: `msteams`, `directline`, `webchat`, `emulator`, … */
  channel: string;
  userId: string;
}

/** One interview of one respondent in one wave. */
export interface SurveyResponse {
  /** Stable id derived from wave + respondent. */
  id: string;
  wave: string;
  respondent: Respondent;
  /** Interface language at the last turn. */
  language: Lang;
  status: ResponseStatus;
  questionnaireVersion: number;
  startedAt: string;
  updatedAt: string;
  submittedAt?: string;
  /** Set when a submitted interview was changed while its wave was open. */
  amendedAt?: string;
  withdrawnAt?: string;
  /** Conversation ids this interview was carried in (for transcripts). */
  conversations: string[];
  /** Index into the questionnaire of the question being asked (resume point). */
  cursor: number;
  consent?: { given: boolean; at: string };
  answers: Partial<Record<QuestionId, Answer>>;
  /** Staff review marks. */
  review?: { reviewed: boolean; by?: string; at?: string };
  /** Staff choice of which of a city's submissions counts in a wave. */
  counts?: boolean;
}

/** What the normaliser says about one free-text answer. */
export interface NormalisedAnswer {
  /** Category ids (for `city`: the official Finnish name). Empty for don't-know / nothing found. */
  categories: string[];
  /** Calibrated 0..1: the probability that `categories` is exactly right. */
  confidence: number;
  /** Detected language of the answer. */
  lang: Lang;
  /** True when the answer says "don't know" / declines. */
  dontKnow?: boolean;
  /**
   * With `dontKnow`: no decline was recognised in the words (neither the rules nor the learned
   * detector), only that the answer fits none of the categories ("banaani", an answer to another
   * question). The dialog asks rather than noting a don't-know the respondent never said.
   */
  unplaced?: boolean;
  /** Ranked candidates with scores 0..1 (for the "pick one" buttons at low confidence). */
  candidates?: { id: string; score: number }[];
}

export interface NormaliseInput {
  question: QuestionId;
  text: string;
  /** Hint: the interface language; the normaliser detects the answer's own language. */
  lang?: Lang;
}

/** The interview's view of the normaliser. Synchronous and fast (≤ 5 ms per answer). */
export interface Normaliser {
  normalise(input: NormaliseInput): NormalisedAnswer;
}
