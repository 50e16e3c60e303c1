/**
 * Staff recodes as training examples for the normaliser:
 * `DATA_DIR/training/staff-recodes.jsonl`, one `{text, lang, categories, question, by, at}` per
 * line, appended on every recode. The file is a log: when the same text of the same question
 * was recoded twice, the later line wins (`staffExamples`).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Lang } from '../core/types.js';

export interface StaffExample {
  text: string;
  lang: Lang;
  categories: string[];
  question: string;
  by: string;
  at: string;
}

/** What the normaliser needs of an example. */
export interface TrainingExample {
  question: string;
  text: string;
  lang: Lang;
  categories: string[];
}

/**
 * Rebuilds the running normaliser with extra examples (injected by the wiring in bot/; the
 * normaliser's own `createNormaliser({ extraExamples })` is the startup path).
 */
export type RetrainFn = (examples: TrainingExample[]) => Promise<void>;

/** `DATA_DIR/training/staff-recodes.jsonl`. */
export function staffExamplesFile(dataDir: string): string {
  return join(dataDir, 'training', 'staff-recodes.jsonl');
}

let queue: Promise<unknown> = Promise.resolve();

/** Appends one example (one line, serialised with other appends of this process). */
export function appendStaffExample(dataDir: string, example: StaffExample): Promise<void> {
  const file = staffExamplesFile(dataDir);
  const line = `${JSON.stringify(example)}\n`;
  const run = async () => {
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, line, 'utf8');
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

function isExample(value: unknown): value is StaffExample {
  const v = value as Partial<StaffExample> | null;
  return (
    typeof v === 'object' && v !== null &&
    typeof v.text === 'string' && typeof v.question === 'string' &&
    (v.lang === 'fi' || v.lang === 'en') &&
    Array.isArray(v.categories) && v.categories.every((c) => typeof c === 'string')
  );
}

export interface ReadExamples {
  examples: TrainingExample[];
  /** Lines that were not examples (kept in the file, reported, never fatal). */
  skippedLines: number[];
}

/**
 * The latest staff coding of every (question, text), for training. Missing file → none.
 * A damaged line is skipped and reported rather than failing the bot's start.
 */
export async function staffExamples(dataDir: string): Promise<ReadExamples> {
  let text: string;
  try {
    text = await readFile(staffExamplesFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { examples: [], skippedLines: [] };
    throw error;
  }
  const latest = new Map<string, TrainingExample>();
  const skippedLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skippedLines.push(index + 1);
      return;
    }
    if (!isExample(value)) {
      skippedLines.push(index + 1);
      return;
    }
    const key = `${value.question}\u0000${value.text.trim().toLowerCase()}`;
    latest.delete(key); // keep file order of the latest codings
    latest.set(key, { question: value.question, text: value.text, lang: value.lang, categories: value.categories });
  });
  return { examples: [...latest.values()], skippedLines };
}
