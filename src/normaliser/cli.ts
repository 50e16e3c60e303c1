/**
 * `npm run --silent normalize`: JSON Lines in, JSON Lines out, one output line per input line,
 * in order.
 *
 *   in:  {"id": "a1", "question": "challenges", "text": "Rahoitus ja osaajapula", "lang": "fi"}
 *   out: {"id": "a1", "question": "challenges", "lang": "fi", "categories": ["funding", "talent_attraction"], "confidence": 0.81}
 *
 * `lang` is optional (a hint; the answer's own language is detected). For `city` the category
 * is the municipality's official Finnish name. A bad line (not JSON, unknown question, missing
 * text) gets `{"id": ..., "error": "..."}` and the rest go on; so does an empty line
 * (`"id": null`), which keeps output line N the answer to input line N.
 * stdout carries these lines only; messages go to stderr. Exit code 0 unless the model
 * cannot be built (then 1, with the reason on stderr).
 */
import { createInterface } from 'node:readline';
import type { Lang, QuestionId } from '../core/types.js';
import { createNormaliser } from './index.js';
import { loadQuestionnaire, dataDirUrl } from './data.js';

type Line = Record<string, unknown>;

/** Turns one input line into one output line (a JSON string without the newline). */
export function processLine(
  line: string,
  normalise: (question: QuestionId, text: string, lang?: Lang) => { lang: Lang; categories: string[]; confidence: number },
  questions: Set<string>,
): string {
  if (!line.trim()) return JSON.stringify({ id: null, error: 'empty line: send one JSON object per line' });
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return JSON.stringify({ id: null, error: 'not valid JSON: send one JSON object per line' });
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return JSON.stringify({ id: null, error: 'not a JSON object: send {"id", "question", "text", "lang"?}' });
  }
  const row = input as Line;
  const id = row.id ?? null;
  const fail = (error: string): string => JSON.stringify({ id, error });
  if (typeof row.question !== 'string' || !questions.has(row.question)) {
    return fail(`unknown question ${JSON.stringify(row.question ?? null)}: use one of ${[...questions].join(', ')}`);
  }
  if (typeof row.text !== 'string') return fail('missing "text": give the answer as a string');
  if (row.lang !== undefined && row.lang !== 'fi' && row.lang !== 'en') return fail('"lang" must be "fi" or "en" (or left out)');
  const result = normalise(row.question as QuestionId, row.text, row.lang as Lang | undefined);
  return JSON.stringify({
    id,
    question: row.question,
    lang: result.lang,
    categories: result.categories,
    confidence: result.confidence,
  });
}

async function main(): Promise<void> {
  let normaliser;
  try {
    normaliser = createNormaliser({ dataDir: process.env.NORMALISER_DATA_DIR });
  } catch (err) {
    process.stderr.write(`normalize: cannot build the model: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const questions = new Set(loadQuestionnaire(dataDirUrl(process.env.NORMALISER_DATA_DIR)).questions.map((q) => q.id as string));
  const normalise = (question: QuestionId, text: string, lang?: Lang) => normaliser.normalise({ question, text, lang });
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    let out: string;
    try {
      out = processLine(line, normalise, questions);
    } catch (err) {
      // A bug on one answer must not lose the rest: report it on this line and go on.
      out = JSON.stringify({ id: null, error: `internal error: ${(err as Error).message}` });
    }
    if (!process.stdout.write(`${out}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

await main();
