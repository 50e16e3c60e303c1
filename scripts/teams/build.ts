/**
 * Builds the Teams app package: fills `appPackage/manifest.json` and its localization files
 * from the settings, validates them against the bundled official schemas, checks the icons,
 * and zips everything flat (Teams requires the files at the zip's root).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSZip from 'jszip';
import { readConfig } from './config.js';
import { ICONS, iconProblems } from './icons.js';
import { compileSchema, formatErrors, schemaUrl, type SchemaKind } from './schema.js';
import { fillTemplate } from './template.js';

/** The package is invalid; `problems` says what to fix, one line each. The CLI exits with 1. */
export class PackageError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(`${message}\n- ${problems.join('\n- ')}`);
  }
}

/** The parts of the manifest the build reads itself; the schema checks the rest. */
interface ManifestShape {
  $schema?: string;
  manifestVersion?: string;
  icons?: { color?: string; outline?: string };
  localizationInfo?: { defaultLanguageFile?: string; additionalLanguages?: { file?: string }[] };
}

export interface BuiltPackage {
  zip: Buffer;
  manifest: Record<string, unknown>;
  /** Names of the files at the zip's root. */
  files: string[];
  warnings: string[];
}

/**
 * Builds the package from the template folder and the environment. Throws `ConfigError` for
 * bad settings and `PackageError` when the result would not be a valid Teams package.
 */
export async function buildPackage(
  appPackageDir: string,
  env: Readonly<Record<string, string | undefined>>,
  defaultVersion: string,
): Promise<BuiltPackage> {
  const config = readConfig(env, defaultVersion);
  const manifest = fillTemplate(
    await readJson(appPackageDir, 'manifest.json'),
    config.values,
    'appPackage/manifest.json',
  ) as Record<string, unknown> & ManifestShape;

  const version = manifest.manifestVersion;
  if (typeof version !== 'string') {
    throw new PackageError('appPackage/manifest.json is not a Teams manifest:', ['"manifestVersion" is missing.']);
  }
  validate('manifest', version, manifest, 'manifest.json');

  const files = new Map<string, Buffer>();
  files.set('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));

  for (const spec of ICONS) {
    const name = manifest.icons?.[spec.kind];
    if (name !== spec.png) {
      throw new PackageError('The manifest names other icons than the package has:', [
        `icons.${spec.kind} is "${name}"; expected "${spec.png}" (rendered from appPackage/${spec.svg}).`,
      ]);
    }
    const png = await readPackageFile(appPackageDir, name);
    const problems = iconProblems(png, spec);
    if (problems.length > 0) throw new PackageError(`Icon ${name} breaks Teams' icon rules:`, problems);
    files.set(name, png);
  }

  const localization = manifest.localizationInfo;
  const languageFiles = [
    ...(localization?.defaultLanguageFile ? [localization.defaultLanguageFile] : []),
    ...(localization?.additionalLanguages ?? []).map((language) => language.file ?? ''),
  ];
  for (const name of languageFiles) {
    const strings = fillTemplate(await readJson(appPackageDir, name), config.values, `appPackage/${name}`);
    validate('localization', version, strings, name);
    files.set(name, Buffer.from(`${JSON.stringify(strings, null, 2)}\n`));
  }

  const zip = new JSZip();
  for (const [name, content] of files) zip.file(name, content);
  return {
    zip: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }),
    manifest,
    files: [...files.keys()],
    warnings: config.warnings,
  };
}

/** Validates one file against its bundled schema; also insists `$schema` names that schema. */
function validate(kind: SchemaKind, manifestVersion: string, data: unknown, name: string): void {
  const check = compileSchema(kind, manifestVersion);
  const problems = check(data) ? [] : formatErrors(check.errors);
  const declared = (data as { $schema?: unknown }).$schema;
  const expected = schemaUrl(kind, manifestVersion);
  if (declared !== expected) problems.push(`/$schema is "${String(declared)}"; expected "${expected}".`);
  if (problems.length > 0) {
    throw new PackageError(
      `${name} does not match the Teams ${kind} schema v${manifestVersion}; no package was written. Fix appPackage/${name} or the settings:`,
      problems,
    );
  }
}

async function readJson(dir: string, name: string): Promise<unknown> {
  const text = (await readPackageFile(dir, name)).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PackageError(`appPackage/${name} is not valid JSON:`, [(error as Error).message]);
  }
}

/** Reads a file the manifest names; Teams only finds files at the package's root. */
async function readPackageFile(dir: string, name: string): Promise<Buffer> {
  if (name === '' || /[\\/]/.test(name) || name.startsWith('.')) {
    throw new PackageError('The manifest names a file Teams cannot find:', [
      `"${name}" must be a plain file name at the root of the package (appPackage/<name>).`,
    ]);
  }
  try {
    return await readFile(join(dir, name));
  } catch (error) {
    throw new PackageError(`appPackage/${name} cannot be read:`, [(error as Error).message]);
  }
}
