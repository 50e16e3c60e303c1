/**
 * Starts the real app (restify + CloudAdapter + lowdb) on 127.0.0.1 and a fake channel that
 * receives the bot's replies on the Bot Framework connector path, as the Emulator does.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppConfig } from '../../bot/app.js';
import { projectNormaliser } from './surveyHarness.js';

export async function startApp(dataDir: string, overrides: Partial<AppConfig> = {}): Promise<App> {
  const app = await createApp({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    auth: { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: '', MicrosoftAppTenantId: '' },
    company: 'Sofigate',
    privacyUrl: 'https://example.com/privacy',
    resumeAfterMs: 60 * 60_000,
    normaliser: await projectNormaliser(),
    log: () => undefined,
    ...overrides,
  });
  await app.listen();
  return app;
}

export interface Channel {
  url: string;
  /** Every activity the bot posted, in order. */
  received: Record<string, any>[];
  /** Activities received since the last call. */
  take(): Record<string, any>[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A loopback "channel" (like the Emulator's serviceUrl) collecting the bot's replies. */
export async function startChannel(): Promise<Channel> {
  const received: Record<string, any>[] = [];
  let taken = 0;
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
      received.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${++counter}` }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    take() {
      const out = received.slice(taken);
      taken = received.length;
      return out;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A message as the Bot Framework Emulator posts it: `user` and `conversation` name the respondent
 * and the conversation (ids), `serviceUrl` is where the bot replies.
 */
export function emulatorMessage(
  serviceUrl: string,
  text: string | undefined,
  ids: { user: string; conversation: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'message',
    id: `m-${Math.random().toString(36).slice(2)}`,
    channelId: 'emulator',
    serviceUrl,
    from: { id: ids.user, name: 'Pormestari', role: 'user' },
    recipient: { id: 'bot', name: 'Digikysely', role: 'bot' },
    conversation: { id: ids.conversation },
    locale: 'fi-FI',
    timestamp: new Date().toISOString(),
    text,
    ...extra,
  };
}

/** Posts an activity to the bot as a channel would; returns status and parsed body. */
export async function postActivity(baseUrl: string, activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}
