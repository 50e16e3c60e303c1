/**
 * Interviews, one file per response: `DATA_DIR/responses/<wave>/<responseId>.json`. Saving
 * writes one small file and makes it durable (through the answer journal when the data directory
 * has one), so the bot may acknowledge an answer as soon as `save` resolves; listing a wave reads
 * that wave's directory only.
 */
import { join } from 'node:path';
import type { SurveyResponse } from '../core/types.js';
import { mapConcurrent, READ_CONCURRENCY } from './concurrency.js';
import type { AnswerJournal } from './answerJournal.js';
import type { DataFiles } from './dataFiles.js';
import { readDataFile } from './jsonFile.js';
import { assertSafeId, isDataFileName, responseFile, SAFE_ID, SAFE_RESPONSE_ID, waveDir } from './layout.js';
import { listDir } from './listDir.js';
import { responseRecordProblem } from './records.js';
import type { ResponseStore } from './types.js';

export class FileResponseStore implements ResponseStore {
  readonly #responsesDir: string;

  constructor(
    private readonly dataDir: string,
    private readonly files: DataFiles,
    /** Makes saves durable (see answerJournal.ts); without one, each save flushes its own file. */
    private readonly journal?: AnswerJournal,
  ) {
    this.#responsesDir = join(dataDir, 'responses');
  }

  /** Wave ids that have a directory (a handful, so scanning them per lookup is cheap). */
  async #waves(): Promise<string[]> {
    this.files.queue.assertOpen();
    return (await listDir(this.#responsesDir)).filter((e) => e.isDirectory() && SAFE_ID.test(e.name)).map((e) => e.name);
  }

  /**
   * The files holding `id`. The id alone does not name its wave directory (ids are opaque here),
   * so every wave directory is probed: the cost grows with the number of waves, not of responses.
   */
  async #find(id: string): Promise<{ file: string; response: SurveyResponse }[]> {
    const waves = await this.#waves();
    const found = await Promise.all(
      waves.map(async (wave) => {
        const file = responseFile(this.dataDir, wave, id);
        const response = await this.files.read<SurveyResponse>(file, responseRecordProblem);
        return response === undefined ? undefined : { file, response };
      }),
    );
    return found.filter((f) => f !== undefined);
  }

  async get(id: string, wave?: string): Promise<SurveyResponse | undefined> {
    assertSafeId('response id', id);
    if (wave !== undefined) {
      // The bot knows the wave: one lookup per turn (usually in memory), no directory listing.
      return this.files.read<SurveyResponse>(responseFile(this.dataDir, wave, id), responseRecordProblem);
    }
    const found = await this.#find(id);
    if (found.length > 1) {
      throw new Error(
        `Response ${id} is stored in more than one wave (${found.map((f) => f.file).join(', ')}); ` +
          'a response id belongs to one wave: move the wrong file out of DATA_DIR/responses.',
      );
    }
    return found[0]?.response;
  }

  /**
   * Writes the record, then makes it durable: through the answer journal (one flush shared with
   * the answers saved meanwhile), or by flushing the file itself when there is no journal.
   */
  async #durableWrite(file: string, text: string): Promise<void> {
    if (this.journal === undefined) return this.files.writeText(file, text, { durable: true });
    await this.files.writeText(file, text);
    await this.journal.record(file, text);
  }

  /** Resolves once the record is written and on disk (see #durableWrite). */
  async save(response: SurveyResponse): Promise<void> {
    if (typeof response !== 'object' || response === null) {
      throw new TypeError('save(response) needs a SurveyResponse object.');
    }
    const file = responseFile(this.dataDir, response.wave, response.id);
    // Serialised now: the caller may keep changing its object while the write waits in the queue.
    const text = JSON.stringify(response);
    // Never overwrite a corrupt file: `lockedText` checks it first and throws CorruptDataFileError.
    await this.files.lockedText(file, responseRecordProblem, () => this.#durableWrite(file, text));
  }

  async update(
    wave: string,
    id: string,
    change: (current: SurveyResponse | undefined) => SurveyResponse | undefined,
    options: { erase?: boolean } = {},
  ): Promise<SurveyResponse | undefined> {
    assertSafeId('response id', id);
    const file = responseFile(this.dataDir, wave, id);
    return this.files.lockedText(file, responseRecordProblem, async (stored) => {
      // `change` gets its own parse of the stored text (nobody else holds it); the "no change"
      // answer is parsed again, as stored.
      const next = change(stored === undefined ? undefined : (JSON.parse(stored) as SurveyResponse));
      if (next === undefined) return stored === undefined ? undefined : (JSON.parse(stored) as SurveyResponse);
      if (next.id !== id || next.wave !== wave) {
        throw new Error(`update(${wave}, ${id}) returned response ${next.wave}/${next.id}: an update may not move a response.`);
      }
      const text = JSON.stringify(next);
      if (options.erase === true) {
        // No copy of what is erased may stay in the journal: checkpoint it away first, then write
        // the record whole and flushed, leaving no earlier version in the file either.
        await this.journal?.checkpoint();
        await this.files.writeText(file, text, { durable: true, whole: true });
      } else await this.#durableWrite(file, text);
      // What was written, as a copy sharing nothing with `next`.
      return JSON.parse(text) as SurveyResponse;
    });
  }

  /** Removes the response from whichever wave holds it; a missing id is fine, a corrupt file is refused. */
  async delete(id: string): Promise<void> {
    assertSafeId('response id', id);
    const waves = await this.#waves();
    // A journal line would bring the deleted response back after a power cut.
    await this.journal?.checkpoint();
    await Promise.all(
      waves.map((wave) => {
        const file = responseFile(this.dataDir, wave, id);
        return this.files.locked(file, responseRecordProblem, () => this.files.remove(file, { durable: true }));
      }),
    );
  }

  /** Every response of `wave` (or of all waves), in no particular order. */
  async list(wave?: string): Promise<SurveyResponse[]> {
    this.files.queue.assertOpen();
    const waves = wave === undefined ? await this.#waves() : [wave];
    const files: string[] = [];
    for (const w of waves) {
      const dir = waveDir(this.dataDir, w);
      for (const entry of await listDir(dir)) {
        if (entry.isFile() && isDataFileName(entry.name) && SAFE_RESPONSE_ID.test(entry.name.slice(0, -'.json'.length))) {
          files.push(join(dir, entry.name));
        }
      }
    }
    // Straight from disk (renames are atomic, so each file is whole): a report listing a wave
    // must not push the interviews in progress out of the cache.
    const responses = await mapConcurrent(files, READ_CONCURRENCY, (file) =>
      readDataFile<SurveyResponse>(file, responseRecordProblem),
    );
    // A file deleted between listing and reading is simply gone.
    return responses.filter((r) => r !== undefined);
  }
}
