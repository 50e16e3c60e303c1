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
    const found = await this.responses.get(responseId(wave.id, respondent), wave.id);
    return found && found.status !== 'withdrawn' ? found : undefined;
  }

  /**
   * Applies `change` to the record as stored now (not to the turn's copy), so a staff recode
   * saved meanwhile is kept. Nothing is written for an interview erased in the meantime.
   */
  private async mutate(response: SurveyResponse, change: (current: SurveyResponse) => SurveyResponse | undefined): Promise<SurveyResponse> {
    const stored = await this.responses.update(response.wave, response.id, (current) =>
      current && current.status !== 'withdrawn' ? change(current) : undefined,
    );
    return stored ?? response;
  }

  /** Starts (or restarts after a withdrawal) the respondent's interview in the open wave, with consent. */
  async start(respondent: Respondent, lang: Lang, conversationId: string): Promise<SurveyResponse> {
    const wave = this.waves.openWave();
    if (!wave) throw new Error('No survey wave is open: open one with `npm run wave -- open <id>`.');
    const at = this.now().toISOString();
    const id = responseId(wave.id, respondent);
    const fresh: SurveyResponse = {
      id,
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
    let created = false;
    const stored = await this.responses.update(wave.id, id, (current) => {
      if (current && current.status !== 'withdrawn') return undefined;
      created = true;
      return fresh;
    });
    if (!created && stored) return this.touch(stored, lang, conversationId);
    return stored ?? fresh;
  }

  /** Records the conversation and language of a returning respondent (saved only if changed). */
  async touch(response: SurveyResponse, lang: Lang, conversationId: string): Promise<SurveyResponse> {
    if (response.language === lang && response.conversations.includes(conversationId)) return response;
    return this.mutate(response, (current) => ({
      ...current,
      language: lang,
      conversations: current.conversations.includes(conversationId) ? current.conversations : [...current.conversations, conversationId],
      updatedAt: this.now().toISOString(),
    }));
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
    return this.mutate(response, (current) => ({
      ...current,
      answers: { ...current.answers, [answer.question]: { ...answer, answeredAt: at } },
      cursor: options.advance ? Math.max(current.cursor, index + 1) : current.cursor,
      updatedAt: at,
    }));
  }

  /** Moves the resume point (e.g. "back"). */
  async moveTo(response: SurveyResponse, index: number): Promise<SurveyResponse> {
    const cursor = Math.max(0, Math.min(index, this.total));
    if (cursor === response.cursor) return response;
    return this.mutate(response, (current) => ({ ...current, cursor, updatedAt: this.now().toISOString() }));
  }

  /** Clears every answer and starts from the first question (consent stays). */
  async restart(response: SurveyResponse): Promise<SurveyResponse> {
    return this.mutate(response, (current) => {
      const next: SurveyResponse = { ...current, answers: {}, cursor: 0, status: 'in_progress', updatedAt: this.now().toISOString() };
      delete next.submittedAt;
      delete next.amendedAt;
      return next;
    });
  }

  async setLanguage(response: SurveyResponse, lang: Lang): Promise<SurveyResponse> {
    if (response.language === lang) return response;
    return this.mutate(response, (current) => ({ ...current, language: lang, updatedAt: this.now().toISOString() }));
  }

  /** Submits the interview; amending a submitted one keeps it submitted and stamps the change. */
  async submit(response: SurveyResponse): Promise<SurveyResponse> {
    const at = this.now().toISOString();
    return this.mutate(response, (current) =>
      current.status === 'submitted'
        ? { ...current, updatedAt: at, amendedAt: at }
        : { ...current, status: 'submitted', submittedAt: at, updatedAt: at, cursor: this.total },
    );
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
      const id = responseId(wave, respondent);
      const at = this.now().toISOString();
      let erasedHere = false;
      await this.responses.update(wave, id, (found) => {
        if (!found || (found.status === 'withdrawn' && Object.keys(found.answers).length === 0)) return undefined;
        for (const c of found.conversations) conversations.add(c);
        erasedHere = true;
        // A tombstone without content: staff see "withdrawn", nothing personal stays.
        return {
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
      }, { erase: true });
      if (erasedHere) erased++;
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
