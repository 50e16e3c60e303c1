/**
 * `npm run teams:package` end to end: the script runs as a child process, the zip it writes is
 * opened with jszip, and its manifest is checked against the official schema with a validator
 * built here (not the script's own), so a script that validated nothing would still be caught.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04Module from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Both are CommonJS: under NodeNext their default import is the module object.
const Ajv = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts', 'teams-package.ts');
const schemaDir = join(
  dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json')),
  'build/json-schemas/teams',
);

const BOT_ID = '0f9e8d7c-6b5a-4e3d-8c2b-1a0f9e8d7c6b';
const BASE_URL = 'https://kysely.testikaupunki.fi/digi';

/** Everything the script reads besides TEAMS_*; a developer's shell may have any of them set. */
const SETTINGS = ['MicrosoftAppId', 'PUBLIC_BASE_URL', 'PRIVACY_URL', 'TERMS_URL', 'COMPANY_NAME'];
const PRIVACY_URL = 'https://testikaupunki.fi/tietosuoja';
const TERMS_URL = 'https://testikaupunki.fi/ehdot';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the packaging script with exactly the given settings (none inherited from this shell). */
function runPackage(settings: Record<string, string>, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (SETTINGS.includes(name) || name.startsWith('TEAMS_')) delete env[name];
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: root, env: { ...env, ...settings } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const validators = new Map<string, ValidateFunction>();

/** A validator for one bundled schema file, e.g. `v1.25/MicrosoftTeams.schema.json` (draft-04). */
function validatorFor(file: string): ValidateFunction {
  const cached = validators.get(file);
  if (cached) return cached;
  const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as object);
  validators.set(file, validate);
  return validate;
}

let outDir: string;
let run: Run;
let zip: JSZip;
/** The parts of the built manifest these tests read (the schema test checks all of it). */
interface Manifest {
  $schema: string;
  manifestVersion: string;
  accentColor: string;
  developer: { websiteUrl: string; privacyUrl?: string; termsOfUseUrl: string };
  icons: { color: string; outline: string };
  localizationInfo: { additionalLanguages: { languageTag: string; file: string }[] };
  validDomains: string[];
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
  }[];
}

