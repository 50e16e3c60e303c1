/**
 * Fills a DATA_DIR with `count` finished interviews, written straight into the storage layout
 * (`responses/<wave>/<id>.json`, the conversation and user state files, one transcript per
 * conversation), as if `count` respondents had already answered. Writing the files directly
 * takes seconds; going through the bot would take as long as the interviews did.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { responseId } from '../../src/core/ids.js';
import type { Answer, QuestionId, SurveyResponse } from '../../src/core/types.js';
import { mapConcurrent } from '../../src/storage/concurrency.js';
import { responseFile, stateFile, transcriptFile } from '../../src/storage/layout.js';
import type { StateRecord, TranscriptRecord } from '../../src/storage/records.js';

export interface SeedOptions {
  wave?: string;
  channelId?: string;
  /** Files written at once (default 64). */
  concurrency?: number;
}

export interface SeedReport {
  interviews: number;
  files: number;
  ms: number;
}

const ANSWERS: [QuestionId, string, string[]][] = [
  ['city', 'Tampereelta', ['Tampere']],
  ['role', '2', ['cio']],
  ['strategy', '1', ['main_goal']],
  ['responsibility', 'Tietohallinto', ['it_management']],
  ['rpa', '4', ['in_production']],
  ['challenges', '2, 5', ['competence_resources', 'talent_attraction']],
  ['projects', '1', ['education']],
  ['sote_impact', '6', ['no_impact']],
  ['goals', '1, 2', ['citizen_services', 'efficiency']],
  ['comments', 'Digitalisaatio on kaupunkistrategian ytimessä; vastuu on jaettu toimialoille.', []],
];

function seededResponse(wave: string, channel: string, i: number, at: string): SurveyResponse {
  const userId = `seed-user-${i}`;
  const answers: SurveyResponse['answers'] = {};
  for (const [question, raw, categories] of ANSWERS) {
    const answer: Answer = { question, raw, categories, confidence: 1, source: 'respondent', lang: 'fi', answeredAt: at };
    answers[question] = answer;
  }
  // Every tenth interview is still under way, so both kinds are on disk.
  const finished = i % 10 !== 0;
  return {
    id: responseId(wave, { channel, userId }),
    wave,
    respondent: { channel, userId },
    language: i % 2 === 0 ? 'fi' : 'en',
    status: finished ? 'submitted' : 'in_progress',
    questionnaireVersion: 1,
    startedAt: at,
    updatedAt: at,
    ...(finished ? { submittedAt: at } : {}),
    conversations: [`seed-conv-${i}`],
    cursor: finished ? 10 : 5,
    consent: { given: true, at },
    answers,
  };
}

/** Writes `count` interviews with their state and transcripts under `dataDir`. */
export async function seedDataDir(dataDir: string, count: number, options: SeedOptions = {}): Promise<SeedReport> {
  const started = performance.now();
  const wave = options.wave ?? '2026';
  const channel = options.channelId ?? 'directline';
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const files: [string, unknown][] = [];
  for (let i = 0; i < count; i++) {
    const response = seededResponse(wave, channel, i, at);
    const conversationId = `seed-conv-${i}`;
    const conversationKey = `${channel}/conversations/${conversationId}/`;
    const userKey = `${channel}/users/${response.respondent.userId}/`;
    const conversationState: StateRecord = {
      key: conversationKey,
      item: { dialogState: { dialogStack: [] }, lastSeen: Date.parse(at), eTag: `seed-${i}` },
    };
    const userState: StateRecord = { key: userKey, item: { profile: {}, eTag: `seed-${i}` } };
    const transcript: TranscriptRecord = {
      channel,
      conversationId,
      updatedAt: at,
      activities: ANSWERS.map(([, raw]) => ({ type: 'message', text: raw, from: { id: response.respondent.userId }, timestamp: at })),
    };
    files.push(
      [responseFile(dataDir, wave, response.id), response],
      [stateFile(dataDir, conversationKey), conversationState],
      [stateFile(dataDir, userKey), userState],
      [transcriptFile(dataDir, channel, conversationId), transcript],
    );
  }
  for (const dir of new Set(files.map(([file]) => dirname(file)))) await mkdir(dir, { recursive: true });
  await mapConcurrent(files, options.concurrency ?? 64, ([file, value]) => writeFile(file, JSON.stringify(value)));
  return { interviews: count, files: files.length, ms: Math.round(performance.now() - started) };
}
