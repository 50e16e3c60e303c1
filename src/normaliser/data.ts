/**
 * Reading the normaliser's inputs from the project's `data/` folder: the questionnaire, the cue
 * lexicons, the training examples (`data/training/<question>.jsonl`, `dontknow.jsonl`). Never
 * `data/heldout/`: those lines only measure (bench:nlp).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Lang, Question, QuestionId, Questionnaire } from '../core/types.js';
import type { CueFile } from './cues.js';

/** One labelled answer (from the training files or a staff recode). */
export interface Example {
  question: string;
  text: string;
  lang: Lang;
  categories: string[];
}

/** The project's `data/` folder (next to `src/`). */
export const DEFAULT_DATA_DIR = new URL('../../data/', import.meta.url);

/** A folder as a URL with a trailing slash, so `new URL(name, dir)` stays inside it. */
export function dataDirUrl(dir: string | URL | undefined): URL {
  if (dir === undefined) return DEFAULT_DATA_DIR;
  if (dir instanceof URL) return dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  const abs = dir.startsWith('/') ? dir : `${process.cwd()}/${dir}`;
  return new URL(`file://${abs.endsWith('/') ? abs : `${abs}/`}`);
}

export function loadQuestionnaire(dataDir: URL): Questionnaire {
  return JSON.parse(readFileSync(new URL('questionnaire.json', dataDir), 'utf8')) as Questionnaire;
}

/** The cue lexicon of a question, or undefined when it has none. */
export function loadCueFile(dataDir: URL, question: QuestionId | 'dontknow'): CueFile | undefined {
  const url = new URL(`cues/${question}.json`, dataDir);
  if (!existsSync(url)) return undefined;
  return JSON.parse(readFileSync(url, 'utf8')) as CueFile;
}

/**
 * Reads a JSON Lines file of examples. A bad line throws with its file and line number: the
 * training data is the project's own, and a silent skip would hide a typo in a category id.
 */
export function readJsonl(url: URL): Record<string, unknown>[] {
  if (!existsSync(url)) return [];
  const lines = readFileSync(url, 'utf8').split('\n');
  const out: Record<string, unknown>[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      throw new Error(`${url.pathname}:${i + 1}: not valid JSON; fix or delete the line`);
    }
  });
  return out;
}

function asLang(value: unknown): Lang {
  return value === 'en' ? 'en' : 'fi';
}

/**
 * The training examples of one question, checked against its categories. An unknown category
 * id throws (say which file and line), because training on a misspelt id would teach nonsense.
 */
export function loadTrainingExamples(dataDir: URL, question: Question, folder = 'training'): Example[] {
  const url = new URL(`${folder}/${question.id}.jsonl`, dataDir);
  const known = new Set(question.categories ?? []);
  return readJsonl(url).map((row, i) => {
    const categories = Array.isArray(row.categories) ? row.categories.map(String) : [];
    if (typeof row.text !== 'string') throw new Error(`${url.pathname}: line ${i + 1} has no "text"`);
    if (question.type !== 'municipality') {
      const unknown = categories.filter((c) => !known.has(c));
      if (unknown.length) {
        throw new Error(`${url.pathname}: line ${i + 1} has unknown categories ${unknown.join(', ')}; use ids from data/questionnaire.json`);
      }
    }
    return { question: question.id, text: row.text, lang: asLang(row.lang), categories };
  });
}

/** Don't-know answers (`dontknow.jsonl`): texts only. */
export function loadDontKnowExamples(dataDir: URL, folder = 'training'): { text: string; lang: Lang }[] {
  return readJsonl(new URL(`${folder}/dontknow.jsonl`, dataDir))
    .filter((row) => typeof row.text === 'string')
    .map((row) => ({ text: row.text as string, lang: asLang(row.lang) }));
}

/** Everything the models learn from: the snapshot key hashes exactly this. */
export interface ModelInputs {
  questionnaire: Questionnaire;
  /** Cue lexicon per categorised question (absent when the question has none). */
  cues: Partial<Record<QuestionId, CueFile>>;
  dontKnowCues?: CueFile;
  /** Training examples per categorised question: the files plus the extra (staff) examples. */
  examples: Partial<Record<QuestionId, Example[]>>;
  dontKnow: { text: string; lang: Lang }[];
}

/**
 * Reads the model inputs from a data folder and merges the extra examples into their
 * questions. An extra example for an unknown question or with an unknown category throws with
 * its text, so a bad staff recode is named instead of silently dropped.
 */
export function loadModelInputs(dataDir: URL, extra: Example[] = []): ModelInputs {
  const questionnaire = loadQuestionnaire(dataDir);
  const inputs: ModelInputs = {
    questionnaire,
    cues: {},
    dontKnowCues: loadCueFile(dataDir, 'dontknow'),
    examples: {},
    dontKnow: loadDontKnowExamples(dataDir),
  };
  const byId = new Map(questionnaire.questions.map((q) => [q.id as string, q]));
  for (const e of extra) {
    const question = byId.get(e.question);
    if (!question || (question.type !== 'single' && question.type !== 'multi')) {
      throw new Error(`extra example "${e.text.slice(0, 40)}" is for question "${e.question}", which has no categories to learn`);
    }
    const unknown = e.categories.filter((c) => !(question.categories ?? []).includes(c));
    if (unknown.length) {
      throw new Error(`extra example for ${e.question} ("${e.text.slice(0, 40)}") has unknown categories ${unknown.join(', ')}`);
    }
  }
  for (const question of questionnaire.questions) {
    if (question.type !== 'single' && question.type !== 'multi') continue;
    inputs.cues[question.id] = loadCueFile(dataDir, question.id);
    inputs.examples[question.id] = [...loadTrainingExamples(dataDir, question), ...extra.filter((e) => e.question === question.id)];
  }
  return inputs;
}
