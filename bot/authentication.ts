/**
 * Bot Framework authentication that answers 401, not 500, to a token that fails verification.
 * botbuilder checks the issuer, audience, expiry and key id itself (AuthenticationError → 401),
 * but passes on jsonwebtoken's own errors — a bad signature, `alg: none`, a cut-off signature —
 * and CloudAdapter answers those with 500, which a channel retries and a monitor counts as an
 * outage. Other failures (the OpenID metadata cannot be fetched) stay 5xx: the request may be
 * genuine and a retry may succeed.
 */
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
// The class CloudAdapter maps to 401 (botbuilder's own dependency, pinned to its version).
import { AuthenticationError } from 'botframework-connector';

/** jsonwebtoken's error names for a token that is simply not valid. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

function asUnauthorized(error: unknown): unknown {
  if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
    return new AuthenticationError(`Unauthorized: the token is not valid (${error.message}).`, 401);
  }
  return error;
}

export class TokenCheckingAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string) {
    try {
      return await super.authenticateRequest(activity, authHeader);
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
