import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { questionnaire } from '../../src/core/questionnaire.js';
import { compareWaves } from '../../src/reports/compare.js';
import { COMPARISON_CSV_COLUMNS, toCsv, toJson } from '../../src/reports/render-data.js';
import { toMarkdown, toTable } from '../../src/reports/render-text.js';
import { loadWaves } from '../../src/waves/registry.js';
import { fourteenCities, response } from './fixtures.js';

const root = path.resolve(import.meta.dirname, '../..');
const waves = loadWaves(path.join(os.tmpdir(), 'no-such-digikysely-dir'));
const later = response('Helsinki', { answers: { responsibility: ['digital_unit'] }, submittedAt: '2026-12-20T00:00:00Z' });
const responses = [...fourteenCities(), later, response('Oulu', { status: 'in_progress' })];
const c2016 = compareWaves(waves.get('2016')!, waves.get('2026')!, { '2026': responses }, questionnaire());
const c2018 = compareWaves(waves.get('2018')!, waves.get('2026')!, { '2026': responses }, questionnaire());

/** The line of a table or Markdown output that starts with `label`. */
const line = (text: string, label: string) =>
  text.split('\n').find((l) => l.startsWith(`${label}  `) || l.startsWith(`| ${label} |`));

describe('toTable', () => {
  it('shows share, count, change and unknown per category in English', () => {
    const text = toTable(c2016, 'en');
    // Helsinki's later answer (digital unit) counts: 7 of 14 IT-led.
    expect(line(text, 'IT management')).toMatch(/^IT management\s+75\.0 %\s+50\.0 % \(7\)\s+-25\.0$/);
    expect(line(text, 'A digital unit or programme')).toMatch(/unknown\s+7\.1 % \(1\)\s+unknown$/);
    expect(text).toContain('n: 2016 = not published, 2026 = 14');
    expect(text).toContain('2026, Helsinki: 2 submissions; counts: ' + later.id + ' (the latest)');
    expect(text).toContain('not counted: 1 in progress');
  });

  it('speaks Finnish with decimal commas', () => {
    const text = toTable(c2018, 'fi');
    expect(line(text, 'Tietohallinto')).toMatch(/^Tietohallinto\s+57,1 % \(8\)\s+50,0 % \(7\)\s+-7,1$/);
    expect(line(text, 'Toimialat itse')).toMatch(/ei tiedossa\s+28,6 % \(4\)\s+ei tiedossa$/);
    expect(text).toContain('n: 2018 = 14, 2026 = 14');
    expect(text).toContain('Huomiot:');
  });

  it('flags n < 10 where a wave has fewer than 10 cities', () => {
    const small = compareWaves(waves.get('2018')!, waves.get('2026')!, { '2026': fourteenCities().slice(0, 5) }, questionnaire());
    const text = toTable(small, 'en');
    expect(text).toContain('n: 2018 = 14, 2026 = 5 (n < 10)');
    expect(text).toContain('n < 10 is flagged');
  });
});

describe('toMarkdown', () => {
  it('writes a GitHub table per question with escaped cells', () => {
    const md = toMarkdown(c2018, 'en');
    expect(md).toMatch(/^# Comparison: /);
    expect(md).toContain('## Responsibility for digitalisation (one answer)');
    expect(md).toContain('| Category | 2018 | 2026 | Change (pp) |');
    expect(line(md, 'IT management')).toBe('| IT management | 57.1 % (8) | 50.0 % (7) | -7.1 |');
    expect(md).toContain('n: 2018 = 14, 2026 = 14');
  });
});

describe('toCsv', () => {
  it('has a BOM, the documented columns, and unknown figures as empty cells with a status', () => {
    const csv = toCsv(c2018, 'fi');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...COMPARISON_CSV_COLUMNS]);
    const it = rows.find((r) => r.question === 'responsibility' && r.category === 'it_management')!;
    expect(it).toMatchObject({ question_label: 'Digitalisaation vastuu', category_label: 'Tietohallinto', base_n: '14', base_count: '8', base_share_pct: '57.14', target_share_pct: '50', change_pp: '-7.14', low_n: 'false' });
    const bu = rows.find((r) => r.question === 'responsibility' && r.category === 'business_units')!;
    expect(bu).toMatchObject({ base_count: '', base_share_pct: '', base_status: 'unknown', target_count: '4', change_pp: '' });
    expect(rows.filter((r) => r.question === 'responsibility')).toHaveLength(5);
  });

  it('uses ";" when asked (Excel in a Finnish locale)', () => {
    const csv = toCsv(c2018, 'en', ';');
    expect(csv.split('\r\n')[0]).toBe(`\uFEFF${COMPARISON_CSV_COLUMNS.join(';')}`);
  });
});

describe('toJson', () => {
  it('is the comparison with labels in the chosen language', () => {
    const json = JSON.parse(toJson(c2018, 'en'));
    expect(json.questions).toEqual(JSON.parse(JSON.stringify(c2018.questions)));
    expect(json.lang).toBe('en');
    expect(json.labels.questions.responsibility).toBe('Responsibility for digitalisation');
    expect(json.labels.categories.responsibility.it_management).toBe('IT management');
  });
});

describe('locales/*/reports.json', () => {
  it('has the same keys in Finnish and English', () => {
    const keys = (lang: string) => {
      const flat = (o: object, prefix = ''): string[] =>
        Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
      return flat(JSON.parse(readFileSync(path.join(root, 'locales', lang, 'reports.json'), 'utf8'))).sort();
    };
    expect(keys('fi')).toEqual(keys('en'));
    expect(keys('fi').length).toBeGreaterThan(20);
  });
});
