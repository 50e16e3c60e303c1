#!/usr/bin/env node
/**
 * Bundles the bot (`bot/index.ts` and what it imports, botbuilder and restify included) into one
 * CommonJS file, `dist/bot.cjs`, so a start loads one file instead of resolving and compiling
 * thousands of modules through tsx. `npm start` (scripts/build-start.mjs) runs it with a V8
 * code cache; `node dist/bot.cjs` runs it plainly.
 *
 *   node scripts/build-bot.mjs             build now
 *   node scripts/build-bot.mjs --if-stale  build only when an input changed since the last build
 *   node scripts/build-bot.mjs --check     exit 0 when fresh, 1 (with the reason) when stale
 *   --outfile <path>                       another bundle path inside the project (tests use dist/test-…/)
 *
 * Data, locales, web assets and the normaliser's model cache are NOT bundled: modules find them
 * from `import.meta.url` or `__dirname`, which the build rewrites to each file's original
 * location, expressed relative to the bundle. The bundle reads the same files as tsx would, and
 * the checkout can still be moved. Next to the bundle, `<bundle>.inputs.json` records every input
 * file with its mtime and size: `staleReason()` compares those, without loading esbuild.
 * Why CommonJS: Node 20 can cache V8's compiled code only for scripts (vm.Script), not for ES
 * modules; every module of the bundle runs as it would have, with its own interop.
 */
