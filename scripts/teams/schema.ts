/**
 * Offline validation against the official Teams app manifest JSON schemas, as bundled by
 * `@microsoft/app-manifest` (v1.0–v1.30 except v1.18, which Microsoft never published).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Both are CommonJS: under NodeNext their default import is the module object.
const Ajv = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const require = createRequire(import.meta.url);

/** Where `@microsoft/app-manifest` keeps the Teams schemas, one folder per version (`v1.25`). */
export const TEAMS_SCHEMA_DIR = join(
  dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
);

export type SchemaKind = 'manifest' | 'localization';

const FILE: Record<SchemaKind, string> = {
  manifest: 'MicrosoftTeams.schema.json',
  localization: 'MicrosoftTeams.Localization.schema.json',
};

/** The URL a manifest or localization file names in `$schema` for this version. */
export function schemaUrl(kind: SchemaKind, manifestVersion: string): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/${FILE[kind]}`;
}

/** Manifest versions whose schemas are bundled, oldest first. */
export function bundledVersions(): string[] {
  return readdirSync(TEAMS_SCHEMA_DIR)
    .filter((name) => /^v\d+\.\d+$/.test(name))
    .map((name) => name.slice(1))
    .sort((a, b) => {
      const [aMajor, aMinor] = a.split('.').map(Number);
      const [bMajor, bMinor] = b.split('.').map(Number);
      return aMajor - bMajor || aMinor - bMinor;
    });
}

/** Reads the bundled schema of one kind and version, or says which versions exist. */
export function loadSchema(kind: SchemaKind, manifestVersion: string): object {
  const path = join(TEAMS_SCHEMA_DIR, `v${manifestVersion}`, FILE[kind]);
  if (!existsSync(path)) {
    throw new Error(
      `No bundled ${kind} schema for manifest version "${manifestVersion}". ` +
        `Set "manifestVersion" in appPackage/manifest.json to one of: ${bundledVersions().join(', ')}.`,
    );
  }
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

/**
 * Compiles a bundled schema. The schemas are JSON Schema draft-04, hence `ajv-draft-04`;
 * `unicodeRegExp: false` because some of their patterns (e.g. `...\b]\.description$` in the
 * localization schema) are valid ECMAScript regexes only without the `u` flag.
 */
export function compileSchema(kind: SchemaKind, manifestVersion: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(loadSchema(kind, manifestVersion));
}

/** One line per schema error, naming the JSON path and what is wrong there. */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    const extra =
      error.keyword === 'additionalProperties'
        ? `: "${(error.params as { additionalProperty: string }).additionalProperty}"`
        : error.keyword === 'enum'
          ? `: ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`
          : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });
}
