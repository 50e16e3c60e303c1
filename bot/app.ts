/**
 * The one place that builds the bot: storage, waves, normaliser, state, dialogs, adapter and
 * server. Everything else receives what it needs through its constructor, so tests build the
 * same app on a temporary DATA_DIR and port 0.
 */
import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type restify from 'restify';
import { SurveyDialogs, type UserProfile } from '../dialogs/index.js';
import { questionnaire as loadProjectQuestionnaire } from '../src/core/questionnaire.js';
import type { Normaliser, Questionnaire } from '../src/core/types.js';
import { langFromLocale, translator } from '../src/i18n.js';
import { InterviewService } from '../src/interview/service.js';
import { openDataDir, type DataDir } from '../src/storage/lowdbStore.js';
import { registerWebChat } from '../src/directline/index.js';
import { mirror } from '../src/reports/mirror.js';
import { registerCompareRoutes } from '../src/reports/routes.js';
import { registerReviewRoutes, type RetrainFn } from '../src/review/routes.js';
import { loadWaves } from '../src/waves/registry.js';
import type { WaveRegistry } from '../src/waves/types.js';
import { TokenCheckingAuthentication } from './authentication.js';
import type { ConnectorReplies } from './leanReplies.js';
import { SurveyAdapter } from './adapter.js';
import { ConversationQueue } from './conversationQueue.js';
import { ConversationEraser } from './erasure.js';
import { createServer } from './server.js';
import { SurveyConversationState, SurveyUserState } from './state.js';
import { SurveyBot } from './surveyBot.js';
import { TranscriptMiddleware } from './transcriptLogger.js';