import { readFileSync, renameSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The project root (where package.json is). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The bundle `npm start` runs. */
export const DEFAULT_BUNDLE = join(PROJECT_ROOT, 'dist', 'bot.cjs');
const ENTRY = 'bot/index.ts';

/**
 * Left out of the bundle and loaded from node_modules at run time: native addons (a `.node`
 * file cannot be bundled) and packages only needed later, on a staff page or a chart, which the
 * source loads lazily anyway. `botframework-webchat` is only located (its browser bundle is
 * served as a file), never imported.
 */
export const EXTERNAL = [
  '@node-rs/argon2',
  '@resvg/resvg-js',
  'echarts',
  'jszip',
  'botframework-webchat',
  'playwright-core',
  // restify's optional DTrace probes: a native addon it loads in a try/catch.
  'dtrace-provider',
];

/**
 * Files whose change can change the bundle without being one of its inputs: how modules are
 * resolved (package.json, tsconfig.json), this script, and the installed package set. Files
 * under node_modules are not stamped one by one (a thousand more stats per start):
 * `npm install` rewrites node_modules/.package-lock.json whenever it changes a package. After
 * editing a file in node_modules by hand, run `npm run build`.
 */
const EXTRA_INPUTS = ['package.json', 'tsconfig.json', 'node_modules/.package-lock.json', 'scripts/build-bot.mjs'];

/** `<bundle>.inputs.json`: the stamp of the last successful build. */
export function stampPath(outfile) {
  return `${outfile}.inputs.json`;
}

/** `<bundle>.v8-cache`: V8's compiled code of the bundle, written by the first start after a build. */
export function codeCachePath(outfile) {
  return `${outfile}.v8-cache`;
}

function posix(path) {
  return path.split(sep).join('/');
}

/**
 * Rewrites that keep each bundled module behaving as it did from its own file:
 *  - Its location. In the project's sources and in bundled ES modules, `import.meta.url` becomes
 *    the file's original URL, computed relative to the bundle at run time
 *    (`__bundleSourceUrl('../src/i18n.ts')`); without it `new URL('../../data/', import.meta.url)`
 *    would point next to the bundle (and a CommonJS bundle has no `import.meta` at all).
 *    CommonJS packages that read files next to themselves use `__dirname`/`__filename`, which
 *    would be the bundle's: each such module gets its own.
 *  - Node's silence about `new Buffer()` in node_modules (restify's body reader calls it on
 *    every request): from the bundle it would print a deprecation warning. `Buffer.alloc` /
 *    `Buffer.from` are what `new Buffer()` has done since Node 8 (zero-filled for a size).
 * Everything else is left to esbuild's own loader.
 */
function moduleRewritePlugin(outdir) {
  return {
    name: 'module-rewrite',
    setup(build) {
      build.onLoad({ filter: /\.([cm]?js|[cm]?ts)$/ }, (args) => {
        const original = readFileSync(args.path, 'utf8');
        const fromBundle = JSON.stringify(posix(relative(outdir, args.path)));
        let text = original;
        if (text.includes('import.meta.url')) {
          text = text.replaceAll('import.meta.url', `__bundleSourceUrl(${fromBundle})`);
        } else if (!/^\s*(import|export)[\s{*]/m.test(text) && /\b__(dirname|filename)\b/.test(text)) {
          text = `var __filename = __bundleFileFrom(${fromBundle}); var __dirname = __bundleDirname(__filename);\n${text}`;
        }
        if (args.path.includes(`${sep}node_modules${sep}`) && /\bnew Buffer\(/.test(text)) {
          text = text.replace(/\bnew Buffer\(/g, '__bundleLegacyBuffer(');
        }
        if (text === original) return undefined;
        return { contents: text, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
}

/**
 * Packages required by botbuilder and restify but not needed to start, nor (in open local
 * mode) to answer a turn. Each stays out of the bundle; the requiring module gets a stand-in
 * that loads the real package from node_modules when one of its exports is first read.
 * `eager` names exports read while the requiring module loads, served without loading it.
 *  - Recognizers-Text (5 MB whose regular expressions compile on load): botbuilder-dialogs'
 *    prompts (number, date, yes/no). The survey's dialogs use no prompt. PromptCultureModels
 *    reads `Culture`'s constants on load: the small base package's `Culture`, which the suite's
 *    `Culture` extends.
 *  - @azure/identity and @azure/msal-node (1.1 MB): botframework-connector's credentials for
 *    an app id (managed identity, secret, certificate), created on the first authenticated
 *    turn, never in open local mode.
 *  - jsonwebtoken, node-fetch, cross-fetch: botframework-connector's token checks and OpenID
 *    metadata, with an app id only.
 *  - spdy (HTTP/2), http-signature, formidable, csv: restify's HTTP/2 server option and its
 *    authorization, multipart and CSV body parsers, none of which the bot uses.
 *  - htmlparser2, ws, fs-extra: botbuilder's speak middleware, streaming (Direct Line ASE) web
 *    sockets and file transcript store, none of which the bot uses.
 * Each stand-in records its package in `globalThis[Symbol.for('digikysely.lazyLoaded')]` when it
 * loads it (tests check that start-up and a first turn load none of them).
 */
export const LAZY = {
  '@microsoft/recognizers-text-suite': { eager: { Culture: "require('@microsoft/recognizers-text').Culture" } },
  '@microsoft/recognizers-text-number': {},
  '@microsoft/recognizers-text-choice': {},
  '@microsoft/recognizers-text-date-time': {},
  '@azure/identity': {},
  '@azure/msal-node': {},
  jsonwebtoken: {},
  'node-fetch': {},
  'cross-fetch': {},
  spdy: {},
  'http-signature': {},
  formidable: {},
  csv: {},
  htmlparser2: {},
  ws: {},
  'fs-extra': {},
};

/** The stand-in module of a lazy package (CommonJS; `require` is the bundle's). */
function lazyStandIn(name, eager = {}) {
  const eagerEntries = Object.entries(eager).map(([key, expression]) => `${JSON.stringify(key)}: ${expression}`);
  return `
    let real;
    const load = () => {
      if (real === undefined) {
        (globalThis[Symbol.for('digikysely.lazyLoaded')] ??= []).push(${JSON.stringify(name)});
        real = require(${JSON.stringify(name)});
      }
      return real;
    };
    const eager = { ${eagerEntries.join(', ')} };
    module.exports = new Proxy({}, {
      // __esModule: interop helpers then use this object as is; "default" answers as they would.
      get: (_, key) =>
        key === '__esModule' ? true
        : Object.hasOwn(eager, key) ? eager[key]
        : key === 'default' ? (load().__esModule ? real.default : real)
        : load()[key],
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
    });`;
}

function lazyPackagesPlugin() {
  const names = Object.keys(LAZY);
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter }, (args) =>
        // Only CommonJS requires: an ESM import would copy every export at once anyway.
        args.kind === 'require-call' ? { path: args.path, namespace: 'lazy-package' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
        loader: 'js',
        contents: lazyStandIn(args.path, LAZY[args.path]?.eager),
      }));
    },
  };
}

// The bundle's own header: the helpers the module rewrites call (locations relative to the bundle).
const BANNER = [
  "const __bundleUrl = require('node:url').pathToFileURL(__filename);",
  "const __bundleDirname = require('node:path').dirname;",
  "const __bundleFileFrom = (p) => require('node:url').fileURLToPath(new URL(p, __bundleUrl));",
  'const __bundleSourceUrl = (p) => new URL(p, __bundleUrl).href;',
  "const __bundleLegacyBuffer = (a, b, c) => (typeof a === 'number' ? Buffer.alloc(a) : Buffer.from(a, b, c));",
].join('\n');

/** Every input of a build with its mtime and size (paths relative to the project root). */
function stampOf(root, metafile, startedAtMs) {
  const inputs = {};
  // Plugin-made modules (`lazy-package:…`) have no file; node_modules is covered by EXTRA_INPUTS.
  const files = [...Object.keys(metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !/^[a-z-]+:/.test(f)), ...EXTRA_INPUTS];
  for (const file of files) {
    // esbuild names plugin-loaded inputs like any other; paths are relative to the root.
    const abs = isAbsolute(file) ? file : join(root, file);
    const rel = posix(relative(root, abs));
    try {
      const s = statSync(abs);
      // Changed while esbuild read it: the bundle may hold the old text, so the next check rebuilds.
      inputs[rel] = [s.mtimeMs >= startedAtMs ? -1 : s.mtimeMs, s.size];
    } catch {
      inputs[rel] = null; // absent (e.g. no node_modules/.package-lock.json): must stay absent
    }
  }
  return { node: process.version, inputs };
}

/**
 * Why the bundle at `outfile` must be rebuilt, or undefined when it is up to date. Cheap: it
 * reads the stamp and stats each recorded input (a few ms), and never loads esbuild.
 */
export function staleReason(outfile = DEFAULT_BUNDLE, root = PROJECT_ROOT) {
  try {
    statSync(outfile);
  } catch {
    return `${relative(root, outfile) || outfile} does not exist yet`;
  }
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(outfile), 'utf8'));
  } catch {
    return `${stampPath(outfile)} is missing or unreadable`;
  }
  if (stamp.node !== process.version) return `built for Node ${stamp.node}, running ${process.version}`;
  const changed = changedInputs(stamp, root, 1);
  return changed.length ? `${changed[0]} changed` : undefined;
}

/**
 * The recorded inputs whose mtime or size differs from the stamp (at most `limit`); `stamp` is
 * the parsed `<bundle>.inputs.json` or the bundle's path.
 */
export function changedInputs(stamp, root = PROJECT_ROOT, limit = Infinity) {
  const recorded = typeof stamp === 'string' ? JSON.parse(readFileSync(stampPath(stamp), 'utf8')) : stamp;
  const changed = [];
  for (const [rel, was] of Object.entries(recorded.inputs ?? {})) {
    let now = null;
    try {
      const s = statSync(join(root, rel));
      now = [s.mtimeMs, s.size];
    } catch {
      // deleted since the build
    }
    if (was === null && now === null) continue;
    if (was === null || now === null || was[0] !== now[0] || was[1] !== now[1]) {
      changed.push(rel);
      if (changed.length >= limit) break;
    }
  }
  return changed;
}

/**
 * Builds the bundle (and its stamp) at `outfile`. Written to temp files and renamed, so a bot
 * starting at the same moment never loads half a bundle. Resolves with the build's duration.
 */
export async function buildBot({ outfile = DEFAULT_BUNDLE, root = PROJECT_ROOT } = {}) {
  const started = performance.now();
  const startedAtMs = Date.now() - 1000; // mtimes are coarse on some file systems
  const outdir = dirname(resolve(outfile));
  if (relative(root, outdir).startsWith('..') || isAbsolute(relative(root, outdir))) {
    // External packages are required by name, found from the bundle's folder upwards.
    throw new Error(`buildBot: ${outfile} is outside ${root}; put the bundle inside the project (e.g. dist/) so it finds node_modules.`);
  }
  const { build } = await import('esbuild');
  mkdirSync(outdir, { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [join(root, ENTRY)],
      outfile: temp,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: EXTERNAL,
      banner: { js: BANNER },
      // A bundle of this size parses faster without whitespace; names stay readable in traces.
      minifyWhitespace: true,
      keepNames: true,
      legalComments: 'none',
      metafile: true,
      logLevel: 'error',
      plugins: [lazyPackagesPlugin(), moduleRewritePlugin(outdir)],
    });
    writeFileSync(`${stampPath(outfile)}.tmp`, JSON.stringify(stampOf(root, result.metafile, startedAtMs)));
    rmSync(codeCachePath(outfile), { force: true });
    renameSync(temp, outfile);
    renameSync(`${stampPath(outfile)}.tmp`, stampPath(outfile));
  } finally {
    rmSync(temp, { force: true });
    rmSync(`${stampPath(outfile)}.tmp`, { force: true });
  }
  return { outfile, ms: Math.round(performance.now() - started) };
}

async function cli(argv) {
  const outIndex = argv.indexOf('--outfile');
  const outfile = outIndex >= 0 ? resolve(argv[outIndex + 1] ?? '') : DEFAULT_BUNDLE;
  const reason = staleReason(outfile);
  if (argv.includes('--check')) {
    console.log(reason ? `stale: ${reason}` : 'fresh');
    return reason ? 1 : 0;
  }
  if (argv.includes('--if-stale') && !reason) return 0;
  const { ms } = await buildBot({ outfile });
  console.error(`Built ${relative(process.cwd(), outfile)} in ${ms} ms${reason ? ` (${reason})` : ''}.`);
  return 0;
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`Could not build the bot bundle: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
