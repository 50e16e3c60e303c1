/**
 * A review server on 127.0.0.1 with a temporary DATA_DIR filled through the real stores:
 * responses (several cities, a duplicate city, in progress, withdrawn, a `<script>` answer),
 * their transcripts, staff accounts of every role, and the reports' routes behind the same
 * session check. Built in code so every figure a test expects is visible here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import restify from 'restify';
import { responseId } from '../../src/core/ids.js';
import { questionnaire as projectQuestionnaire } from '../../src/core/questionnaire.js';
import type { Answer, AnswerSource, QuestionId, ResponseStatus, SurveyResponse } from '../../src/core/types.js';
import { registerCompareRoutes } from '../../src/reports/routes.js';
import { StaffAccounts, type StaffRole } from '../../src/review/accounts.js';
import { registerReviewRoutes, type ReviewDeps, type ReviewRoutes } from '../../src/review/routes.js';
import { openDataDir, type DataDir } from '../../src/storage/lowdbStore.js';
import { loadWaves } from '../../src/waves/registry.js';

export const PASSWORD = 'correct horse battery staple';
export const SCRIPT_ANSWER = '<script>alert("xss")</script><img src=x onerror=alert(2)> Tietohallinto vastaa';

export interface AnswerSpec {
  raw?: string;
  categories: string[];
  confidence?: number;
  source?: AnswerSource;
  lang?: 'fi' | 'en';
  skipped?: boolean;
}

export interface ResponseSpec {
  user: string;
  wave?: string;
  status?: ResponseStatus;
  language?: 'fi' | 'en';
  startedAt: string;
  submittedAt?: string;
  answers?: Partial<Record<QuestionId, AnswerSpec>>;
  conversations?: string[];
  reviewed?: boolean;
  channel?: string;
}

/** A SurveyResponse from a compact spec. */
export function makeResponse(spec: ResponseSpec): SurveyResponse {
  const wave = spec.wave ?? '2026';
  const respondent = { channel: spec.channel ?? 'directline', userId: spec.user };
  const status = spec.status ?? 'submitted';
  const answers: SurveyResponse['answers'] = {};
  for (const [question, a] of Object.entries(spec.answers ?? {}) as [QuestionId, AnswerSpec][]) {
    const answer: Answer = {
      question,
      raw: a.raw ?? a.categories.join(', '),
      categories: a.categories,
      confidence: a.confidence ?? 1,
      source: a.source ?? 'respondent',
      lang: a.lang ?? spec.language ?? 'fi',
      answeredAt: spec.startedAt,
      ...(a.skipped && { skipped: true }),
    };
    answers[question] = answer;
  }
  const updatedAt = spec.submittedAt ?? spec.startedAt;
  return {
    id: responseId(wave, respondent),
    wave,
    respondent,
    language: spec.language ?? 'fi',
    status,
    questionnaireVersion: 1,
    startedAt: spec.startedAt,
    updatedAt,
    ...(spec.submittedAt && { submittedAt: spec.submittedAt }),
    ...(status === 'withdrawn' && { withdrawnAt: updatedAt }),
    conversations: status === 'withdrawn' ? [] : (spec.conversations ?? [`conv-${spec.user}`]),
    cursor: 0,
    answers: status === 'withdrawn' ? {} : answers,
    ...(spec.reviewed !== undefined && { review: { reviewed: spec.reviewed, by: 'seed', at: spec.startedAt } }),
  };
}

