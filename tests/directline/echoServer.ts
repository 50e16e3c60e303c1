/**
 * A restify server like the bot's own, for the web chat tests: a real CloudAdapter echo bot on
 * `/api/messages` (no authentication), plus the web chat registrations under test.
 *
 * The bot greets on membersAdded with two suggested actions, answers "card"/"kortti" with a
 * hero card whose button posts back, and echoes everything else as `Echo: <text>`. It records
 * every turn, so tests can check which user and conversation the bot really saw.
 */
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import { registerWebChat } from '../../src/directline/index.js';
import { registerLocalDirectLine, type LocalDirectLine } from '../../src/directline/local.js';
import { registerTokenRoute } from '../../src/directline/token.js';
import { registerChatPage } from '../../src/directline/page.js';
import type { ConversationStoreOptions } from '../../src/directline/conversationStore.js';

export interface SeenTurn {
  type: string;
  conversationId: string;
  userId: string;
  text?: string;
  locale?: string;
  channelId: string;
}

export interface EchoServer {
  url: string;
  server: restify.Server;
  local: LocalDirectLine;
  /** Every activity the bot received, in order. */
  seen: SeenTurn[];
  close(): Promise<void>;
}

class EchoBot extends ActivityHandler {
  constructor(seen: SeenTurn[]) {
    super();
    const record = (context: TurnContext) => {
      const a = context.activity;
      seen.push({
        type: a.type,
        conversationId: a.conversation.id,
        userId: a.from.id,
        text: a.text,
        locale: a.locale,
        channelId: a.channelId,
      });
    };
    this.onConversationUpdate(async (context, next) => {
      record(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id === context.activity.recipient.id) continue;
        const fi = (context.activity.locale ?? '').startsWith('fi');
        await context.sendActivity(
          MessageFactory.suggestedActions(fi ? ['Punainen', 'Sininen'] : ['Red', 'Blue'], fi ? 'Tervetuloa! Valitse väri.' : 'Welcome! Pick a colour.'),
        );
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      record(context);
      const text = (context.activity.text ?? '').trim();
      if (/^(card|kortti)$/i.test(text)) {
        const card = CardFactory.heroCard('Kysely', 'Aloitetaanko?', undefined, [
          { type: 'imBack', title: 'Aloita kysely', value: 'Aloita kysely' },
        ]);
        await context.sendActivity(MessageFactory.attachment(card));
      } else {
        await context.sendActivity(`Echo: ${text}`);
      }
      await next();
    });
  }
}

export const TEST_COMPANY = 'Sofigate';
export const TEST_PRIVACY_URL = 'https://www.example.com/privacy';

/**
 * Starts the echo server on 127.0.0.1 (port 0) with the local Direct Line, token route and
 * page: through `registerWebChat` as the bot wires it, or piece by piece when a test needs
 * a shorter token lifetime, a clock or store limits.
 */
export async function startEchoServer(
  opts: { store?: ConversationStoreOptions; tokenLifetimeSeconds?: number; now?: () => number } = {},
): Promise<EchoServer> {
  const env = {};
  const server = restify.createServer({ name: 'webchat-test' });
  server.use(restify.plugins.bodyParser());
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    console.error('[echo bot]', error);
    await context.sendActivity('The test bot failed.');
  };
  const seen: SeenTurn[] = [];
  const bot = new EchoBot(seen);
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });

  let origin = '';
  let local: LocalDirectLine | undefined;
  if (opts.store || opts.tokenLifetimeSeconds || opts.now) {
    local = registerLocalDirectLine(server, {
      env,
      messagesUrl: () => `${origin}/api/messages`,
      serviceUrl: () => origin,
      store: opts.store,
      tokenLifetimeSeconds: opts.tokenLifetimeSeconds,
      now: opts.now,
    });
    registerTokenRoute(server, { env, local, localOrigin: () => origin });
    registerChatPage(server, { company: TEST_COMPANY, privacyUrl: TEST_PRIVACY_URL });
  } else {
    const wired = registerWebChat(server, { env, baseUrl: () => origin, company: TEST_COMPANY, privacyUrl: TEST_PRIVACY_URL });
    if (wired.mode !== 'local' || !wired.local) throw new Error('registerWebChat chose the wrong mode for an empty environment');
    local = wired.local;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    server,
    local,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
