/**
 * src/i18n.ts's translator answers plain keys and simple `{{name}}` interpolations itself
 * (i18next costs tens of microseconds a call): it must say exactly what i18next says, for every
 * key of every locale file.
 */
import { describe, expect, it } from 'vitest';
import { i18n, loadLocales, translator } from '../../src/i18n.js';
import { LANGS } from '../../src/core/types.js';

/** Every leaf key of a resource tree with its text ("a.b" for nested objects). */
function leaves(tree: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : value && typeof value === 'object' ? leaves(value as Record<string, unknown>, `${prefix}${key}.`) : [],
  );
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1] as string);

describe('translator', () => {
  const resources = loadLocales();

  it('says what i18next says for every key, with and without values', () => {
    let interpolated = 0;
    for (const lang of LANGS) {
      for (const [ns, tree] of Object.entries(resources[lang])) {
        const ours = translator(lang, ns);
        const theirs = i18n().getFixedT(lang, ns);
        for (const [key, text] of leaves(tree as Record<string, unknown>)) {
          // Plural forms are asked by their base key with a count.
          const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
          const names = placeholders(text);
          const values = Object.fromEntries(names.map((name, i) => [name, i % 2 === 0 ? `«${name} ä ö 🙂»` : i + 7]));
          if (base === key) {
            expect(ours(key), `${lang}/${ns}:${key}`).toBe(theirs(key));
            // Twice: the second answer comes from the cache.
            expect(ours(key, values), `${lang}/${ns}:${key}`).toBe(theirs(key, values));
            expect(ours(key, values), `${lang}/${ns}:${key}`).toBe(theirs(key, values));
            if (names.length > 0) interpolated++;
          } else {
            for (const count of [0, 1, 2, 5]) {
              expect(ours(base, { ...values, count }), `${lang}/${ns}:${base} count ${count}`).toBe(theirs(base, { ...values, count }));
            }
          }
        }
      }
    }
    expect(interpolated).toBeGreaterThan(50);
  });

  it('leaves what it does not handle to i18next: missing values, missing keys, other options', () => {
    const ours = translator('fi', 'bot');
    const theirs = i18n().getFixedT('fi', 'bot');
    expect(ours('progress', {})).toBe(theirs('progress', {}));
    expect(ours('progress', { n: 1 })).toBe(theirs('progress', { n: 1 }));
    expect(ours('no.such.key', { n: 1 })).toBe(theirs('no.such.key', { n: 1 }));
    expect(ours('progress', { n: 1, total: 10, lng: 'en' })).toBe(theirs('progress', { n: 1, total: 10, lng: 'en' }));
    expect(ours('progress', { n: { toString: () => '3' }, total: 10 })).toBe(theirs('progress', { n: { toString: () => '3' }, total: 10 }));
  });

  it('inserts a value verbatim, even one that looks like a placeholder', () => {
    const ours = translator('en', 'bot');
    const theirs = i18n().getFixedT('en', 'bot');
    expect(ours('progress', { n: '{{total}}', total: 10 })).toBe(theirs('progress', { n: '{{total}}', total: 10 }));
    expect(ours('progress', { n: '{{total}}', total: 10 })).toContain('{{total}}');
  });
});
