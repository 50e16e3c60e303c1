/**
 * `npm run teams:package [-- --out <dir>]`: builds the Microsoft Teams app package (a zip) for
 * sideloading. Reads MicrosoftAppId (required) and the optional settings described in
 * docs/teams.md from the environment. The last line printed is the zip's absolute path.
 * Exit codes: 0 built; 1 the package would be invalid (nothing written); 2 bad settings or usage.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPackage, PackageError } from './teams/build.js';
import { ConfigError } from './teams/config.js';
import { TemplateError } from './teams/template.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const ZIP_NAME = 'digikysely-teams.zip';

async function main(): Promise<number> {
  let outDir: string;
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
    outDir = resolve(values.out ?? join(root, 'dist', 'teams'));
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run teams:package -- [--out <dir>]`);
    return 2;
  }

  try {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const built = await buildPackage(join(root, 'appPackage'), process.env, version);
    for (const warning of built.warnings) console.error(`Warning: ${warning}`);

    await mkdir(outDir, { recursive: true });
    const zipPath = join(outDir, ZIP_NAME);
    // Write then rename, so a reader never sees half a zip.
    const partial = `${zipPath}.${process.pid}.partial`;
    await writeFile(partial, built.zip);
    await rename(partial, zipPath);

    const manifest = built.manifest as { manifestVersion: string; id: string; version: string; bots: { botId: string }[] };
    console.log(
      `Teams app package v${manifest.version} (manifest schema ${manifest.manifestVersion}, valid): ` +
        `app id ${manifest.id}, bot id ${manifest.bots[0]?.botId}; files: ${built.files.join(', ')}.`,
    );
    console.log('Upload it in Teams: Apps > Manage your apps > Upload an app (see docs/teams.md).');
    console.log(zipPath);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof PackageError || error instanceof TemplateError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
