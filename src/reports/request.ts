/**
 * Reading and checking the query of the report routes; every problem becomes a RequestError
 * with the HTTP status and a message that says what to send instead.
 */
import type { Lang, Questionnaire } from '../core/types.js';
import { WAVE_ID_PATTERN, type Wave, type WaveRegistry } from '../waves/types.js';

export class RequestError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

type Query = Record<string, unknown> | undefined;

/** One string parameter; undefined when absent; a 400 when repeated or empty. */
export function param(query: Query, name: string): string | undefined {
  const value = query?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new RequestError(400, `Give "${name}" once, as a non-empty value (e.g. ?${name}=...).`);
  }
  return value;
}

export function requiredParam(query: Query, name: string, example: string): string {
  const value = param(query, name);
  if (value === undefined) throw new RequestError(400, `Missing "${name}": add it to the query, e.g. ${example}.`);
  return value;
}

/** `lang` = fi (default) or en. */
export function langParam(query: Query): Lang {
  const lang = param(query, 'lang') ?? 'fi';
  if (lang !== 'fi' && lang !== 'en') throw new RequestError(400, `Unknown lang "${lang}": use lang=fi or lang=en.`);
  return lang;
}

/** A wave by id: 400 for an id that cannot be one, 404 for an unknown one. */
export function waveParam(waves: Pick<WaveRegistry, 'get' | 'list'>, id: string, name: string): Wave {
  if (!WAVE_ID_PATTERN.test(id)) {
    throw new RequestError(400, `"${name}" must be a wave id (letters, digits, "_" or "-"), e.g. ${name}=2026.`);
  }
  const wave = waves.get(id);
  if (!wave) {
    throw new RequestError(404, `No wave "${id}". Known waves: ${waves.list().map((w) => w.id).join(', ')}.`);
  }
  return wave;
}

/** The two waves of a comparison; they must differ. */
export function comparedWaves(waves: Pick<WaveRegistry, 'get' | 'list'>, query: Query): { base: Wave; target: Wave } {
  const example = '?base=2018&target=2026';
  const base = waveParam(waves, requiredParam(query, 'base', example), 'base');
  const target = waveParam(waves, requiredParam(query, 'target', example), 'target');
  if (base.id === target.id) throw new RequestError(400, `base and target are both ${base.id}: compare two different waves.`);
  return { base, target };
}

/** A question that has a chart (single or multi): 404 unknown, 400 for city/free text. */
export function chartQuestion(q: Questionnaire, id: string): string {
  const question = q.questions.find((x) => x.id === id);
  const chartable = q.questions.filter((x) => x.type === 'single' || x.type === 'multi').map((x) => x.id);
  if (!question) throw new RequestError(404, `No question "${id}". Charts exist for: ${chartable.join(', ')}.`);
  if (!chartable.includes(question.id)) {
    throw new RequestError(400, `Question "${id}" has no categories to chart. Charts exist for: ${chartable.join(', ')}.`);
  }
  return question.id;
}
