/**
 * Bot Framework authentication that answers 401, not 500, to a token that fails verification,
 * and whose connector clients give up on a channel that does not answer (see `timeoutMs`).
 *
 * botbuilder checks the issuer, audience, expiry and key id itself (AuthenticationError → 401),
 * but passes on jsonwebtoken's own errors — a bad signature, `alg: none`, a cut-off signature —
 * and CloudAdapter answers those with 500, which a channel retries and a monitor counts as an
 * outage. Other failures (the OpenID metadata cannot be fetched) stay 5xx: the request may be
 * genuine and a retry may succeed.
 */
import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
// The class CloudAdapter maps to 401 (botbuilder's own dependency, pinned to its version).
import {
  AuthenticationConstants,
  AuthenticationError,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { Lru } from '../src/core/lru.js';
import { proxyVariable, sendRepliesLean, type ConnectorReplies } from './leanReplies.js';

/** jsonwebtoken's error names for a token that is simply not valid. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

function asUnauthorized(error: unknown): unknown {
  if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
    return new AuthenticationError(`Unauthorized: the token is not valid (${error.message}).`, 401);
  }
  return error;
}

/**
 * The two lines botframework-connector prints through `console.error` for every token with a
 * published key id that fails verification (a bad signature, an expired token): the second
 * carries the whole public key. An attacker who reads the public metadata could add them to the
 * log with every request. The refusal itself is logged, rate-limited, by the server (RefusalLog).
 */
export function isConnectorTokenNoise(args: unknown[]): boolean {
  const [first] = args;
  if (typeof first === 'string') return first.startsWith('Error finding key for token.');
  return first instanceof Error && first.name === 'TokenExpiredError' && args.length === 1;
}

const QUIETED = Symbol.for('digikysely.quietConnectorTokenErrors');

/**
 * Drops botframework-connector's per-token lines from `console.error` (see
 * `isConnectorTokenNoise`); everything else passes through. Once per process: the library calls
 * the global console, so the filter has to sit there.
 */
export function quietConnectorTokenErrors(target: Console = console): void {
  const marked = target as Console & { [QUIETED]?: true };
  if (marked[QUIETED]) return;
  const original = target.error.bind(target);
  target.error = (...args: unknown[]) => {
    if (!isConnectorTokenNoise(args)) original(...args);
  };
  marked[QUIETED] = true;
}

/** Connector clients kept for reuse (a deployment talks to a handful of serviceUrls). */
const MAX_CONNECTORS = 64;

/**
 * The promise kept under `key` in `cache`, or `create()`'s, kept; a creation that fails is
 * forgotten, so the next turn tries again.
 */
function remembered<T>(cache: Lru<string, Promise<T>>, key: string, create: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const created = create();
  cache.set(key, created);
  created.catch(() => {
    if (cache.peek(key) === created) cache.delete(key);
  });
  return created;
}

/** The part of @azure/core-client's pipeline we use: adding one policy. */
interface Pipeline {
  addPolicy(policy: { name: string; sendRequest(request: { timeout: number }, next: (r: unknown) => Promise<unknown>): Promise<unknown> }): void;
}

/**
 * Makes every request of `connector` give up after `timeoutMs`. botbuilder offers no setting
 * for this (its factory replaces any request policies passed in), so the policy goes on the
 * pipeline of the client inside the ConnectorClient; the SDK is archived, so that shape is
 * fixed. Returns false when the shape is not there (then requests keep no deadline).
 */
export function addRequestTimeout(connector: ConnectorClient, timeoutMs: number): boolean {
  const pipeline = (connector as unknown as { client?: { pipeline?: Partial<Pipeline> } }).client?.pipeline;
  if (typeof pipeline?.addPolicy !== 'function') return false;
  pipeline.addPolicy({
    name: 'digikyselyRequestTimeout',
    sendRequest: (request, next) => {
      if (!request.timeout || request.timeout > timeoutMs) request.timeout = timeoutMs;
      return next(request);
    },
  });
  return true;
}

export class TokenCheckingAuthentication extends ConfigurationBotFrameworkAuthentication {
  /**
   * @param timeoutMs How long a reply to the channel (serviceUrl) may take before the turn
   *   fails: without it a channel that accepts the connection and never answers holds the turn,
   *   and every later turn of that conversation, forever.
   * @param replies `lean`: replies go out through bot/leanReplies.ts (unless a proxy is
   *   configured); `sdk`: through botbuilder's connector client.
   */
  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly timeoutMs: number,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
    private readonly replies: ConnectorReplies = 'lean',
  ) {
    super(options);
    quietConnectorTokenErrors();
  }

  #warned = false;
  #warnedProxy = false;
  /** Connector clients by app id, serviceUrl and audience (see `#withTimeout`). */
  readonly #connectors = new Lru<string, Promise<ConnectorClient>>(MAX_CONNECTORS);
  /** User-token clients by app id (see `createUserTokenClient`). */
  readonly #userTokenClients = new Lru<string, Promise<UserTokenClient>>(MAX_CONNECTORS);

  /**
   * One user-token client per app id: botbuilder builds a new one (credentials and an HTTP
   * pipeline) for every turn although the survey never asks for a user token. The app id is
   * botbuilder's own choice (audience claim, else appid claim); bounded like the connectors.
   */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId =
      claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
    return remembered(this.#userTokenClients, appId, () => super.createUserTokenClient(claimsIdentity));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.#withTimeout(super.createConnectorFactory(claimsIdentity));
  }

  /**
   * Wraps `inner` so its clients carry the request timeout, send replies the lean way
   * (bot/leanReplies.ts) and are reused. botbuilder builds a
   * new ConnectorClient (credentials, HTTP pipeline, serializer) for every turn, which costs a
   * tenth of a turn's CPU here; a client holds nothing of a turn, so one per app id, serviceUrl
   * and audience serves every turn, as BotFrameworkAdapter's own client cache did. Bounded:
   * without MicrosoftAppId anyone may post any serviceUrl.
   */
  #withTimeout(inner: ConnectorFactory): ConnectorFactory {
    const appId = (inner as { appId?: unknown }).appId;
    return {
      create: (serviceUrl: string, audience?: string) => {
        const key = `${typeof appId === 'string' ? appId : ''}\u0000${serviceUrl}\u0000${audience ?? ''}`;
        return remembered(this.#connectors, key, () =>
          inner.create(serviceUrl, audience).then((connector) => {
            if (!addRequestTimeout(connector, this.timeoutMs) && !this.#warned) {
              this.#warned = true;
              this.warn('[connector] could not set a request timeout on botbuilder\'s ConnectorClient: replies to a silent channel will not time out.');
            }
            if (this.replies === 'lean') this.#sendLean(connector, serviceUrl);
            return connector;
          }),
        );
      },
    };
  }

  /** Installs the lean replies, or says once why a proxy keeps botbuilder's. */
  #sendLean(connector: ConnectorClient, serviceUrl: string): void {
    if (sendRepliesLean(connector, serviceUrl, { timeoutMs: this.timeoutMs }) || this.#warnedProxy) return;
    const proxy = proxyVariable();
    if (proxy === undefined) return;
    this.#warnedProxy = true;
    this.warn(`[connector] ${proxy} is set: replies go through botbuilder's connector client, whose pipeline uses the proxy (slower; see bot/leanReplies.ts).`);
  }

  override async authenticateRequest(activity: Activity, authHeader: string) {
    try {
      // CloudAdapter takes the turn's connector factory from here, not from createConnectorFactory.
      const result = await super.authenticateRequest(activity, authHeader);
      return result.connectorFactory ? { ...result, connectorFactory: this.#withTimeout(result.connectorFactory) } : result;
    } catch (error) {
      throw asUnauthorized(error);
    }
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string) {
    try {
      return await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (error) {
      throw asUnauthorized(error);
    }
  }

  override async authenticateChannelRequest(authHeader: string) {
    try {
      return await super.authenticateChannelRequest(authHeader);
    } catch (error) {
      throw asUnauthorized(error);
    }
  }
}
