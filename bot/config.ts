/**
 * Reads the bot's settings from the environment. Every variable is documented in README.md.
 */
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { dataDirFromEnv } from '../src/storage/lowdbStore.js';
import type { ConnectorReplies } from './leanReplies.js';

export interface EnvConfig {
  port: number;
  host: string;
  dataDir: string;
  auth: ConfigurationBotFrameworkAuthenticationOptions;
  authEnabled: boolean;
  company: string;
  privacyUrl: string;
  resumeAfterMs: number;
  connectorTimeoutMs: number;
  connectorReplies: ConnectorReplies;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name}=${raw} is not a number between ${min} and ${max}. Unset it to use the default (${fallback}).`);
  }
  return value;
}

function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, options: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!(options as readonly string[]).includes(raw)) {
    throw new Error(`${name}=${raw} is not one of ${options.map((o) => `"${o}"`).join(', ')}. Unset it to use the default (${fallback}).`);
  }
  return raw as T;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const appId = env.MicrosoftAppId?.trim() ?? '';
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppType: env.MicrosoftAppType?.trim() || (appId ? 'SingleTenant' : ''),
    MicrosoftAppId: appId,
    MicrosoftAppPassword: env.MicrosoftAppPassword ?? '',
    MicrosoftAppTenantId: env.MicrosoftAppTenantId ?? '',
  };
  return {
    port: number(env, 'PORT', 3978, 0, 65535),
    // Open local mode listens on loopback only; with bot authentication the channel must reach us.
    host: env.HOST?.trim() || (appId ? '0.0.0.0' : '127.0.0.1'),
    dataDir: dataDirFromEnv(env),
    auth,
    authEnabled: appId !== '',
    company: env.COMPANY_NAME?.trim() || 'Sofigate',
    privacyUrl: env.PRIVACY_URL?.trim() || 'https://www.sofigate.com/privacy-policy/',
    resumeAfterMs: number(env, 'RESUME_AFTER_MINUTES', 60, 1, 60 * 24 * 365) * 60_000,
    connectorTimeoutMs: number(env, 'CONNECTOR_TIMEOUT_SECONDS', 10, 1, 300) * 1000,
    connectorReplies: choice(env, 'CONNECTOR_REPLIES', ['lean', 'sdk'] as const, 'lean'),
  };
}
