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
    t = i18n().getFixedT(lang, ns);
    translators.set(key, t);
  }
  return t;
}

/** Picks the survey language from a Bot Framework locale (`fi-FI` → fi; anything else → en). */
export function langFromLocale(locale: string | undefined | null): Lang {
  return typeof locale === 'string' && /^fi\b/i.test(locale.trim()) ? 'fi' : 'en';
}
