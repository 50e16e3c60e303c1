/**
 * Sends hostile requests with bounded concurrency and tallies what came back. A request counts
 * as dropped when the connection failed instead of an HTTP answer (reset, hang-up, timeout).
 */
import { Agent, request } from 'node:http';
import type { Expectation, HostileRequest } from './requests.js';

export interface Outcome {
  request: HostileRequest;
  /** 0 when the connection was dropped. */
  status: number;
  body: string;
  error?: string;
}

/** Sends one request to `url`; never rejects. */
export function sendOne(url: string, req: HostileRequest, agent?: Agent, timeoutMs = 30_000): Promise<Outcome> {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (value === '') delete headers[name];
    else headers[name] = value;
  }
  if (!req.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Omit<Outcome, 'request'>) => {
      if (!settled) resolve({ request: req, ...outcome });
      settled = true;
    };
    const r = request(url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, body: '', error: e.code ?? e.message }));
    });
    r.setTimeout(timeoutMs, () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    r.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, body: '', error: e.code ?? e.message }));
    if (req.chunked) {
      // Several writes without a length: the server learns the size only while reading.
      for (let i = 0; i < body.length; i += 64 * 1024) r.write(body.subarray(i, i + 64 * 1024));
      r.end();
    } else r.end(body);
  });
}

/** Sends every request, `concurrency` at a time; outcomes in request order. */
export async function sendAll(url: string, requests: HostileRequest[], concurrency: number): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const outcomes = new Array<Outcome>(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      outcomes[i] = await sendOne(url, requests[i] as HostileRequest, agent);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return outcomes;
}

/** The JSON `reason` of an error answer, if it has one. */
export function reasonOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { reason?: unknown };
    return typeof parsed.reason === 'string' && parsed.reason.trim() !== '' ? parsed.reason : undefined;
  } catch {
    return undefined;
  }
}

/** What a careful server answers for `expect`; undefined when `outcome` fits. */
export function problemOf(outcome: Outcome): string | undefined {
  const { status, body, request: req } = outcome;
  const expected: Record<Expectation, (s: number) => boolean> = {
    malformed: (s) => s === 400 && reasonOf(body) !== undefined,
    oversize: (s) => s === 413 && reasonOf(body) !== undefined,
    unsupported: (s) => s === 415 && reasonOf(body) !== undefined,
    valid: (s) => s === 200,
  };
  if (expected[req.expect](status)) return undefined;
  const what = status === 0 ? `dropped (${outcome.error})` : `HTTP ${status} ${body.slice(0, 160)}`;
  const wanted = { valid: '200', oversize: '413 with a reason', unsupported: '415 with a reason', malformed: '400 with a reason' }[req.expect];
  return `${req.category} / ${req.variant}: expected ${wanted}, got ${what}`;
}

export interface Tally {
  total: number;
  byStatus: Record<string, number>;
  http5xx: number;
  dropped: number;
  /** Requests answered otherwise than a careful server would. */
  problems: string[];
  byCategory: Record<string, { total: number; http5xx: number; dropped: number; problems: number }>;
}

export function tally(outcomes: Outcome[]): Tally {
  const t: Tally = { total: outcomes.length, byStatus: {}, http5xx: 0, dropped: 0, problems: [], byCategory: {} };
  for (const o of outcomes) {
    const key = o.status === 0 ? 'dropped' : String(o.status);
    t.byStatus[key] = (t.byStatus[key] ?? 0) + 1;
    const c = (t.byCategory[o.request.category] ??= { total: 0, http5xx: 0, dropped: 0, problems: 0 });
    c.total++;
    if (o.status >= 500) {
      t.http5xx++;
      c.http5xx++;
    }
    if (o.status === 0) {
      t.dropped++;
      c.dropped++;
    }
    const problem = problemOf(o);
    if (problem) {
      t.problems.push(problem);
      c.problems++;
    }
  }
  return t;
}
