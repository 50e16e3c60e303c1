/**
 * The HTTP side: restify with `POST /api/messages` through botbuilder's CloudAdapter and
 * `GET /healthz`. Malformed bodies get a 400 with the reason before botbuilder sees them.
 */
import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import { validateActivity } from '../src/http/validateActivity.js';

/** Bodies larger than this are refused with 413 (a 100,000-character answer still fits). */
export const MAX_BODY_BYTES = 512 * 1024;

export interface ServerDeps {
  adapter: CloudAdapter;
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

/** Creates (but does not start) the server. */
export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, ready } = deps;
  const log = deps.log ?? ((message, fields) => console.error(message, fields ?? ''));
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
    try {
      await adapter.process(req as never, res as never, (context) => bot.run(context));
    } catch (error) {
      // CloudAdapter answers auth failures itself; anything reaching here is ours to report.
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
  return server;
}