/** The interviews every review test starts with (wave 2026). */
export const SPECS: Record<string, ResponseSpec> = {
  helsinki: {
    user: 'u-helsinki',
    language: 'fi',
    startedAt: '2026-11-02T09:00:00.000Z',
    submittedAt: '2026-11-02T09:20:00.000Z',
    answers: {
      city: { raw: 'Helsingistä', categories: ['Helsinki'], confidence: 0.97, source: 'normaliser' },
      role: { raw: 'Kaupunginjohtaja', categories: ['mayor'] },
      responsibility: { raw: SCRIPT_ANSWER, categories: ['it_management'], confidence: 0.66, source: 'normaliser' },
      challenges: { raw: 'Muutosjohtaminen ja rahoitus', categories: ['change_management', 'funding'], confidence: 0.9, source: 'normaliser' },
      rpa: { raw: 'ohita', categories: [], skipped: true },
    },
  },
  tampereOld: {
    user: 'u-tampere-1',
    language: 'en',
    startedAt: '2026-11-03T10:00:00.000Z',
    submittedAt: '2026-11-03T10:30:00.000Z',
    answers: {
      city: { raw: 'City of Tampere', categories: ['Tampere'], confidence: 0.95, source: 'normaliser', lang: 'en' },
      role: { raw: 'CIO', categories: ['cio'], lang: 'en' },
      responsibility: { raw: 'Our digital office leads it', categories: ['digital_unit'], confidence: 0.92, source: 'normaliser', lang: 'en' },
    },
  },
  tampereNew: {
    user: 'u-tampere-2',
    language: 'fi',
    startedAt: '2026-11-05T08:00:00.000Z',
    submittedAt: '2026-11-05T08:40:00.000Z',
    answers: {
      city: { raw: 'Tampereelta', categories: ['Tampere'], confidence: 0.96, source: 'normaliser' },
      role: { raw: 'digijohtaja', categories: ['cdo'], confidence: 0.88, source: 'normaliser' },
      responsibility: { raw: 'Kaupunginjohto vetää', categories: ['city_management'], confidence: 0.85, source: 'normaliser' },
    },
  },
  espoo: {
    user: 'u-espoo',
    status: 'in_progress',
    language: 'fi',
    startedAt: '2026-11-06T12:00:00.000Z',
    answers: {
      city: { raw: 'Espoo', categories: ['Espoo'] },
      role: { raw: 'kehitysjohtaja', categories: ['development'], confidence: 0.72, source: 'normaliser' },
    },
  },
  withdrawn: {
    user: 'u-withdrawn',
    status: 'withdrawn',
    startedAt: '2026-11-04T07:00:00.000Z',
  },
};

/** Transcript of the Helsinki interview: both directions, as the transcript middleware (bot/transcriptLogger.ts) logs them. */
export function helsinkiTranscript(conversation: string): Record<string, unknown>[] {
  const base = { channelId: 'directline', conversation: { id: conversation }, serviceUrl: 'http://127.0.0.1:1' };
  const user = { id: 'u-helsinki', name: 'Respondent', role: 'user' };
  const bot = { id: 'digikysely', name: 'Digikysely', role: 'bot' };
  return [
    { ...base, type: 'conversationUpdate', from: user, recipient: bot, timestamp: '2026-11-02T09:00:00.000Z', membersAdded: [user] },
    { ...base, type: 'message', from: bot, recipient: user, timestamp: '2026-11-02T09:00:01.000Z', text: 'Hei! Mitä kaupunkia edustatte?', locale: 'fi-FI', channelData: { question: 'city' } },
    { ...base, type: 'message', from: user, recipient: bot, timestamp: '2026-11-02T09:01:00.000Z', text: 'Helsingistä', locale: 'fi-FI' },
    {
      ...base, type: 'message', from: bot, recipient: user, timestamp: '2026-11-02T09:01:01.000Z', text: 'Kuka johtaa digitalisaatiota?',
      channelData: { question: 'responsibility' },
      suggestedActions: { to: ['u-helsinki'], actions: [{ type: 'imBack', title: 'Tietohallinto', value: 'Tietohallinto' }, { type: 'imBack', title: 'Kaupunginjohto', value: 'Kaupunginjohto' }] },
    },
    { ...base, type: 'message', from: user, recipient: bot, timestamp: '2026-11-02T09:02:00.000Z', text: SCRIPT_ANSWER, locale: 'fi-FI' },
    { ...base, type: 'message', from: bot, recipient: user, timestamp: '2026-11-02T09:02:01.000Z', text: 'Could you answer in English? Sure.', locale: 'en-US' },
  ];
}

