import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorMessage, postActivity, startApp, startChannel } from '../helpers/app.js';
import { removeDir, tempDir } from '../helpers/surveyHarness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A "channel" that accepts connections and requests and never answers. */
async function silentChannel(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer(() => {
    requests++;
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const message = (serviceUrl: string, text: string) =>
  emulatorMessage(serviceUrl, text, { user: 'user-silent', conversation: 'conv-silent' });

describe('a channel that never answers', () => {
  it('fails the turn after the connector timeout, and the conversation goes on afterwards', async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const silent = await silentChannel();
    cleanups.push(() => silent.close());
    const channel = await startChannel();
    cleanups.push(() => channel.close());
    const logged: string[] = [];
    const app = await startApp(dir, { connectorTimeoutMs: 400, log: (m, f) => logged.push(`${m} ${JSON.stringify(f)}`) });
    cleanups.push(() => app.close());

    const started = Date.now();
    const stuck = await postActivity(app.url(), message(silent.url, 'hei'));
    const took = Date.now() - started;
    expect(silent.requests()).toBeGreaterThan(0);
    // The reply times out (and so does the apology): the turn ends, soon, and says why in the log.
    expect([200, 500]).toContain(stuck.status);
    expect(took).toBeLessThan(5_000);
    expect(logged.join('\n')).toMatch(/onTurnError[\s\S]*abort/i);

    // The same conversation is not blocked: its next turn, through a channel that answers, works.
    const next = await postActivity(app.url(), message(channel.url, 'hei'));
    expect(next.status).toBe(200);
    expect(channel.take().map((a) => a.text ?? '').join('\n')).toMatch(/Digikysely|kysely/i);
  });
});