let manifest: Manifest;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'teams-package-'));
  run = await runPackage(
    { MicrosoftAppId: BOT_ID, PUBLIC_BASE_URL: BASE_URL, PRIVACY_URL, TERMS_URL },
    ['--out', outDir],
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lastLine = run.stdout.trimEnd().split('\n').at(-1) ?? '';
  expect(isAbsolute(lastLine)).toBe(true);
  expect(lastLine).toBe(join(outDir, 'digikysely-teams.zip'));
  zip = await JSZip.loadAsync(await readFile(lastLine));
  manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('teams:package builds a valid app package', () => {
  it('puts manifest, icons and the Finnish strings flat at the zip root', () => {
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'fi.json', 'manifest.json', 'outline.png']);
  });

  it('validates against the official Teams manifest schema of its version', () => {
    expect(manifest.manifestVersion).not.toBe('1.18');
    const validate = validatorFor(`v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it('the same validator rejects a deliberately broken manifest', () => {
    const validate = validatorFor(`v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    const broken = structuredClone(manifest);
    broken.bots[0].botId = 'not-a-guid';
    broken.bots[0].scopes = ['personal', 'everywhere'];
    delete broken.developer.privacyUrl;
    broken.accentColor = 'blue';
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((error) => error.instancePath);
    expect(paths).toEqual(
      expect.arrayContaining(['/bots/0/botId', '/bots/0/scopes/1', '/developer', '/accentColor']),
    );
  });

  it('carries the Finnish localization, valid against the localization schema', async () => {
    expect(manifest.localizationInfo.additionalLanguages).toEqual([{ languageTag: 'fi-fi', file: 'fi.json' }]);
    const fi = JSON.parse(await zip.file('fi.json')!.async('string')) as Record<string, string>;
    const validate = validatorFor(`v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
    expect(validate(fi), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...fi, 'name.shortt': 'typo' })).toBe(false);
    // Every bot command has a Finnish title.
    manifest.bots[0].commandLists[0].commands.forEach((_, i) => {
      expect(fi[`bots[0].commandLists[0].commands[${i}].title`]).toMatch(/\S/);
    });
  });

  it('is a personal-scope bot with the configured id, no files, and the public host as valid domain', () => {
    expect(manifest.bots).toHaveLength(1);
    const [bot] = manifest.bots;
    expect(bot.botId).toBe(BOT_ID);
    expect(bot.scopes).toEqual(['personal']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
    expect(bot.commandLists.map((list) => list.scopes)).toEqual([['personal']]);
    expect(bot.commandLists[0].commands.map((command) => command.title)).toContain('help');
    expect(manifest.validDomains).toEqual(['kysely.testikaupunki.fi']);
    expect(manifest.developer.websiteUrl).toBe(BASE_URL);
    expect(manifest.developer.privacyUrl).toBe(PRIVACY_URL);
    expect(manifest.developer.termsOfUseUrl).toBe(TERMS_URL);
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('has a 192×192 full-bleed colour icon in the accent colour', async () => {
    const color = PNG.sync.read(await zip.file(manifest.icons.color)!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    let notOpaque = 0;
    for (let i = 3; i < color.data.length; i += 4) if (color.data[i] !== 255) notOpaque += 1;
    expect(notOpaque).toBe(0);
    const hex = (x: number, y: number) =>
      '#' + [0, 1, 2].map((c) => color.data[(y * 192 + x) * 4 + c].toString(16).padStart(2, '0')).join('').toUpperCase();
    expect(hex(0, 0)).toBe(manifest.accentColor.toUpperCase());
    expect(hex(191, 191)).toBe(manifest.accentColor.toUpperCase());
    expect(hex(60, 60)).toBe('#FFFFFF'); // the speech bubble
  });

  it('has a 32×32 outline icon: white only, transparent outside the glyph', async () => {
    const outline = PNG.sync.read(await zip.file(manifest.icons.outline)!.async('nodebuffer'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const alpha = (x: number, y: number) => outline.data[(y * 32 + x) * 4 + 3];
    let visible = 0;
    let notWhite = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] === 0) continue;
      visible += 1;
      if (outline.data[i] !== 255 || outline.data[i + 1] !== 255 || outline.data[i + 2] !== 255) notWhite += 1;
    }
    expect(notWhite).toBe(0);
    // A glyph, not an empty or filled square: corners and centre-left background are clear.
    expect(visible).toBeGreaterThan(32 * 32 * 0.1);
    expect(visible).toBeLessThan(32 * 32 * 0.6);
    for (const [x, y] of [[0, 0], [31, 0], [0, 31], [31, 31], [6, 9]]) expect(alpha(x, y)).toBe(0);
  });
});

describe.concurrent('teams:package refuses bad settings and writes nothing', () => {
  it('exits 2 and says how to set MicrosoftAppId when it is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teams-package-'));
    try {
      const result = await runPackage({}, ['--out', dir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('MicrosoftAppId=<your bot');
      expect(result.stderr).toContain('npm run teams:package');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for a bot id that is not a GUID and a base URL that is not https', async () => {
    const result = await runPackage({ MicrosoftAppId: 'my-bot', PUBLIC_BASE_URL: 'http://kysely.fi' }, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"my-bot" is not a GUID');
    expect(result.stderr).toContain('must use https');
  });

  it('exits 1 with the schema error when the filled manifest is invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teams-package-'));
    try {
      const result = await runPackage(
        { MicrosoftAppId: BOT_ID, PUBLIC_BASE_URL: BASE_URL, COMPANY_NAME: 'Consultancy name far longer than 32 characters' },
        ['--out', dir],
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('/developer/name must NOT have more than 32 characters');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
