import { describe, expect, it } from 'vitest';
import { questionnaire } from '../../src/core/questionnaire.js';
import { loadLocales } from '../../src/i18n.js';

function keys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('locales', () => {
  const resources = loadLocales();

  it('fi and en have the same namespaces and the same keys', () => {
    expect(Object.keys(resources.fi).sort()).toEqual(Object.keys(resources.en).sort());
    for (const ns of Object.keys(resources.fi)) {
      expect(keys(resources.en[ns]).sort(), `namespace ${ns}`).toEqual(keys(resources.fi[ns]).sort());
    }
  });

  it('every value is a non-empty string', () => {
    for (const lang of ['fi', 'en'] as const) {
      for (const [ns, tree] of Object.entries(resources[lang])) {
        for (const key of keys(tree)) {
          const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], tree);
          expect(typeof value === 'string' && value.trim().length > 0, `${lang}/${ns}:${key}`).toBe(true);
        }
      }
    }
  });

  it('every question and category has a label in both languages', () => {
    for (const lang of ['fi', 'en'] as const) {
      const survey = resources[lang].survey as {
        questions: Record<string, { prompt: string; short: string; hint: string }>;
        categories: Record<string, Record<string, string>>;
      };
      for (const q of questionnaire().questions) {
        expect(survey.questions[q.id]?.prompt, `${lang} prompt of ${q.id}`).toBeTruthy();
        expect(survey.questions[q.id]?.short, `${lang} short label of ${q.id}`).toBeTruthy();
        for (const c of q.categories ?? []) {
          expect(survey.categories[q.id]?.[c], `${lang} label of ${q.id}.${c}`).toBeTruthy();
        }
      }
    }
  });
});
