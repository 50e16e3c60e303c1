/**
 * The reference for the load and hostile-input benches: a bare botbuilder CloudAdapter + restify
 * echo bot, as the Bot Framework samples write it (no validation, no storage). It lives in the
 * benchmark, not in the product. Run as a child process: `PORT=0 tsx bench/load/echo-bot.ts`;
 * prints `echo bot listening on http://127.0.0.1:PORT`.
 */
import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';

/** The echo bot of the samples: every message comes back as "Echo: <text>". */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

/** The sample stack: restify bodyParser + CloudAdapter with no app id. */
function createEchoServer(): restify.Server {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context) => {
    // The samples' handler: tell the user, nothing more.
    await context.sendActivity('The bot encountered an error or bug.');
  };
  const bot = new EchoBot();
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  return server;
}

const server = createEchoServer();
server.listen(Number(process.env.PORT ?? 3979), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`echo bot listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
