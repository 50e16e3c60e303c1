#!/usr/bin/env node
/**
 * `npm start`: runs the bot from its bundle (`dist/bot.cjs`), building the bundle first when it
 * is missing or any of its inputs changed (see scripts/build-bot.mjs). One process: the
 * staleness check stats the recorded inputs (a few ms) and esbuild is only loaded to build.
 * The bundle is compiled with V8's code cache (`dist/bot.cjs.v8-cache`, written by the first
 * start after a build), so later starts skip most of the parsing and compiling.
 * `npm run start:dev` runs the sources through tsx instead, with no bundle.
 * BOT_BUNDLE=<path inside the project> runs (and builds) another bundle (tests, benchmarks).
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import vm from 'node:vm';
import { DEFAULT_BUNDLE, buildBot, codeCachePath, staleReason } from './build-bot.mjs';

const bundle = process.env.BOT_BUNDLE ? resolve(process.env.BOT_BUNDLE) : DEFAULT_BUNDLE;
const reason = staleReason(bundle);
if (reason) {
  try {
    const { ms } = await buildBot({ outfile: bundle });
    console.error(`Built ${relative(process.cwd(), bundle)} in ${ms} ms (${reason}).`);
  } catch (error) {
    console.error(
      `Digikysely could not start: building ${bundle} failed: ${error instanceof Error ? error.message : String(error)}\n` +
        'Fix the error above (npm run typecheck shows type errors), or run the sources directly with npm run start:dev.',
    );
    process.exit(1);
  }
}
runWithCodeCache(bundle);

/**
 * Runs a CommonJS file as `require` would, but compiled with V8's code cache from
 * `<file>.v8-cache`. When there is none yet (or V8 rejects it: another Node, another bundle),
 * a new one is written once the file's top level has run: its modules' functions are compiled
 * by then. The cache is an optimisation only; any failure to write it is ignored.
 */
function runWithCodeCache(file) {
  const cacheFile = codeCachePath(file);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first start after a build
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = new Module(file, null);
  module.filename = file;
  module.loaded = true;
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      rmSync(temp, { force: true });
    }
  }
}
