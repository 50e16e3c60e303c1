/**
 * Builds the real survey bot (dialogs, lowdb storage in a temp dir, the project's normaliser)
 * behind botbuilder's TestAdapter, and runs conversations as tables.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { expect } from 'vitest';
import { SurveyDialogs, type UserProfile } from '../../dialogs/index.js';
import { SurveyBot } from '../../bot/surveyBot.js';
import { questionnaire } from '../../src/core/questionnaire.js';
import type { Normaliser } from '../../src/core/types.js';
import { InterviewService } from '../../src/interview/service.js';
import { createNormaliser } from '../../src/normaliser/index.js';
import { openDataDir, type DataDir } from '../../src/storage/lowdbStore.js';
import { mirror } from '../../src/reports/mirror.js';
import { loadWaves } from '../../src/waves/registry.js';
import { SurveyConversationState, SurveyUserState } from '../../bot/state.js';

let sharedNormaliser: Normaliser | undefined;
export async function projectNormaliser(): Promise<Normaliser> {
  sharedNormaliser ??= await createNormaliser();
  return sharedNormaliser;
}

export async function tempDir(prefix = 'digikysely-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface Harness {
  dir: string;
  data: DataDir;
  service: InterviewService;
  adapter: TestAdapter;
  /** Sends a message (or activity) and returns every reply of that turn. */
  say(input: string | Partial<Activity>): Promise<Partial<Activity>[]>;
  /** Sends a conversationUpdate adding the user. */
  join(): Promise<Partial<Activity>[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  dir?: string;
  locale?: string;
  channelId?: string;
  userId?: string;
  conversationId?: string;
  resumeAfterMs?: number;
  /** Clock of the bot in milliseconds (default: real time). */
  now?: () => number;
}

/** A bot on `dir` (a fresh temp dir by default) talking as one user in one conversation. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = options.dir ?? (await tempDir());
  const data = await openDataDir(dir);
  const waves = loadWaves(dir);
  const service = new InterviewService({ responses: data.responses, waves, questionnaire: questionnaire() });
  const conversationState = new SurveyConversationState(data.state);
  const userState = new SurveyUserState(data.state);
  const profile = userState.createProperty<UserProfile>('profile');
  const dialogs = new SurveyDialogs(conversationState.createProperty<DialogState>('dialogState'), {
    service,
    normaliser: await projectNormaliser(),
    profile,
    company: 'Sofigate',
    privacyUrl: 'https://example.com/privacy',
    waveIds: () => waves.list().filter((w) => w.kind !== 'baseline').map((w) => w.id),
    eraseConversationData: async (_context, channel, ids) => {
      await data.state.delete(ids.map((c) => `${channel}/conversations/${c}/`));
      for (const c of ids) await data.transcripts.delete(channel, c);
    },
    mirror: (response, lang) => mirror(response, waves, lang),
  });
  const bot = new SurveyBot({
    conversationState,
    userState,
    dialogs,
    resumeAfterMs: options.resumeAfterMs ?? 60 * 60_000,
    eraseUser: async () => undefined,
    now: options.now,
  });
  const channelId = options.channelId ?? 'test';
  const userId = options.userId ?? 'user-1';
  const adapter = new TestAdapter((context) => bot.run(context));
  adapter.conversation = {
    channelId,
    serviceUrl: 'https://test.example',
    user: { id: userId, name: 'Respondent' },
    bot: { id: 'bot', name: 'Digikysely' },
    conversation: { id: options.conversationId ?? 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
  } as typeof adapter.conversation;
  adapter.locale = options.locale ?? 'fi-FI';

  const drain = () => adapter.activeQueue.splice(0, adapter.activeQueue.length);
  return {
    dir,
    data,
    service,
    adapter,
    async say(input) {
      await adapter.receiveActivity(
        typeof input === 'string' ? { type: ActivityTypes.Message, text: input, locale: adapter.locale } : { locale: adapter.locale, ...input },
      );
      return drain();
    },
    async join() {
      await adapter.receiveActivity({
        type: ActivityTypes.ConversationUpdate,
        membersAdded: [{ id: userId, name: 'Respondent' }],
        locale: adapter.locale,
      });
      return drain();
    },
    async close() {
      await data.close();
    },
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** All reply texts of a turn joined (cards contribute their text). */
export function textOf(replies: Partial<Activity>[]): string {
  return replies
    .map((r) => [r.text ?? '', ...(r.attachments ?? []).map((a) => (a.content as { text?: string } | undefined)?.text ?? '')].join('\n'))
    .join('\n');
}

/** The question id the last prompt of a turn asks (from channelData). */
export function askedQuestion(replies: Partial<Activity>[]): string | undefined {
  const withData = replies.filter((r) => (r.channelData as { question?: string } | undefined)?.question);
  return (withData.at(-1)?.channelData as { question?: string } | undefined)?.question;
}

/** Button titles of the last reply that has buttons (suggested actions or hero card). */
export function buttonsOf(replies: Partial<Activity>[]): string[] {
  for (const r of [...replies].reverse()) {
    if (r.suggestedActions?.actions?.length) return r.suggestedActions.actions.map((a) => a.title ?? '');
    const card = r.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.hero');
    if (card) return ((card.content as { buttons?: { title: string }[] }).buttons ?? []).map((b) => b.title);
  }
  return [];
}

/** One step of a conversation table: what the user says, what the bot must answer. */
export type Step = [input: string, expectations: { asks?: string; says?: (string | RegExp)[]; not?: (string | RegExp)[] }];

/** Runs a conversation table, checking each turn's replies. */
export async function runTable(h: Harness, steps: Step[]): Promise<void> {
  for (const [input, expectation] of steps) {
    const replies = await h.say(input);
    const text = textOf(replies);
    const where = `after the user said ${JSON.stringify(input)}; the bot said:\n${text}`;
    if (expectation.asks !== undefined) expect(askedQuestion(replies), where).toBe(expectation.asks);
    for (const s of expectation.says ?? []) {
      if (typeof s === 'string') expect(text, where).toContain(s);
      else expect(text, where).toMatch(s);
    }
    for (const s of expectation.not ?? []) {
      if (typeof s === 'string') expect(text, where).not.toContain(s);
      else expect(text, where).not.toMatch(s);
    }
  }
}