export interface AppConfig {
  dataDir: string;
  port: number;
  host: string;
  /** Bot Framework authentication settings (MicrosoftAppType, MicrosoftAppId, …). */
  auth: ConfigurationBotFrameworkAuthenticationOptions;
  company: string;
  privacyUrl: string;
  resumeAfterMs: number;
  /** How long one reply to the channel may take (default 10 s); see TokenCheckingAuthentication. */
  connectorTimeoutMs?: number;
  /** How replies reach the channel (default `lean`: bot/leanReplies.ts). */
  connectorReplies?: ConnectorReplies;
  normaliser: Normaliser;
  /** Rebuilds the normaliser with staff recodes (the review page's "retrain"). */
  retrain?: RetrainFn;
  questionnaire?: Questionnaire;
  /** `data/waves.json` by default (tests pass their own). */
  wavesFile?: string;
  /** Environment for the web chat (DIRECT_LINE_SECRET, DIRECT_LINE_ENDPOINT); default process.env. */
  env?: Record<string, string | undefined>;
  /** Registers further routes on the server. */
  routes?: Array<(server: restify.Server, app: App) => void>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface App {
  config: AppConfig;
  data: DataDir;
  waves: WaveRegistry;
  service: InterviewService;
  adapter: SurveyAdapter;
  server: restify.Server;
  /** The base URL once listening (http://127.0.0.1:PORT). */
  url(): string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Builds the app; opening DATA_DIR fails loudly on a corrupt file or a second process. */
export async function createApp(config: AppConfig): Promise<App> {
  const log = config.log ?? ((message, fields) => console.error(message, fields ?? ''));
  const data = await openDataDir(config.dataDir);
  try {
    // A wave opened by the CLI of another process is seen within a second.
    const waves = loadWaves(data.dir, { recheckMs: 1000, ...(config.wavesFile ? { baseFile: config.wavesFile } : {}) });
    const questionnaire = config.questionnaire ?? loadProjectQuestionnaire();
    const service = new InterviewService({ responses: data.responses, waves, questionnaire });

    const conversationState = new SurveyConversationState(data.state);
    const userState = new SurveyUserState(data.state);
    const profile = userState.createProperty<UserProfile>('profile');

    const eraser = new ConversationEraser(data.state, data.transcripts);
    const eraseConversationData = async (context: TurnContext, channel: string, conversationIds: string[]): Promise<void> => {
      await eraser.erase(context, channel, conversationIds);
      // Logged without personal data: no user id, no conversation id, no content.
      log('[data-rights] a respondent erased their data', { channel, conversations: conversationIds.length });
    };

    const dialogs = new SurveyDialogs(conversationState.createProperty<DialogState>('dialogState'), {
      service,
      normaliser: config.normaliser,
      profile,
      eraseConversationData,
      company: config.company,
      privacyUrl: config.privacyUrl,
      waveIds: () => waves.list().filter((w) => w.kind !== 'baseline').map((w) => w.id),
      // Published aggregates of earlier waves only, never other cities' answers.
      mirror: (response, lang) => mirror(response, waves, lang, questionnaire),
    });

    const bot = new SurveyBot({
      conversationState,
      userState,
      dialogs,
      resumeAfterMs: config.resumeAfterMs,
      eraseUser: async (context: TurnContext) => {
        const a = context.activity;
        const { conversations } = await service.erase(
          { channel: a.channelId, userId: a.from.id },
          waves.list().filter((w) => w.kind !== 'baseline').map((w) => w.id),
        );
        await eraseConversationData(context, a.channelId, [...new Set([...conversations, a.conversation.id])]);
        await userState.delete(context);
      },
    });

    const auth = new TokenCheckingAuthentication(config.auth, config.connectorTimeoutMs ?? 10_000, (m) => log(m), config.connectorReplies);
    const adapter = new SurveyAdapter(auth);
    adapter.use(new ConversationQueue());
    adapter.use(eraser);
    adapter.use(new TranscriptMiddleware(data.transcripts));
    adapter.onTurnError = async (context, error) => {
      log('[onTurnError] turn failed', {
        conversation: context.activity?.conversation?.id,
        channel: context.activity?.channelId,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      // Reset only the broken dialog state; stored answers are untouched.
      try {
        await conversationState.delete(context);
      } catch (stateError) {
        log('[onTurnError] could not reset the dialog state', { error: String(stateError) });
      }
      try {
        const chosen = (await profile.get(context))?.lang;
        const lang = chosen ?? langFromLocale(context.activity?.locale);
        if (context.activity?.type === 'message') await context.sendActivity(translator(lang)('error'));
      } catch {
        // Nothing more can be said on this turn.
      }
    };

    let started = false;
    const server = createServer({ adapter, bot, ready: () => started, log });
    let baseUrl = '';
    const app: App = {
      config,
      data,
      waves,
      service,
      adapter,
      server,
      url: () => baseUrl,
      listen: () =>
        new Promise<string>((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.port, config.host, () => {
            const address = server.address() as AddressInfo;
            const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
            baseUrl = `http://${host}:${address.port}`;
            started = true;
            resolve(baseUrl);
          });
        }),
      close: async () => {
        started = false;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await data.close();
      },
    };
    // Web chat: the /chat page, the Direct Line token route and (open local mode only) the local
    // Direct Line. Its mode follows the bot's own authentication setting, not just process.env.
    registerWebChat(server, {
      baseUrl: () => baseUrl,
      company: config.company,
      privacyUrl: config.privacyUrl,
      env: { ...(config.env ?? process.env), MicrosoftAppId: config.auth.MicrosoftAppId ?? '' },
      log: (message) => log(`[webchat] ${message}`),
    });
    // Staff review (/review and /api/review/*) and the wave comparison and export routes behind
    // the same sign-in.
    const review = registerReviewRoutes(server, {
      dataDir: data.dir,
      responses: data.responses,
      transcripts: data.transcripts,
      waves,
      questionnaire,
      retrain: config.retrain,
      env: config.env as NodeJS.ProcessEnv | undefined,
      log,
    });
    registerCompareRoutes(server, { waves, responses: data.responses, questionnaire, requireStaff: review.requireStaff('viewer') });
    for (const register of config.routes ?? []) register(server, app);
    return app;
  } catch (error) {
    await data.close();
    throw error;
  }
}
