/**
 * The staff review API under `/api/review/` and the page at `/review` (see README "Review").
 * Every route needs a signed-in session (401), the right role (403: `viewer` reads, `editor`
 * recodes and reviews, `admin` manages waves and accounts) and, when it changes anything, the
 * session's CSRF token. Downloads and charts are the reports' routes (src/reports/routes.ts):
 * pass `requireStaff('viewer')` from the returned object to `registerCompareRoutes`.
 */
import { join } from 'node:path';
import type { Request, RequestHandler, Response, Server } from 'restify';
import { LANGS, type Lang, type Questionnaire, type ResponseStatus } from '../core/types.js';
import { categoryLabel, questionLabel } from '../reports/labels.js';
import type { ResponseStore, TranscriptStore } from '../storage/types.js';
import { WaveError } from '../waves/registry.js';
import { WAVE_ID_PATTERN, type WaveRegistry } from '../waves/types.js';
import { AccountError, assertName, assertRole, generatePassword, StaffAccounts, type StaffRole } from './accounts.js';
import { ReviewActions } from './actions.js';
import { agreementReport } from './agreement.js';
import { meBody, ReviewAuth, type Staff } from './auth.js';
import { chooseWave, dashboard } from './dashboard.js';
import { interviewDetail } from './detail.js';
import { HttpError, jsonBody, queryOf, sendError, sendJson } from './http.js';
import { DEFAULT_LOW_CONFIDENCE, listInterviews, type InterviewFilter } from './interviews.js';
import { registerReviewPage, type ReviewPageOptions } from './page.js';
import { sessionHoursFromEnv, SessionStore, STAFF_SESSIONS_FILE } from './sessions.js';
import { SignInThrottle, type ThrottleOptions } from './throttle.js';
import { staffExamples, type RetrainFn } from './training.js';
import { interviewTranscript } from './transcript.js';

export type { RetrainFn, TrainingExample } from './training.js';

export interface ReviewDeps {
  dataDir: string;
  responses: ResponseStore;
  transcripts: TranscriptStore;
  waves: WaveRegistry;
  questionnaire: Questionnaire;
  /** Rebuilds the running normaliser with the staff examples; without it, "retrain" answers 501. */
  retrain?: RetrainFn;
  /** Clock (tests: session expiry, audit times). */
  now?: () => Date;
  /** Session lifetime in hours (default `REVIEW_SESSION_HOURS` or 8); idle limit 1 h. */
  sessionHours?: number;
  idleMinutes?: number;
  /** Sign-in slowdown (tests shorten the base delay). */
  throttle?: Omit<ThrottleOptions, 'now'>;
  /** Believe X-Forwarded-* headers (`TRUST_PROXY=1`). */
  trustProxy?: boolean;
  /** Always mark the session cookie Secure (`COOKIE_SECURE=1`). */
  cookieSecure?: boolean;
  /** Extra origins allowed for state-changing requests (`REVIEW_ORIGINS`, comma-separated). */
  allowedOrigins?: string[];
  /** Answers coded by the normaliser below this are "low confidence" (default 0.8). */
  lowConfidenceBelow?: number;
  /** Where the page's files are; `false` registers the API only. */
  page?: ReviewPageOptions | false;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  env?: NodeJS.ProcessEnv;
}

export interface ReviewRoutes {
  /** Restify middleware: 401/403 unless a signed-in member has `role` (and CSRF on changes). */
  requireStaff(role: StaffRole): RequestHandler;
  auth: ReviewAuth;
  accounts: StaffAccounts;
  sessions: SessionStore;
}

type Work = (req: Request, res: Response, staff: Staff) => Promise<void>;

const STATUSES: readonly ResponseStatus[] = ['in_progress', 'submitted', 'withdrawn'];

function langOf(query: URLSearchParams): Lang {
  const lang = query.get('lang') ?? 'fi';
  if (!(LANGS as readonly string[]).includes(lang)) throw new HttpError(400, 'invalid_lang', 'Use lang=fi or lang=en.');
  return lang as Lang;
}

