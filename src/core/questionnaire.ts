/**
 * The questionnaire, read from `data/questionnaire.json`. Adding a question is a data change
 * (plus its labels in `locales/`), not a new dialog.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Question, QuestionId, Questionnaire } from './types.js';

export const DATA_DIR_REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');

const TYPES = new Set(['municipality', 'single', 'multi', 'text']);

/** Loads and validates a questionnaire file; errors name the file and the faulty question. */
export function loadQuestionnaire(file = join(DATA_DIR_REPO, 'questionnaire.json')): Questionnaire {
  let parsed: Questionnaire;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Questionnaire;
  } catch (err) {
    throw new Error(`Questionnaire ${file} cannot be read: ${(err as Error).message}`);
  }
  if (!Number.isInteger(parsed.version) || !Array.isArray(parsed.questions) || parsed.questions.length === 0) {
    throw new Error(`Questionnaire ${file} needs an integer "version" and a non-empty "questions" array.`);
  }
  const seen = new Set<string>();
  for (const q of parsed.questions) {
    if (!q.id || seen.has(q.id)) throw new Error(`Questionnaire ${file}: question id "${q.id}" is missing or repeated.`);
    seen.add(q.id);
    if (!TYPES.has(q.type)) throw new Error(`Questionnaire ${file}: question "${q.id}" has unknown type "${q.type}".`);
    const needsCategories = q.type === 'single' || q.type === 'multi';
    if (needsCategories && (!Array.isArray(q.categories) || q.categories.length < 2)) {
      throw new Error(`Questionnaire ${file}: ${q.type} question "${q.id}" needs at least two categories.`);
    }
  }
  return parsed;
}

let cached: Questionnaire | undefined;

/** The project's questionnaire (loaded once). */
export function questionnaire(): Questionnaire {
  cached ??= loadQuestionnaire();
  return cached;
}

/** A question by id, or an error naming the unknown id. */
export function questionById(q: Questionnaire, id: string): Question {
  const found = q.questions.find((x) => x.id === id);
  if (!found) throw new Error(`Unknown question "${id}". Known: ${q.questions.map((x) => x.id).join(', ')}.`);
  return found;
}

export function isQuestionId(q: Questionnaire, id: unknown): id is QuestionId {
  return typeof id === 'string' && q.questions.some((x) => x.id === id);
}
