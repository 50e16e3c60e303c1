/**
 * The HTTP side: restify with `POST /api/messages` through botbuilder's CloudAdapter and
 * `GET /healthz`. Malformed bodies get a 400 with the reason before botbuilder sees them.
 */
import restify from 'restify';
import type { Activity, ActivityHandler } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { validateActivity } from '../src/http/validateActivity.js';
import { RefusalLog } from '../src/http/refusalLog.js';
import type { SurveyAdapter } from './adapter.js';

/** Bodies larger than this are refused with 413 (a 100,000-character answer still fits). */
export const MAX_BODY_BYTES = 512 * 1024;

export interface ServerDeps {
  adapter: SurveyAdapter;
  bot: ActivityHandler;
  /** Answers whether the bot can serve (storage open, model loaded). */
  ready: () => boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Refuses compressed request bodies with 415 before restify reads them: its gunzip stream has no
 * error handler (a body that is not gzip would crash the process) and no limit on the inflated
 * size (a 64 KiB gzip bomb inflates to 64 MiB). Bot Framework channels never compress.
 */
function refuseEncodedBodies(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return next();
  res.status(415);
  res.json({ error: 'unsupported_content_encoding', reason: `Content-Encoding "${encoding.slice(0, 40)}" is not accepted: send the activity as plain JSON.` });
  return next(false);
}

/** Bot Framework's wire format carries times as strings; botbuilder's turn code expects Dates. */
function withDates(activity: Record<string, unknown>): Activity {
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    if (typeof activity[field] === 'string') {
      activity[raw] = activity[field];
      activity[field] = new Date(activity[field]);
    }
  }
  return activity as unknown as Activity;
}

/** Creates (but does not start) the server. */
export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, ready } = deps;
  const log = deps.log ?? ((message, fields) => console.error(message, fields ?? ''));
  const refusals = new RefusalLog(log);
  const server = restify.createServer({ name: 'digikysely', handleUncaughtExceptions: false });
  server.use(refuseEncodedBodies);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      mapParams: false,
      mapFiles: false,
      maxBodySize: MAX_BODY_BYTES,
      rejectUnknown: false,
    }),
  );

  server.post('/api/messages', async (req, res) => {
    const body: unknown = req.body;
    const check = validateActivity(body);
    if (!check.ok) {
      res.status(400);
      res.json({ error: 'invalid_activity', reason: check.reason });
      return;
    }
    const authorization = req.headers.authorization;
    try {
      // Not CloudAdapter.process(): the body is already checked above, and refusals are ours to
      // log (see RefusalLog).
      const activity = withDates(body as Record<string, unknown>);
      const invoke = await adapter.runTurn(typeof authorization === 'string' ? authorization : '', activity, (context) => bot.run(context));
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.json(invoke.body);
      else res.end();
    } catch (error) {
      if (error instanceof AuthenticationError) {
        refusals.refused(error.message);
        if (!res.headersSent) {
          res.status(401);
          res.json({ error: 'unauthorized', reason: 'The request is not signed by a Bot Framework channel for this bot.' });
        }
        return;
      }
      log('[messages] turn failed before a reply', { error: String(error) });
      if (!res.headersSent) {
        res.status(500);
        res.json({ error: 'turn_failed' });
      }
    }
  });

  server.get('/healthz', async (_req, res) => {
    const ok = ready();
    res.status(ok ? 200 : 503);
    res.json({ status: ok ? 'ok' : 'starting' });
  });

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: any, callback: () => void) => {
    // restify's own errors (bad JSON, too large, unknown route) keep their 4xx codes with a reason.
    err.toJSON = () => ({ error: err.name ?? 'error', reason: err.message });
    return callback();
  });
  server.on('close', () => refusals.close());
  return server;
}