function waveOf(query: URLSearchParams, name = 'wave'): string | null {
  const id = query.get(name);
  if (id === null || id === '') return null;
  if (!WAVE_ID_PATTERN.test(id)) throw new HttpError(400, 'invalid_wave', `"${name}" must be a wave id such as 2026.`);
  return id;
}

function positiveInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(400, 'invalid_query', `"${name}" must be a whole number ≥ 1.`);
  return n;
}

const flag = (query: URLSearchParams, name: string) => ['1', 'true', 'yes'].includes(query.get(name) ?? '');

function parseFilter(query: URLSearchParams): InterviewFilter {
  const status = query.get('status') || undefined;
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
    throw new HttpError(400, 'invalid_status', `Unknown status "${status}": use ${STATUSES.join(', ')}.`);
  }
  const text = (name: string, max: number) => {
    const v = query.get(name)?.trim();
    if (v && v.length > max) throw new HttpError(400, 'invalid_query', `"${name}" is too long (at most ${max} characters).`);
    return v || undefined;
  };
  return {
    wave: waveOf(query) ?? undefined,
    city: text('city', 100),
    status: status as ResponseStatus | undefined,
    question: text('question', 64),
    category: text('category', 64),
    lowConfidence: flag(query, 'lowConfidence'),
    unreviewed: flag(query, 'unreviewed'),
    q: text('q', 200),
    page: positiveInt(query, 'page'),
    pageSize: positiveInt(query, 'pageSize'),
  };
}

function waveErrorToHttp(error: unknown): unknown {
  if (error instanceof WaveError) {
    const status = error.code === 'invalid' ? 400 : error.code === 'not_found' ? 404 : 409;
    return new HttpError(status, error.code, error.message);
  }
  if (error instanceof AccountError) {
    const status = error.code === 'invalid' ? 400 : error.code === 'not_found' ? 404 : 409;
    return new HttpError(status, error.code, error.message);
  }
  return error;
}

