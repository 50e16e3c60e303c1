/**
 * botbuilder's ConversationState and UserState with a cheaper change check.
 *
 * BotState decides whether a turn changed its state by hashing it: botbuilder-stdlib's
 * JavaScript `stringify` and a SHA-256 of the text, once when the state is loaded, once more at
 * `saveChanges` and a third time after the write — five times a turn for our two states. Under
 * `bench:load` that was ~0.15 ms of a ~2.2 ms turn (profile: botbuilder-stdlib and
 * node:internal/crypto/hash, both absent from the echo bot). Here the change key is the state's
 * native `JSON.stringify` text without its eTag, compared as it is: equal texts are equal states
 * for this purpose, and a state with a cycle falls back to botbuilder's own hash (its stringify
 * marks cycles instead of throwing; the write then fails in the store, as it did before). The
 * write after a change needs no new key: the write only sets the eTag, which the key leaves out.
 *
 * Everything else (storage keys, the turn cache, clear, delete, property accessors) is
 * botbuilder's: the turn cache is the same entry BotState uses, so its `clear` and `delete` work.
 */
import { calculateChangeHash, ConversationState, UserState, type BotState, type CachedBotState, type Storage, type TurnContext } from 'botbuilder';

/** The state without its eTag as JSON text, or botbuilder's hash when it has a cycle. */
export function changeKey(state: Record<string, unknown>): string {
  const { eTag: _eTag, ...rest } = state;
  try {
    return JSON.stringify(rest);
  } catch {
    // botbuilder-stdlib's stringify marks cycles (and throws, as JSON does, on a BigInt); the
    // prefix keeps a hash apart from any JSON text.
    return `#${calculateChangeHash(state)}`;
  }
}

/** BotState's turn-cache key: a private Symbol it creates per instance (botbuilder-core 4.x). */
function turnCacheKey(state: BotState): symbol {
  const key = (state as unknown as { stateKey?: unknown }).stateKey;
  if (typeof key !== 'symbol') throw new Error('botbuilder BotState has no stateKey symbol: this botbuilder version is not the one bot/state.ts was written for.');
  return key;
}

/** What the shared load/save need of a BotState: its protected storage and key factory. */
interface StateParts {
  state: BotState;
  storage: Storage;
  storageKey: (context: TurnContext) => string | Promise<string>;
}

/** BotState.load with the JSON change key. */
function load({ state, storage, storageKey }: StateParts, context: TurnContext, force: boolean): Promise<any> {
  const cacheKey = turnCacheKey(state);
  const cached = context.turnState.get(cacheKey) as CachedBotState | undefined;
  if (!force && cached?.state) return Promise.resolve(cached.state);
  return Promise.resolve(storageKey(context)).then(async (key) => {
    const items = await storage.read([key]);
    const loaded = (items[key] as Record<string, unknown> | undefined) ?? {};
    context.turnState.set(cacheKey, { state: loaded, hash: changeKey(loaded) } satisfies CachedBotState);
    return loaded;
  });
}

/** BotState.saveChanges with the JSON change key. */
function saveChanges({ state, storage, storageKey }: StateParts, context: TurnContext, force: boolean): Promise<void> {
  const cacheKey = turnCacheKey(state);
  const found = context.turnState.get(cacheKey) as CachedBotState | undefined;
  const now = found === undefined ? undefined : changeKey(found.state);
  if (!force && (found === undefined || found.hash === now)) return Promise.resolve();
  return Promise.resolve(storageKey(context)).then(async (key) => {
    const cached = found ?? { state: {}, hash: '' };
    cached.state.eTag = '*';
    await storage.write({ [key]: cached.state });
    // The write set only the eTag, which the key leaves out: the key taken above still holds.
    cached.hash = now ?? changeKey(cached.state);
    context.turnState.set(cacheKey, cached);
  });
}

// A mixin's base constructor must take any[] (TypeScript error TS2545).
type StateClass = new (...args: any[]) => BotState;

/** The cheaper change check mixed into a BotState class (see the file comment). */
function withJsonChangeKey<T extends StateClass>(Base: T) {
  return class extends Base {
    readonly #parts: StateParts = { state: this, storage: this.storage, storageKey: (context) => this.storageKey(context) };

    override load(context: TurnContext, force = false): Promise<any> {
      return load(this.#parts, context, force);
    }

    override saveChanges(context: TurnContext, force = false): Promise<void> {
      return saveChanges(this.#parts, context, force);
    }
  };
}

/** ConversationState with the cheaper change check (see the file comment). */
export const SurveyConversationState = withJsonChangeKey(ConversationState);
export type SurveyConversationState = InstanceType<typeof SurveyConversationState>;

/** UserState with the cheaper change check (see the file comment). */
export const SurveyUserState = withJsonChangeKey(UserState);
export type SurveyUserState = InstanceType<typeof SurveyUserState>;
