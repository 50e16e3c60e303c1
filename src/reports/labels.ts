/**
 * Labels for reports: question and category labels from `locales/<lang>/survey.json`, report
 * strings from `locales/<lang>/reports.json`, through the shared i18next instance (src/i18n.ts).
 * A missing label falls back to the id, so a report never fails for want of a translation.
 */
import type { TFunction } from 'i18next';
import type { Lang, QuestionId } from '../core/types.js';
import { translator } from '../i18n.js';

/** Translator fixed to `lang` for the report strings (`reports` namespace). */
export function reportsT(lang: Lang): TFunction {
  return translator(lang, 'reports');
}

/** The short label of a question ("Responsibility for digitalisation"). */
export function questionLabel(question: QuestionId | string, lang: Lang): string {
  return translator(lang, 'survey')(`questions.${question}.short`, { defaultValue: question });
}

/** The label of a category of a question ("IT management"). */
export function categoryLabel(question: QuestionId | string, category: string, lang: Lang): string {
  return translator(lang, 'survey')(`categories.${question}.${category}`, { defaultValue: category });
}

/** The title of a wave in `lang`. */
export function waveTitle(wave: { title: Record<Lang, string> }, lang: Lang): string {
  return wave.title[lang];
}

/** Every question and category label in `lang`, for API clients that draw their own page. */
export function labelsFor(
  questions: readonly { question: string; categories: readonly { category: string }[] }[],
  lang: Lang,
): { questions: Record<string, string>; categories: Record<string, Record<string, string>> } {
  const result = { questions: {} as Record<string, string>, categories: {} as Record<string, Record<string, string>> };
  for (const q of questions) {
    result.questions[q.question] = questionLabel(q.question, lang);
    result.categories[q.question] = Object.fromEntries(q.categories.map((c) => [c.category, categoryLabel(q.question, c.category, lang)]));
  }
  return result;
}
