/**
 * The benches' "channel": one loopback HTTP server standing in for the Bot Framework connector
 * (the activity's serviceUrl). It answers the bot's reply POSTs at once and remembers the last
 * question the bot asked (`channelData.question`) in reply to each incoming activity (replies
 * carry its id as `replyToId`; botbuilder leaves that out when answering a Direct Line
 * conversationUpdate, so those count for the conversation), so a virtual respondent can check
 * where the interview went.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadChannel {
  url: string;
  /** Replies received so far. */
  readonly replies: number;
  /**
   * The last `channelData.question` the bot sent in reply to `activity` (undefined when it asked
   * nothing), forgotten once taken.
   */
  takeQuestion(activity: Record<string, unknown>): string | undefined;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const conversationKey = (id: string | undefined): string => `conversation\u0000${id ?? ''}`;

/** Starts the channel on 127.0.0.1 (port 0). */
export async function startLoadChannel(): Promise<LoadChannel> {
  const questions = new Map<string, string>();
  let replies = 0;
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      // Connector calls: POST /v3/conversations/{id}/activities[/{replyToId}].
      if (req.method !== 'POST' || !req.url?.startsWith('/v3/conversations/')) {
        // Not chained: restify, when loaded in the same process, patches writeHead to return nothing.
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"not found"}');
        return;
      }
      replies++;
      try {
        const reply = JSON.parse(text) as { replyToId?: string; conversation?: { id?: string }; channelData?: { question?: string } };
        const question = reply.channelData?.question;
        const key = reply.replyToId ?? conversationKey(reply.conversation?.id);
        if (typeof question === 'string') questions.set(key, question);
      } catch {
        // A reply that is not JSON is the bot's problem; the respondent will notice.
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"reply-${replies}"}`);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get replies() {
      return replies;
    },
    takeQuestion(activity) {
      const keys = [String(activity.id), conversationKey((activity.conversation as { id?: string } | undefined)?.id)];
      const question = keys.map((key) => questions.get(key)).find((q) => q !== undefined);
      for (const key of keys) questions.delete(key);
      return question;
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
