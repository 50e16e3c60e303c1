/** Plain-text renderings of a respondent's answers (summary, "show my answers", status). */
import type { Answer, Lang, Question, SurveyResponse } from '../core/types.js';
import { translator } from '../i18n.js';
import { isNothingToAdd } from './commands.js';
import { categoryLabel, questionShort } from './labels.js';
import { ellipsize } from './text.js';

/** One answer as the respondent reads it: category labels, or the text for open questions. */
export function answerText(question: Question, answer: Answer | undefined, lang: Lang): string {
  const t = translator(lang);
  if (!answer) return '–';
  // "Ei muuta, kiitos" to the open question is stored as skipped but shown as written.
  if (question.type === 'text') return answer.skipped && !isNothingToAdd(answer.raw) ? t('answerSkipped') : ellipsize(answer.raw, 160);
  if (answer.skipped) return t('answerSkipped');
  if (!answer.categories.length) return t('answerDontKnow');
  return answer.categories.map((c) => categoryLabel(question, c, lang)).join(', ');
}

/** Numbered lines "3. Responsibility for digitalisation: IT management". */
export function answerLines(questions: Question[], response: SurveyResponse, lang: Lang): string[] {
  const t = translator(lang);
  return questions.map((q, i) =>
    t('summaryLine', { n: i + 1, question: questionShort(q, lang), answer: answerText(q, response.answers[q.id], lang) }),
  );
}
