/**
 * A lean HTTP client for the benches: node:http with a keep-alive agent, as Bot Framework
 * channels hold connections open. fetch (undici) costs more CPU per request, and the client
 * shares the machine with the bot being measured.
 */
import { Agent, request } from 'node:http';

export interface PostResult {
  /** HTTP status, or 0 when the connection failed (refused, reset, timed out). */
  status: number;
  body: string;
  /** The connection error's code when status is 0. */
  error?: string;
  ms: number;
}

export interface PostOptions {
  headers?: Record<string, string>;
  /** Abort after this long (default 30 s); counts as a connection error. */
  timeoutMs?: number;
  agent?: Agent;
}

/** A keep-alive agent with room for `sockets` concurrent requests. */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** POSTs `body` (a string or Buffer as is, anything else as JSON) to `url`; never rejects. */
export function post(url: string, body: unknown, options: PostOptions = {}): Promise<PostResult> {
  const started = performance.now();
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: Omit<PostResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, ms: performance.now() - started });
    };
    const req = request(
      url,
      {
        method: 'POST',
        agent: options.agent,
        headers: { 'content-type': 'application/json', 'content-length': String(bytes.length), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error: NodeJS.ErrnoException) => done({ status: 0, body: '', error: error.code ?? error.message }));
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => done({ status: 0, body: '', error: error.code ?? error.message }));
    req.end(bytes);
  });
}
