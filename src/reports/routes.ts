/**
 * The report API the review page uses, behind the staff sign-in when `requireStaff` is given:
 *   GET /api/compare?base=2018&target=2026&lang=fi        → the Comparison as JSON, with labels
 *   GET /api/compare/chart/<question>.svg?base=..&target=..&lang=..  → one chart (SVG)
 *   GET /api/export?wave=2026&format=csv|json[&delimiter=semicolon]   → download of the responses
 * Bad parameters give 400 with a reason, unknown waves or questions 404.
 */
import type restify from 'restify';
import { questionnaire as projectQuestionnaire } from '../core/questionnaire.js';
import type { Questionnaire } from '../core/types.js';
import type { ResponseStore } from '../storage/types.js';
import type { Wave, WaveRegistry } from '../waves/types.js';
import { questionChart, renderChartSvg } from './chart.js';
import { compareWaves } from './compare.js';
import { parseDelimiter } from './csv.js';
import { exportResponses } from './export.js';
import { comparisonWithLabels } from './render-data.js';
import { chartQuestion, comparedWaves, langParam, param, RequestError, requiredParam, waveParam } from './request.js';
import type { Comparison } from './types.js';

export interface CompareRouteDeps {
  waves: Pick<WaveRegistry, 'get' | 'list'>;
  responses: Pick<ResponseStore, 'list'>;
  /** Default: data/questionnaire.json. */
  questionnaire?: Questionnaire;
  /** Runs before every route (the staff sign-in check); omitted = open (tests, local use). */
  requireStaff?: restify.RequestHandler;
}

const NO_STORE = { 'Cache-Control': 'no-store' };

/** Loads what a comparison needs: published figures for baselines, responses for collected waves. */
async function compare(deps: CompareRouteDeps, q: Questionnaire, base: Wave, target: Wave): Promise<Comparison> {
  const byWave: Record<string, Awaited<ReturnType<ResponseStore['list']>>> = {};
  for (const w of [base, target]) if (w.kind === 'collected') byWave[w.id] = await deps.responses.list(w.id);
  return compareWaves(base, target, byWave, q);
}

type Work = (req: restify.Request, res: restify.Response) => Promise<void>;

/** Wraps route work: RequestError → its status and message; anything else → 500 with the message. */
function handler(work: Work): restify.RequestHandler {
  return (req, res, next) => {
    work(req, res).then(
      () => next(),
      (error: unknown) => {
        if (error instanceof RequestError) {
          res.send(error.status, { code: error.status === 400 ? 'BadRequest' : 'NotFound', message: error.message });
        } else {
          const message = error instanceof Error ? error.message : String(error);
          req.log?.error?.({ err: error }, 'report route failed');
          res.send(500, { code: 'InternalError', message: `The report could not be made: ${message}` });
        }
        next();
      },
    );
  };
}

/** Registers the compare, chart and export routes on `server` (needs restify's queryParser). */
export function registerCompareRoutes(server: restify.Server, deps: CompareRouteDeps): void {
  if (!deps?.waves) throw new Error('[registerCompareRoutes]: Missing parameter: deps.waves');
  if (!deps.responses) throw new Error('[registerCompareRoutes]: Missing parameter: deps.responses');
  const before = deps.requireStaff ? [deps.requireStaff] : [];
  const questionnaire = () => deps.questionnaire ?? projectQuestionnaire();

  server.get(
    '/api/compare',
    ...before,
    handler(async (req, res) => {
      const { base, target } = comparedWaves(deps.waves, req.query);
      const lang = langParam(req.query);
      const c = await compare(deps, questionnaire(), base, target);
      res.header('Cache-Control', 'no-store');
      res.send(200, comparisonWithLabels(c, lang));
    }),
  );

  server.get(
    '/api/compare/chart/:question.svg',
    ...before,
    handler(async (req, res) => {
      const q = questionnaire();
      const question = chartQuestion(q, String(req.params.question));
      const { base, target } = comparedWaves(deps.waves, req.query);
      const lang = langParam(req.query);
      const c = await compare(deps, q, base, target);
      const svg = renderChartSvg(questionChart(c, question)!, lang);
      res.sendRaw(200, svg, { 'Content-Type': 'image/svg+xml; charset=utf-8', ...NO_STORE });
    }),
  );

  server.get(
    '/api/export',
    ...before,
    handler(async (req, res) => {
      const wave = waveParam(deps.waves, requiredParam(req.query, 'wave', '?wave=2026&format=csv'), 'wave');
      const format = param(req.query, 'format') ?? 'csv';
      if (format !== 'csv' && format !== 'json') throw new RequestError(400, `Unknown format "${format}": use format=csv or format=json.`);
      const delimiter = parseDelimiter(param(req.query, 'delimiter'));
      if (!delimiter) throw new RequestError(400, 'Unknown delimiter: use delimiter=comma (default) or delimiter=semicolon.');
      if (wave.kind === 'baseline') {
        throw new RequestError(400, `Wave ${wave.id} holds published figures only, no responses to export. Export a collected wave, e.g. wave=${deps.waves.list().find((w) => w.kind === 'collected')?.id ?? '2026'}.`);
      }
      const body = exportResponses(await deps.responses.list(wave.id), format, { questionnaire: questionnaire(), delimiter });
      res.sendRaw(200, body, {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="digikysely-${wave.id}.${format}"`,
        ...NO_STORE,
      });
    }),
  );
}
