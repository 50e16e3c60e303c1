/** The settings and the template filling behind `npm run teams:package`, in process. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PUBLIC_BASE_URL, DEFAULT_TEAMS_APP_ID, readConfig } from '../../scripts/teams/config.js';
import { fillTemplate, TemplateError } from '../../scripts/teams/template.js';

const BOT_ID = 'A1B2C3D4-1111-4222-8333-944455556666';

describe('readConfig', () => {
  it('fills defaults, lower-cases ids and warns about the placeholder base URL', () => {
    const config = readConfig({ MicrosoftAppId: BOT_ID }, '0.1.0');
    expect(config.values).toMatchObject({
      MICROSOFT_APP_ID: BOT_ID.toLowerCase(),
      TEAMS_APP_ID: DEFAULT_TEAMS_APP_ID,
      APP_VERSION: '0.1.0',
      DEVELOPER_NAME: 'Digikysely',
      WEBSITE_URL: `${DEFAULT_PUBLIC_BASE_URL}/`,
      PUBLIC_HOST: new URL(DEFAULT_PUBLIC_BASE_URL).hostname,
    });
    expect(config.warnings.join('\n')).toContain('PUBLIC_BASE_URL is not set');
  });

  it('keeps a base path, drops the port from the valid domain, and honours overrides', () => {
    const config = readConfig(
      {
        MicrosoftAppId: BOT_ID,
        PUBLIC_BASE_URL: 'https://bot.kaupunki.fi:8443/digikysely',
        TERMS_URL: 'https://kaupunki.fi/ehdot',
        COMPANY_NAME: 'Konsultti Oy',
        TEAMS_APP_VERSION: '1.2.3',
      },
      '0.1.0',
    );
    expect(config.values.PRIVACY_URL).toBe('https://bot.kaupunki.fi:8443/digikysely/privacy');
    expect(config.values.TERMS_URL).toBe('https://kaupunki.fi/ehdot');
    expect(config.values.PUBLIC_HOST).toBe('bot.kaupunki.fi');
    expect(config.values.APP_VERSION).toBe('1.2.3');
    expect(config.values.DEVELOPER_NAME).toBe('Konsultti Oy');
    expect(config.warnings).toEqual([
      'PRIVACY_URL is not set, so the package links to https://bot.kaupunki.fi:8443/digikysely/privacy. ' +
        'Make sure the pages exist, or set the variables.',
    ]);
  });

  it('lists every bad setting in one error', () => {
    const read = () =>
      readConfig({ MicrosoftAppId: '  ', TEAMS_APP_ID: 'app', TEAMS_APP_VERSION: '1.0.0-beta', PUBLIC_BASE_URL: 'kysely' }, '0.1.0');
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/MicrosoftAppId is not set[\s\S]*TEAMS_APP_ID "app"[\s\S]*1\.0\.0-beta[\s\S]*"kysely" is not a URL/);
  });
});

describe('fillTemplate', () => {
  it('substitutes inside strings, so quotes in a value cannot break the JSON', () => {
    const filled = fillTemplate({ a: ['${{NAME}} Oy', { b: 'x${{ NAME }}' }], n: 3 }, { NAME: 'Say "hi" \\' }, 't');
    expect(filled).toEqual({ a: ['Say "hi" \\ Oy', { b: 'xSay "hi" \\' }], n: 3 });
  });

  it('names every unknown placeholder', () => {
    expect(() => fillTemplate({ a: '${{ONE}}', b: ['${{TWO}}'] }, { THREE: '3' }, 'appPackage/x.json')).toThrow(
      new TemplateError(
        'appPackage/x.json uses placeholders with no value: ${{ONE}}, ${{TWO}}. Known placeholders: THREE.',
      ),
    );
  });
});