/** Registers the review API and page; returns `requireStaff` for other modules' routes. */
export function registerReviewRoutes(server: Server, deps: ReviewDeps): ReviewRoutes {
  for (const key of ['dataDir', 'responses', 'transcripts', 'waves', 'questionnaire'] as const) {
    if (!deps?.[key]) throw new Error(`[registerReviewRoutes]: Missing parameter: deps.${key}`);
  }
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((message: string, fields?: Record<string, unknown>) => console.error(message, fields ?? ''));
  const hours = deps.sessionHours ?? sessionHoursFromEnv(env);
  const accounts = new StaffAccounts(deps.dataDir, now);
  const sessions = new SessionStore({
    absoluteMs: hours * 3_600_000,
    idleMs: (deps.idleMinutes ?? 60) * 60_000,
    now: () => now().getTime(),
    file: join(deps.dataDir, STAFF_SESSIONS_FILE),
    log,
  });
  const throttle = new SignInThrottle({ ...deps.throttle, now: () => now().getTime() });
  const auth = new ReviewAuth({
    accounts,
    sessions,
    throttle,
    trustProxy: deps.trustProxy ?? env.TRUST_PROXY === '1',
    cookieSecure: deps.cookieSecure ?? env.COOKIE_SECURE === '1',
    allowedOrigins: deps.allowedOrigins ?? (env.REVIEW_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    log,
  });
  const actions = new ReviewActions({ dataDir: deps.dataDir, responses: deps.responses, questionnaire: deps.questionnaire, now });
  const threshold = deps.lowConfidenceBelow ?? DEFAULT_LOW_CONFIDENCE;
  const q = deps.questionnaire;

  /** A route that needs `role`; errors become JSON with their status. */
  const route = (role: StaffRole, work: Work) => async (req: Request, res: Response) => {
    try {
      const staff = await auth.authenticate(req, role);
      await work(req, res, staff);
    } catch (error) {
      sendError(res, waveErrorToHttp(error), log);
    }
  };
  const open = (work: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await work(req, res);
    } catch (error) {
      sendError(res, error, log);
    }
  };
  const loadResponse = async (id: string) => {
    try {
      const response = await deps.responses.get(id);
      if (response) return response;
    } catch (error) {
      if (error instanceof Error && /^Invalid response id/.test(error.message)) throw new HttpError(400, 'invalid_id', error.message);
      throw error;
    }
    throw new HttpError(404, 'not_found', `No interview ${id}; it may have been erased. Reload the list.`);
  };
  const P = '/api/review';

  server.post(`${P}/sign-in`, open((req, res) => auth.signIn(req, res)));
  server.post(`${P}/sign-out`, open((req, res) => auth.signOut(req, res)));
  server.get(`${P}/me`, route('viewer', async (_req, res, staff) => sendJson(res, 200, meBody(staff.session, staff.account))));

  server.get(
    `${P}/meta`,
    route('viewer', async (req, res) => {
      const lang = langOf(queryOf(req));
      sendJson(res, 200, {
        lowConfidenceBelow: threshold,
        questions: q.questions.map((x) => ({
          id: x.id,
          type: x.type,
          label: questionLabel(x.id, lang),
          categories: (x.categories ?? []).map((c) => ({ id: c, label: categoryLabel(x.id, c, lang) })),
        })),
        waves: deps.waves.list().map((w) => ({ id: w.id, title: w.title, status: w.status, kind: w.kind, fieldwork: w.fieldwork })),
        openWave: deps.waves.openWave()?.id ?? null,
      });
    }),
  );

  server.get(
    `${P}/interviews`,
    route('viewer', async (req, res) => {
      const filter = parseFilter(queryOf(req));
      if (filter.wave && !deps.waves.get(filter.wave)) throw new HttpError(404, 'unknown_wave', `No wave ${filter.wave}.`);
      const responses = await deps.responses.list(filter.wave);
      sendJson(res, 200, listInterviews(responses, q, filter, threshold));
    }),
  );

  server.get(
    `${P}/interviews/:id`,
    route('viewer', async (req, res) => {
      const response = await loadResponse(String(req.params.id));
      const wave = await deps.responses.list(response.wave);
      sendJson(res, 200, interviewDetail(response, wave, q, langOf(queryOf(req))));
    }),
  );

  server.get(
    `${P}/interviews/:id/transcript`,
    route('viewer', async (req, res) => {
      const response = await loadResponse(String(req.params.id));
      const activities = await interviewTranscript(response, deps.transcripts);
      sendJson(res, 200, { id: response.id, status: response.status, channel: response.respondent.channel, activities });
    }),
  );

  server.post(
    `${P}/interviews/:id/answers/:question/recode`,
    route('editor', async (req, res, staff) => {
      const body = await jsonBody(req);
      const { response, changed } = await actions.recode(String(req.params.id), String(req.params.question), body.categories, staff.account.name);
      const wave = await deps.responses.list(response.wave);
      sendJson(res, 200, { changed, interview: interviewDetail(response, wave, q, langOf(queryOf(req))) });
    }),
  );

  server.post(
    `${P}/interviews/:id/reviewed`,
    route('editor', async (req, res, staff) => {
      const body = await jsonBody(req);
      const response = await actions.markReviewed(String(req.params.id), body.reviewed, staff.account.name);
      sendJson(res, 200, { id: response.id, review: response.review });
    }),
  );

  server.post(
    `${P}/interviews/:id/counts`,
    route('editor', async (req, res) => {
      const body = await jsonBody(req);
      const response = await actions.setCounts(String(req.params.id), 'counts' in body ? body.counts : true);
      const wave = await deps.responses.list(response.wave);
      sendJson(res, 200, interviewDetail(response, wave, q, langOf(queryOf(req))).counting);
    }),
  );

  server.post(
    `${P}/retrain`,
    route('editor', async (_req, res, staff) => {
      if (!deps.retrain) {
        throw new HttpError(501, 'not_configured', 'Retraining is not wired into this server; the staff examples are used at the next start.');
      }
      const started = performance.now();
      const { examples, skippedLines } = await staffExamples(deps.dataDir);
      try {
        await deps.retrain(examples);
      } catch (error) {
        throw new HttpError(422, 'retrain_failed', `Retraining failed and the bot keeps its previous model: ${error instanceof Error ? error.message : String(error)}`);
      }
      const byQuestion: Record<string, number> = {};
      for (const e of examples) byQuestion[e.question] = (byQuestion[e.question] ?? 0) + 1;
      log('[review] normaliser retrained with staff examples', { by: staff.account.name, examples: examples.length });
      sendJson(res, 200, { examples: examples.length, byQuestion, skippedLines, ms: Math.round(performance.now() - started) });
    }),
  );

  server.get(
    `${P}/agreement`,
    route('viewer', async (req, res) => {
      const wave = waveOf(queryOf(req));
      if (wave && !deps.waves.get(wave)) throw new HttpError(404, 'unknown_wave', `No wave ${wave}.`);
      sendJson(res, 200, { wave, ...agreementReport(await deps.responses.list(wave ?? undefined), q) });
    }),
  );

  server.get(
    `${P}/dashboard`,
    route('viewer', async (req, res) => {
      const query = queryOf(req);
      const view = await dashboard(deps, waveOf(query), waveOf(query, 'base'), langOf(query));
      const agreement = view.wave.kind === 'collected' ? agreementReport(await deps.responses.list(view.wave.id), q) : null;
      sendJson(res, 200, { ...view, agreement });
    }),
  );

  server.get(
    `${P}/waves`,
    route('viewer', async (_req, res) => sendJson(res, 200, { waves: deps.waves.list(), open: deps.waves.openWave()?.id ?? null })),
  );

  server.post(
    `${P}/waves/:id/open`,
    route('admin', async (req, res, staff) => {
      const body = await jsonBody(req);
      const str = (k: string) => (typeof body[k] === 'string' && body[k] !== '' ? (body[k] as string) : undefined);
      const wave = await deps.waves.open(String(req.params.id), { titleFi: str('titleFi'), titleEn: str('titleEn'), start: str('start') });
      log('[review] wave opened', { wave: wave.id, by: staff.account.name });
      sendJson(res, 200, { wave, open: deps.waves.openWave()?.id ?? null });
    }),
  );

  server.post(
    `${P}/waves/:id/close`,
    route('admin', async (req, res, staff) => {
      const wave = await deps.waves.close(String(req.params.id));
      log('[review] wave closed', { wave: wave.id, by: staff.account.name });
      sendJson(res, 200, { wave, open: deps.waves.openWave()?.id ?? null });
    }),
  );

  server.get(`${P}/accounts`, route('admin', async (_req, res) => sendJson(res, 200, { accounts: (await accounts.list()).map(({ stamp: _s, ...a }) => a) })));

  server.post(
    `${P}/accounts`,
    route('admin', async (req, res, staff) => {
      const body = await jsonBody(req);
      const role = body.role ?? 'editor';
      assertName(body.name);
      assertRole(role);
      // The password is generated here and shown once: admins never choose others' passwords.
      const password = generatePassword();
      const { stamp: _s, ...account } = await accounts.add(body.name, role, password);
      log('[review] account added', { name: account.name, role: account.role, by: staff.account.name });
      sendJson(res, 201, { account, password });
    }),
  );

  server.post(
    `${P}/accounts/:name/role`,
    route('admin', async (req, res, staff) => {
      const body = await jsonBody(req);
      const name = String(req.params.name);
      if (name === staff.account.name) throw new HttpError(409, 'own_account', 'You cannot change your own role; ask another admin.');
      const { stamp: _s, ...account } = await accounts.setRole(name, body.role as StaffRole);
      sendJson(res, 200, { account });
    }),
  );

  server.del(
    `${P}/accounts/:name`,
    route('admin', async (req, res, staff) => {
      const name = String(req.params.name);
      if (name === staff.account.name) throw new HttpError(409, 'own_account', 'You cannot remove your own account; ask another admin.');
      await accounts.remove(name);
      sessions.deleteFor(name);
      log('[review] account removed', { name, by: staff.account.name });
      sendJson(res, 200, { removed: name });
    }),
  );

  if (deps.page !== false) registerReviewPage(server, deps.page);

  return { requireStaff: (role) => auth.requireStaff(role), auth, accounts, sessions };
}