export interface ReviewFixture {
  dir: string;
  data: DataDir;
  url: string;
  review: ReviewRoutes;
  ids: Record<keyof typeof SPECS, string>;
  /** Moves the injected clock. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export const USERS: Record<string, StaffRole> = { admin: 'admin', editor: 'editor', viewer: 'viewer' };

/** Starts a review server over a fresh temp DATA_DIR with the SPECS interviews. */
export async function startReviewFixture(overrides: Partial<ReviewDeps> = {}, extra: ResponseSpec[] = []): Promise<ReviewFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'dk-review-'));
  const data = await openDataDir(dir);
  let clock = Date.parse('2026-11-10T12:00:00.000Z');
  const now = () => new Date(clock);
  const ids = {} as Record<keyof typeof SPECS, string>;
  for (const [key, spec] of Object.entries(SPECS)) {
    const r = makeResponse(spec);
    await data.responses.save(r);
    ids[key as keyof typeof SPECS] = r.id;
  }
  for (const spec of extra) await data.responses.save(makeResponse(spec));
  for (const activity of helsinkiTranscript('conv-u-helsinki')) await data.transcripts.append('directline', 'conv-u-helsinki', activity);
  // A second conversation of the same interview (a resumed session) interleaves by time.
  await data.transcripts.append('directline', 'conv-u-helsinki-2', {
    type: 'message', channelId: 'directline', conversation: { id: 'conv-u-helsinki-2' },
    from: { id: 'u-helsinki', role: 'user' }, timestamp: '2026-11-02T09:01:30.000Z', text: 'Jatketaan',
  });
  const helsinki = (await data.responses.get(ids.helsinki))!;
  helsinki.conversations = ['conv-u-helsinki', 'conv-u-helsinki-2'];
  await data.responses.save(helsinki);

  const accounts = new StaffAccounts(dir);
  for (const [name, role] of Object.entries(USERS)) await accounts.add(name, role, PASSWORD);

  const waves = loadWaves(dir);
  const questionnaire = projectQuestionnaire();
  const server = restify.createServer({ name: 'review-test', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, mapFiles: false, maxBodySize: 512 * 1024, rejectUnknown: false }));
  const review = registerReviewRoutes(server, {
    dataDir: dir,
    responses: data.responses,
    transcripts: data.transcripts,
    waves,
    questionnaire,
    now,
    log: () => undefined,
    env: {},
    throttle: { baseDelayMs: 20 },
    page: false,
    ...overrides,
  });
  registerCompareRoutes(server, { waves, responses: data.responses, questionnaire, requireStaff: review.requireStaff('viewer') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dir,
    data,
    url: `http://127.0.0.1:${port}`,
    review,
    ids,
    advance: (ms) => {
      clock += ms;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await data.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
}

export interface ApiResult {
  status: number;
  body: any;
  headers: Headers;
}

/** Calls the API as the page would (JSON, cookie, CSRF header for changes). */
export async function api(
  url: string,
  method: string,
  path: string,
  opts: { session?: Session; body?: unknown; csrf?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.session) headers.cookie = opts.session.cookie;
  const csrf = opts.csrf === undefined ? opts.session?.csrf : opts.csrf;
  if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (CSV, SVG)
  }
  return { status: res.status, body, headers: res.headers };
}

/** Signs in and returns the cookie and CSRF token. */
export async function signIn(url: string, name: string, password = PASSWORD): Promise<Session> {
  const res = await api(url, 'POST', '/api/review/sign-in', { body: { name, password } });
  if (res.status !== 200) throw new Error(`sign-in as ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, csrf: res.body.csrfToken };
}
