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
    const instance = i18n();
    t = fastPaths(instance.getFixedT(lang, ns), (k) => instance.getResource(lang, ns, k) as unknown);
    translators.set(key, t);
  }
  return t;
}

/** Options that change what i18next does beyond filling in `{{name}}` placeholders. */
const I18NEXT_OPTIONS = new Set([
  'count', 'context', 'ordinal', 'returnObjects', 'returnDetails', 'defaultValue', 'lng', 'lngs', 'ns', 'replace',
  'interpolation', 'postProcess', 'joinArrays', 'keySeparator', 'nsSeparator', 'fallbackLng', 'skipInterpolation',
]);

/** A template of plain text and `{{name}}` placeholders, split at them (odd items are names). */
type Template = string[];

/** Splits `text` into a Template, or null when it uses more than plain placeholders. */
function templateOf(text: unknown): Template | null {
  if (typeof text !== 'string') return null;
  const parts = text.split(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/);
  // Formatters ({{n, number}}), nesting ($t(…)) and unescaped ({{- x}}) markers stay with i18next.
  return parts.some((part, i) => i % 2 === 0 && (part.includes('{{') || part.includes('$t('))) ? null : parts;
}

/**
 * Two fast paths in front of i18next's fixed translator, which costs tens of microseconds a call
 * (a turn makes dozens: bench:load --cpu-prof showed i18next at ~0.1 ms of a ~2 ms turn):
 * - a key asked without options (labels, buttons, prompts) is remembered;
 * - a key whose resource is plain text with `{{name}}` placeholders, asked with only string or
 *   number values, is filled in here, as i18next would (interpolation.escapeValue is off).
 * Anything else — plurals (`count`), context, formatters, a missing key (fallback language),
 * other options — goes to i18next. The resources never change after loading, so nothing cached
 * can go stale, and the number of keys is fixed by the locale files. tests/core/i18n.test.ts
 * checks both paths against i18next for every key of every locale file.
 */
function fastPaths(t: TFunction, resource: (key: string) => unknown): TFunction {
  const texts = new Map<string, string>();
  const templates = new Map<string, Template | null>();
  const call = t as unknown as (...a: unknown[]) => unknown;
  const fast = (...args: unknown[]): unknown => {
    const [key, options] = args;
    if (typeof key !== 'string') return call(...args);
    if (args.length === 1) {
      let text = texts.get(key);
      if (text === undefined) {
        text = call(key) as string;
        texts.set(key, text);
      }
      return text;
    }
    if (args.length !== 2 || typeof options !== 'object' || options === null) return call(...args);
    let template = templates.get(key);
    if (template === undefined) {
      template = templateOf(resource(key));
      templates.set(key, template);
    }
    if (template === null) return call(...args);
    const values = options as Record<string, unknown>;
    for (const name in values) {
      const value = values[name];
      if (I18NEXT_OPTIONS.has(name) || (typeof value !== 'string' && typeof value !== 'number')) return call(...args);
    }
    let text = template[0] as string;
    for (let i = 1; i < template.length; i += 2) {
      const value = values[template[i] as string];
      // A placeholder without a value: i18next's own handling (it logs and leaves it).
      if (value === undefined) return call(...args);
      text += String(value) + (template[i + 1] as string);
    }
    return text;
  };
  // i18next's fixed translator carries its language and namespace as properties: keep them.
  return Object.assign(fast, t) as unknown as TFunction;
}

/** Picks the survey language from a Bot Framework locale (`fi-FI` → fi; anything else → en). */
export function langFromLocale(locale: string | undefined | null): Lang {
  return typeof locale === 'string' && /^fi\b/i.test(locale.trim()) ? 'fi' : 'en';
}
