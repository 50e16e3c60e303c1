/**
 * The interview's operations on stored responses: start, answer, skip, move, submit, restart and
 * erase. Every change is saved before the method resolves, so a turn is acknowledged to the
 * channel only after its answer is on disk. Plain TypeScript: no botbuilder.
 */
import { responseId } from '../core/ids.js';
import type { Answer, Lang, Question, QuestionId, Questionnaire, Respondent, SurveyResponse } from '../core/types.js';
import type { ResponseStore } from '../storage/types.js';

/** What the interview needs to know of waves. */
export interface WaveSource {
  /** The wave open for new interviews, if any. */
  openWave(): { id: string; questionnaireVersion?: number } | undefined;
}

export interface InterviewServiceDeps {
  responses: ResponseStore;
  waves: WaveSource;
  questionnaire: Questionnaire;
  now?: () => Date;
}

export class InterviewService {
  readonly questionnaire: Questionnaire;
  private readonly responses: ResponseStore;
  private readonly waves: WaveSource;
  private readonly now: () => Date;

  constructor(deps: InterviewServiceDeps) {
    for (const key of ['responses', 'waves', 'questionnaire'] as const) {
      if (!deps?.[key]) throw new Error(`[InterviewService]: Missing parameter: ${key}`);
    }
    this.responses = deps.responses;
    this.waves = deps.waves;
    this.questionnaire = deps.questionnaire;
    this.now = deps.now ?? (() => new Date());
  }

  get total(): number {
    return this.questionnaire.questions.length;
  }

  question(index: number): Question {
    const q = this.questionnaire.questions[index];
    if (!q) throw new RangeError(`No question at index ${index} (the questionnaire has ${this.total}).`);
    return q;
  }

  indexOf(id: QuestionId): number {
    return this.questionnaire.questions.findIndex((q) => q.id === id);
  }

  /** The wave open for new interviews, or undefined when none is. */
  openWave(): { id: string; questionnaireVersion?: number } | undefined {
    return this.waves.openWave();
  }

  /** The respondent's interview in the open wave, if they have one. */
  async current(respondent: Respondent): Promise<SurveyResponse | undefined> {
    const wave = this.waves.openWave();
    if (!wave) return undefined;
    const found = await this.responses.get(responseId(wave.id, respondent));
    return found && found.status !== 'withdrawn' ? found : undefined;
  }

  /** Starts (or restarts after a withdrawal) the respondent's interview in the open wave, with consent. */
  async start(respondent: Respondent, lang: Lang, conversationId: string): Promise<SurveyResponse> {
    const wave = this.waves.openWave();
    if (!wave) throw new Error('No survey wave is open: open one with `npm run wave -- open <id>`.');
    const at = this.now().toISOString();
    const existing = await this.responses.get(responseId(wave.id, respondent));
    if (existing && existing.status !== 'withdrawn') return this.touch(existing, lang, conversationId);
    const response: SurveyResponse = {
      id: responseId(wave.id, respondent),
      wave: wave.id,
      respondent: { channel: respondent.channel, userId: respondent.userId },
      language: lang,
      status: 'in_progress',
      questionnaireVersion: this.questionnaire.version,
      startedAt: at,
      updatedAt: at,
      conversations: [conversationId],
      cursor: 0,
      consent: { given: true, at },
      answers: {},
    };
    await this.responses.save(response);
    return response;
  }

  /** Records the conversation and language of a returning respondent (saved only if changed). */
  async touch(response: SurveyResponse, lang: Lang, conversationId: string): Promise<SurveyResponse> {
    if (response.language === lang && response.conversations.includes(conversationId)) return response;
    const next: SurveyResponse = {
      ...response,
      language: lang,
      conversations: response.conversations.includes(conversationId)
        ? response.conversations
        : [...response.conversations, conversationId],
      updatedAt: this.now().toISOString(),
    };
    await this.responses.save(next);
    return next;
  }

  /** Stores an answer and moves the cursor past it (unless editing from the summary). */
  async answer(
    response: SurveyResponse,
    answer: Omit<Answer, 'answeredAt'>,
    options: { advance: boolean },
  ): Promise<SurveyResponse> {
    const index = this.indexOf(answer.question);
    if (index < 0) throw new Error(`Unknown question "${answer.question}".`);
    const at = this.now().toISOString();
    const next: SurveyResponse = {
      ...response,
      answers: { ...response.answers, [answer.question]: { ...answer, answeredAt: at } },
      cursor: options.advance ? Math.max(response.cursor, index + 1) : response.cursor,
      updatedAt: at,
    };
    await this.responses.save(next);
    return next;
  }

  /** Moves the resume point (e.g. "back"). */
  async moveTo(response: SurveyResponse, index: number): Promise<SurveyResponse> {
    const cursor = Math.max(0, Math.min(index, this.total));
    if (cursor === response.cursor) return response;
    const next = { ...response, cursor, updatedAt: this.now().toISOString() };
    await this.responses.save(next);
    return next;
  }

  /** Clears every answer and starts from the first question (consent stays). */
  async restart(response: SurveyResponse): Promise<SurveyResponse> {
    const next: SurveyResponse = { ...response, answers: {}, cursor: 0, status: 'in_progress', updatedAt: this.now().toISOString() };
    delete next.submittedAt;
    await this.responses.save(next);
    return next;
  }

  async setLanguage(response: SurveyResponse, lang: Lang): Promise<SurveyResponse> {
    if (response.language === lang) return response;
    const next = { ...response, language: lang, updatedAt: this.now().toISOString() };
    await this.responses.save(next);
    return next;
  }

  /** Submits the interview; amending a submitted one keeps it submitted and stamps the change. */
  async submit(response: SurveyResponse): Promise<SurveyResponse> {
    const at = this.now().toISOString();
    const next: SurveyResponse =
      response.status === 'submitted'
        ? { ...response, updatedAt: at, amendedAt: at }
        : { ...response, status: 'submitted', submittedAt: at, updatedAt: at, cursor: this.total };
    await this.responses.save(next);
    return next;
  }

  /**
   * Erases a respondent's answers in every wave they took part in that is listed in `waveIds`.
   * What stays is a tombstone without content (staff see "withdrawn"); returns the conversation
   * ids whose transcripts the caller must delete.
   */
  async erase(respondent: Respondent, waveIds: string[]): Promise<{ erased: number; conversations: string[] }> {
    const conversations = new Set<string>();
    let erased = 0;
    for (const wave of waveIds) {
      const found = await this.responses.get(responseId(wave, respondent));
      if (!found || found.status === 'withdrawn' && Object.keys(found.answers).length === 0) continue;
      for (const c of found.conversations) conversations.add(c);
      const at = this.now().toISOString();
      const tombstone: SurveyResponse = {
        id: found.id,
        wave: found.wave,
        respondent: { channel: found.respondent.channel, userId: 'erased' },
        language: found.language,
        status: 'withdrawn',
        questionnaireVersion: found.questionnaireVersion,
        startedAt: found.startedAt,
        updatedAt: at,
        withdrawnAt: at,
        conversations: [],
        cursor: 0,
        answers: {},
      };
      await this.responses.save(tombstone);
      erased++;
    }
    return { erased, conversations: [...conversations] };
  }

  /** Questions answered (including explicit don't-know) and those still open, in order. */
  progress(response: SurveyResponse): { answered: Question[]; remaining: Question[] } {
    const answered: Question[] = [];
    const remaining: Question[] = [];
    for (const q of this.questionnaire.questions) (response.answers[q.id] ? answered : remaining).push(q);
    return { answered, remaining };
  }
}
