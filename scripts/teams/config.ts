/**
 * The settings of a Teams app package, read from the environment, and the placeholder values
 * they give `appPackage/manifest.json`.
 */

/**
 * Our Teams app id when `TEAMS_APP_ID` is not set. Stable so that re-uploading a new build
 * updates the installed app instead of adding a second one.
 */
export const DEFAULT_TEAMS_APP_ID = '6c1f3a52-8d4e-4b7a-9f0c-2e5d7b9a41c3';
/** Schema-valid (https) but clearly a placeholder: `example.com` is reserved (RFC 2606). */
export const DEFAULT_PUBLIC_BASE_URL = 'https://digikysely.example.com';
export const DEFAULT_DEVELOPER_NAME = 'Digikysely';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The manifest schema's own semver pattern: no pre-release or build suffix.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Thrown for a missing or malformed setting; the CLI exits with code 2. */
export class ConfigError extends Error {}

export interface PackageConfig {
  /** The placeholder values for the manifest template. */
  values: Record<string, string>;
  /** Things worth telling the user that do not stop the build. */
  warnings: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the package settings; throws a `ConfigError` listing every problem. */
export function readConfig(env: Env, defaultVersion: string): PackageConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const botId = get('MicrosoftAppId');
  if (botId === undefined) {
    problems.push(
      'MicrosoftAppId is not set. It is the bot\'s Microsoft App ID from its Azure Bot resource ' +
        '(Settings > Configuration). Run: MicrosoftAppId=<your bot\'s app id> npm run teams:package',
    );
  } else if (!GUID.test(botId)) {
    problems.push(`MicrosoftAppId "${botId}" is not a GUID (like 00000000-0000-0000-0000-000000000000).`);
  }

  const appId = get('TEAMS_APP_ID') ?? DEFAULT_TEAMS_APP_ID;
  if (!GUID.test(appId)) problems.push(`TEAMS_APP_ID "${appId}" is not a GUID.`);

  const version = get('TEAMS_APP_VERSION') ?? defaultVersion;
  if (!SEMVER.test(version)) {
    problems.push(`TEAMS_APP_VERSION "${version}" must be MAJOR.MINOR.PATCH (e.g. 1.0.3), no suffix.`);
  }

  const base = parseHttpsUrl('PUBLIC_BASE_URL', get('PUBLIC_BASE_URL') ?? DEFAULT_PUBLIC_BASE_URL, problems);
  if (get('PUBLIC_BASE_URL') === undefined) {
    warnings.push(
      `PUBLIC_BASE_URL is not set: the package uses the placeholder ${DEFAULT_PUBLIC_BASE_URL} ` +
        'for the developer links and validDomains. Set it to where the bot is served.',
    );
  }
  // PRIVACY_URL and COMPANY_NAME are the bot's own settings too, so the app and the bot agree.
  const privacy = parseHttpsUrl('PRIVACY_URL', get('PRIVACY_URL') ?? join(base, 'privacy'), problems);
  const terms = parseHttpsUrl('TERMS_URL', get('TERMS_URL') ?? join(base, 'terms'), problems);
  const unset = (
    [
      ['PRIVACY_URL', privacy],
      ['TERMS_URL', terms],
    ] as const
  ).filter(([name]) => get(name) === undefined);
  if (unset.length > 0) {
    const links = unset.map(([name, url]) => `${name} is not set, so the package links to ${url?.href}`);
    warnings.push(`${links.join('; ')}. Make sure the pages exist, or set the variables.`);
  }

  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return {
    values: {
      TEAMS_APP_ID: appId.toLowerCase(),
      MICROSOFT_APP_ID: (botId as string).toLowerCase(),
      APP_VERSION: version,
      // Not length-checked here on purpose: the schema (developer.name ≤ 32) is the authority.
      DEVELOPER_NAME: get('COMPANY_NAME') ?? DEFAULT_DEVELOPER_NAME,
      WEBSITE_URL: base?.href ?? '',
      PRIVACY_URL: privacy?.href ?? '',
      TERMS_URL: terms?.href ?? '',
      // validDomains take a host name without scheme or port.
      PUBLIC_HOST: base?.hostname ?? '',
    },
    warnings,
  };
}

function parseHttpsUrl(name: string, text: string | undefined, problems: string[]): URL | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`${name} "${text}" is not a URL (expected e.g. https://survey.example.fi).`);
    return undefined;
  }
  if (url.protocol !== 'https:') {
    problems.push(`${name} "${text}" must use https: Teams only links to and trusts https pages.`);
    return undefined;
  }
  return url;
}

/** `base` plus one path segment, keeping any path the base already has. */
function join(base: URL | undefined, segment: string): string | undefined {
  if (base === undefined) return undefined;
  return new URL(segment, base.href.endsWith('/') ? base.href : `${base.href}/`).href;
}
