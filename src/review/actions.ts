/**
 * What staff change in an interview: recode an answer (with an audit trail beside it and a
 * training example for the normaliser), mark the interview reviewed, choose which of a city's
 * submissions counts. Changes to one interview are serialised inside this process and each
 * re-reads the record right before saving it, so two staff members never undo each other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR_REPO } from '../core/questionnaire.js';
import type { Answer, AnswerSource, Question, Questionnaire, RecodeEntry, SurveyResponse } from '../core/types.js';
import { cityOf } from '../reports/counting.js';
import type { ResponseStore } from '../storage/types.js';
import { HttpError } from './http.js';
import { appendStaffExample } from './training.js';

/** A recode entry as stored: the core fields plus the source the answer had before it. */
export interface StaffRecodeEntry extends RecodeEntry {
  fromSource: AnswerSource;
}

export interface ActionDeps {
  dataDir: string;
  responses: ResponseStore;
  questionnaire: Questionnaire;
  now: () => Date;
  /** Official Finnish municipality names (default: data/municipalities.json). */
  municipalities?: () => ReadonlySet<string>;
}

let municipalityNames: Set<string> | undefined;

/** The official Finnish names of `data/municipalities.json` (read once). */
export function defaultMunicipalities(): ReadonlySet<string> {
  if (!municipalityNames) {
    const file = join(DATA_DIR_REPO, 'municipalities.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { municipalities?: { name?: unknown }[] };
    municipalityNames = new Set((data.municipalities ?? []).map((m) => m.name).filter((n): n is string => typeof n === 'string'));
  }
  return municipalityNames;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export class ReviewActions {
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ActionDeps) {}

  /** Runs `change` with exclusive access to the interviews `ids` (locked in a fixed order). */
  async #exclusive<T>(ids: string[], change: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(ids)].sort();
    const run = async (i: number): Promise<T> => {
      if (i === sorted.length) return change();
      const id = sorted[i]!;
      const previous = this.#locks.get(id) ?? Promise.resolve();
      const current = previous.catch(() => undefined).then(() => run(i + 1));
      const settled = current.catch(() => undefined);
      this.#locks.set(id, settled);
      void settled.then(() => {
        if (this.#locks.get(id) === settled) this.#locks.delete(id);
      });
      return current;
    };
    return run(0);
  }

  async #load(id: string): Promise<SurveyResponse> {
    let response: SurveyResponse | undefined;
    try {
      response = await this.deps.responses.get(id);
    } catch (error) {
      if (error instanceof Error && /^Invalid response id/.test(error.message)) {
        throw new HttpError(400, 'invalid_id', error.message);
      }
      throw error;
    }
    if (!response) throw new HttpError(404, 'not_found', `No interview ${id}; it may have been erased. Reload the list.`);
    return response;
  }

  #editable(response: SurveyResponse): void {
    if (response.status === 'withdrawn') {
      throw new HttpError(409, 'withdrawn', 'The respondent withdrew this interview and erased its answers; there is nothing to change.');
    }
  }

  /** Checks `categories` against the question; returns them de-duplicated in the question's order. */
  validateCategories(question: Question, categories: unknown): string[] {
    if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string')) {
      throw new HttpError(400, 'invalid_categories', 'Send "categories" as an array of category ids (an empty array means no category).');
    }
    const unique = [...new Set(categories as string[])];
    if (question.type === 'text') {
      throw new HttpError(400, 'not_categorised', `Question ${question.id} is free text without categories; it cannot be recoded.`);
    }
    if (question.type === 'municipality') {
      const names = (this.deps.municipalities ?? defaultMunicipalities)();
      const unknown = unique.filter((c) => !names.has(c));
      if (unknown.length) {
        throw new HttpError(400, 'invalid_categories', `${unknown.map((u) => JSON.stringify(u)).join(', ')} is not a Finnish municipality: use the official Finnish name (for example Jyväskylä).`);
      }
      if (unique.length > 1) throw new HttpError(400, 'invalid_categories', 'A city answer names one municipality.');
      return unique;
    }
    const allowed = question.categories ?? [];
    const unknown = unique.filter((c) => !allowed.includes(c));
    if (unknown.length) {
      throw new HttpError(400, 'invalid_categories', `Unknown categories for ${question.id}: ${unknown.join(', ')}. Use: ${allowed.join(', ')}.`);
    }
    if (question.type === 'single' && unique.length > 1) {
      throw new HttpError(400, 'invalid_categories', `${question.id} takes one category (or none); got ${unique.length}.`);
    }
    return allowed.filter((c) => unique.includes(c));
  }

  /**
   * Sets an answer's categories as staff decided. Records `{by, at, from, to, fromSource}` in the
   * answer's `recodes`, keeps the normaliser's original proposal in `normaliser`, sets
   * `source: 'staff'` and appends a training example. Returns whether anything changed.
   */
  async recode(id: string, questionId: string, categories: unknown, by: string): Promise<{ response: SurveyResponse; changed: boolean }> {
    const question = this.deps.questionnaire.questions.find((q) => q.id === questionId);
    if (!question) {
      throw new HttpError(404, 'unknown_question', `Unknown question ${questionId}. Known: ${this.deps.questionnaire.questions.map((q) => q.id).join(', ')}.`);
    }
    const to = this.validateCategories(question, categories);
    return this.#exclusive([id], async () => {
      const loaded = await this.#load(id);
      const at = this.deps.now().toISOString();
      let changed = false;
      let example: { text: string; lang: Answer['lang'] } | undefined;
      // Applied to the record as stored at write time, so an answer the bot saves meanwhile stays.
      const response = await this.deps.responses.update(loaded.wave, id, (current) => {
        if (!current) throw new HttpError(404, 'not_found', `No interview ${id}; it may have been erased. Reload the list.`);
        this.#editable(current);
        const answer: Answer | undefined = current.answers[question.id];
        if (!answer) throw new HttpError(409, 'not_answered', `The respondent has not answered ${question.id}; there is nothing to recode.`);
        if (answer.skipped) throw new HttpError(409, 'skipped', `The respondent skipped ${question.id}; there is no text to code.`);
        if (sameSet(answer.categories, to)) return undefined;
        const entry: StaffRecodeEntry = { by, at, from: [...answer.categories], to, fromSource: answer.source };
        if (!answer.normaliser && answer.source === 'normaliser') {
          answer.normaliser = { categories: [...answer.categories], confidence: answer.confidence };
        }
        answer.recodes = [...(answer.recodes ?? []), entry];
        answer.categories = to;
        answer.source = 'staff';
        answer.confidence = 1;
        changed = true;
        example = { text: answer.raw, lang: answer.lang };
        return current;
      });
      if (changed && example) {
        await appendStaffExample(this.deps.dataDir, { ...example, categories: to, question: question.id, by, at });
      }
      return { response: response ?? loaded, changed };
    });
  }

  /** Marks the interview reviewed (or not) by `by`. */
  async markReviewed(id: string, reviewed: unknown, by: string): Promise<SurveyResponse> {
    if (typeof reviewed !== 'boolean') throw new HttpError(400, 'invalid_body', 'Send {"reviewed": true} or {"reviewed": false}.');
    return this.#exclusive([id], async () => {
      const loaded = await this.#load(id);
      const stored = await this.deps.responses.update(loaded.wave, id, (current) => {
        if (!current) throw new HttpError(404, 'not_found', `No interview ${id}; it may have been erased. Reload the list.`);
        this.#editable(current);
        current.review = { reviewed, by, at: this.deps.now().toISOString() };
        return current;
      });
      return stored ?? loaded;
    });
  }

  /**
   * Staff's choice of what counts for a city: `true` makes this submission the one that counts
   * (clearing that choice on the city's other submissions), `false` excludes it, `null` returns
   * it to the automatic rule (the latest submission counts).
   */
  async setCounts(id: string, counts: unknown): Promise<SurveyResponse> {
    if (counts !== true && counts !== false && counts !== null) {
      throw new HttpError(400, 'invalid_body', 'Send {"counts": true} (this one counts), {"counts": false} (exclude it) or {"counts": null} (automatic).');
    }
    const first = await this.#load(id);
    const wave = await this.deps.responses.list(first.wave);
    const city = cityOf(first);
    const siblings = counts === true && city ? wave.filter((r) => r.id !== id && cityOf(r) === city && r.counts === true).map((r) => r.id) : [];
    return this.#exclusive([id, ...siblings], async () => {
      const response = await this.#load(id);
      this.#editable(response);
      if (counts === true && response.status !== 'submitted') {
        throw new HttpError(409, 'not_submitted', 'Only a submitted interview can count for its city.');
      }
      if (counts === true && !cityOf(response)) {
        throw new HttpError(409, 'no_city', 'This interview has no city; recode its city answer first.');
      }
      const stored = await this.deps.responses.update(response.wave, id, (current) => {
        if (!current) return undefined;
        if (counts === null) delete current.counts;
        else current.counts = counts;
        return current;
      });
      for (const otherId of siblings) {
        const other = await this.deps.responses.get(otherId);
        if (other?.counts === true && cityOf(other) === cityOf(response)) {
          await this.deps.responses.update(other.wave, otherId, (current) => {
            if (current?.counts !== true) return undefined;
            delete current.counts;
            return current;
          });
        }
      }
      return stored ?? response;
    });
  }
}
