/**
 * Translations for the bot, reports and web pages: `locales/<lang>/<namespace>.json`.
 * One i18next instance is shared, but every caller takes a fixed translator
 * (`translator(lang, ns)`), never `changeLanguage`, so concurrent turns in different languages
 * cannot leak into each other (i18next #833).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction, type i18n } from 'i18next';
import { LANGS, type Lang } from './core/types.js';

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');

let instance: i18n | undefined;

/** Reads every namespace file of every language (synchronously, once). */
export function loadLocales(dir = LOCALES_DIR): Record<Lang, Record<string, unknown>> {
  const resources = {} as Record<Lang, Record<string, unknown>>;
  for (const lang of LANGS) {
    resources[lang] = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json'))) {
      const ns = file.slice(0, -'.json'.length);
      try {
        resources[lang][ns] = JSON.parse(readFileSync(join(dir, lang, file), 'utf8'));
      } catch (err) {
        throw new Error(`Locale file ${join(dir, lang, file)} is not valid JSON: ${(err as Error).message}`);
      }
    }
  }
  return resources;
}

/** The shared, initialised i18next instance (synchronous: resources are inline). */
export function i18n(): i18n {
  if (instance) return instance;
  const resources = loadLocales();
  const created = i18next.createInstance();
  void created.init({
    resources,
    lng: 'fi',
    fallbackLng: 'en',
    supportedLngs: [...LANGS],
    ns: Object.keys(resources.fi),
    defaultNS: 'bot',
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  instance = created;
  return created;
}

const translators = new Map<string, TFunction>();

/** A translator fixed to one language and namespace (made once, then reused: it is stateless). */
export function translator(lang: Lang, ns = 'bot'): TFunction {
  const key = `${lang}\u0000${ns}`;
  let t = translators.get(key);
  if (!t) {
    t = memoisePlainKeys(i18n().getFixedT(lang, ns));
    translators.set(key, t);
  }
  return t;
}

/**
 * Remembers the text of keys asked without options (most calls of a turn: labels, buttons,
 * prompts). The resources never change after loading, so the answer cannot go stale, and the
 * number of keys is fixed by the locale files. Calls with options (interpolation, plurals,
 * returnObjects) go to i18next every time.
 */
function memoisePlainKeys(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  const memoised = (...args: unknown[]): unknown => {
    const [key] = args;
    if (args.length === 1 && typeof key === 'string') {
      let text = texts.get(key);
      if (text === undefined) {
        text = (t as (k: string) => string)(key);
        texts.set(key, text);
      }
      return text;
    }
    return (t as unknown as (...a: unknown[]) => unknown)(...args);
  };
  // i18next's fixed translator carries its language and namespace as properties: keep them.
  return Object.assign(memoised, t) as unknown as TFunction;
}

/** Picks the survey language from a Bot Framework locale (`fi-FI` → fi; anything else → en). */
export function langFromLocale(locale: string | undefined | null): Lang {
  return typeof locale === 'string' && /^fi\b/i.test(locale.trim()) ? 'fi' : 'en';
}
