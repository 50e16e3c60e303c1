/** Human labels of questions and categories, in the respondent's language. */
import type { Lang, Question } from '../core/types.js';
import { translator } from '../i18n.js';
import { fold } from './text.js';

/** The label of a category (for `municipality` the value is already the official name). */
export function categoryLabel(question: Question, category: string, lang: Lang): string {
  if (question.type === 'municipality') return category;
  return translator(lang, 'survey')(`categories.${question.id}.${category}`);
}

export function questionPrompt(question: Question, lang: Lang): string {
  return translator(lang, 'survey')(`questions.${question.id}.prompt`);
}

export function questionShort(question: Question, lang: Lang): string {
  return translator(lang, 'survey')(`questions.${question.id}.short`);
}

export function questionHint(question: Question, lang: Lang): string {
  return translator(lang, 'survey')(`questions.${question.id}.hint`);
}

/** What "the other option" is called in a word or two. */
const OTHER_WORDS = ['muu', 'jokin muu', 'joku muu', 'jotain muuta', 'muu tehtava', 'other', 'something else', 'else', 'another'];

const labelIndexes = new WeakMap<Question, Map<string, string>>();

/**
 * Every folded label (both languages) and id of a question's categories → category id. Built
 * once per question (labels come from the locale files, which do not change while running).
 */
export function labelIndex(question: Question): Map<string, string> {
  const known = labelIndexes.get(question);
  if (known) return known;
  const index = new Map<string, string>();
  labelIndexes.set(question, index);
  for (const category of question.categories ?? []) {
    index.set(fold(category.replace(/_/g, ' ')), category);
    for (const lang of ['fi', 'en'] as const) index.set(fold(categoryLabel(question, category, lang)), category);
  }
  // "Muu", "something else": the option is named "Muu tehtävä" / "Other role", but people shorten it.
  if (question.categories?.includes('other')) for (const word of OTHER_WORDS) if (!index.has(word)) index.set(word, 'other');
  return index;
}
