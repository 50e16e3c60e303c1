/**
 * One interview as the review page shows it: every question of the questionnaire in order, with
 * the answer's raw text, categories (ids and labels), confidence, source, the normaliser's
 * original proposal and the audit trail of staff recodes; plus whether it counts for its city.
 * A withdrawn interview shows only that it was withdrawn, and when.
 */
import type { Lang, QuestionType, Questionnaire, RecodeEntry, SurveyResponse } from '../core/types.js';
import { selectCounted, type CountFlag } from '../reports/counting.js';
import { categoryLabel, questionLabel } from '../reports/labels.js';

export interface Labelled {
  id: string;
  label: string;
}

export interface AnswerView {
  question: string;
  type: QuestionType;
  label: string;
  /** The question's categories (single and multi), for the recode form. */
  options: Labelled[] | null;
  answer: null | {
    raw: string;
    categories: Labelled[];
    confidence: number;
    source: string;
    lang: string;
    skipped: boolean;
    answeredAt: string;
    normaliser: { categories: Labelled[]; confidence: number } | null;
    recodes: RecodeEntry[];
  };
}

export interface InterviewDetail {
  id: string;
  wave: string;
  status: SurveyResponse['status'];
  channel: string;
  language: Lang;
  startedAt: string;
  updatedAt: string;
  submittedAt: string | null;
  withdrawnAt: string | null;
  amendedAt: string | null;
  conversations: number;
  review: { reviewed: boolean; by: string | null; at: string | null };
  /** Staff's explicit choice (`true` counts, `false` excluded), or null for automatic. */
  countsChoice: boolean | null;
  counting: {
    counted: boolean;
    reason: CountFlag['reason'];
    city: string | null;
    /** Other submissions of the same city in the wave. */
    others: { id: string; submittedAt: string | null; counted: boolean; countsChoice: boolean | null }[];
  };
  answers: AnswerView[];
}

/** The detail of `response`; `wave` is every response of its wave (for the city's other submissions). */
export function interviewDetail(response: SurveyResponse, wave: readonly SurveyResponse[], q: Questionnaire, lang: Lang): InterviewDetail {
  const { flags } = selectCounted(wave);
  const flag = flags.get(response.id) ?? { counted: false, reason: 'not_submitted' as const };
  const withdrawn = response.status === 'withdrawn';
  const city = withdrawn ? null : (flag.city ?? response.answers.city?.categories[0] ?? null);
  const label = (question: string, type: QuestionType, id: string): Labelled => ({
    id,
    label: type === 'municipality' ? id : categoryLabel(question, id, lang),
  });
  const answers: AnswerView[] = withdrawn
    ? []
    : q.questions.map((question) => {
        const a = response.answers[question.id];
        const lab = (id: string) => label(question.id, question.type, id);
        return {
          question: question.id,
          type: question.type,
          label: questionLabel(question.id, lang),
          options: question.categories ? question.categories.map(lab) : null,
          answer: a
            ? {
                raw: a.raw,
                categories: a.categories.map(lab),
                confidence: a.confidence,
                source: a.source,
                lang: a.lang,
                skipped: a.skipped === true,
                answeredAt: a.answeredAt,
                normaliser: a.normaliser ? { categories: a.normaliser.categories.map(lab), confidence: a.normaliser.confidence } : null,
                recodes: a.recodes ?? [],
              }
            : null,
        };
      });
  const others = city
    ? wave
        .filter((r) => r.id !== response.id && r.status === 'submitted' && r.answers.city?.categories[0] === city)
        .map((r) => ({
          id: r.id,
          submittedAt: r.submittedAt ?? null,
          counted: flags.get(r.id)?.counted ?? false,
          countsChoice: r.counts ?? null,
        }))
    : [];
  return {
    id: response.id,
    wave: response.wave,
    status: response.status,
    channel: response.respondent.channel,
    language: response.language,
    startedAt: response.startedAt,
    updatedAt: response.updatedAt,
    submittedAt: response.submittedAt ?? null,
    withdrawnAt: response.withdrawnAt ?? null,
    amendedAt: response.amendedAt ?? null,
    conversations: withdrawn ? 0 : response.conversations.length,
    review: { reviewed: response.review?.reviewed === true, by: response.review?.by ?? null, at: response.review?.at ?? null },
    countsChoice: response.counts ?? null,
    counting: { counted: flag.counted, reason: flag.reason, city, others },
    answers,
  };
}
