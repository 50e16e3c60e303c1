import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { questionnaire } from '../../src/core/questionnaire.js';
import { neutraliseCell, toCsvText } from '../../src/reports/csv.js';
import { EXPORT_FIXED_COLUMNS, exportColumns, exportResponses, type ExportedResponse } from '../../src/reports/export.js';
import { fourteenCities, response } from './fixtures.js';

const finnish = 'Tietohallinto johtaa, mutta yhteistyö toimialojen kanssa on tärkeää – Åbo/Turku ja Jyväskylä 😀, "lainaus", rivi\nvaihto';
const formulas = ['=HYPERLINK("http://evil.example","klik")', '+358 40 1234567', '-2+3', '@SUM(A1:A9)', '\tsarkain', '\rpaluu'];

function wave() {
  const rs = fourteenCities();
  rs[0]!.answers.comments = { ...rs[0]!.answers.responsibility!, question: 'comments', raw: finnish, categories: [] };
  rs[1]!.answers.responsibility!.raw = finnish;
  formulas.forEach((f, i) => {
    rs[2 + i]!.answers.goals = { ...rs[2 + i]!.answers.responsibility!, question: 'goals', raw: f, categories: ['efficiency', 'data_driven'] };
  });
  const later = response('Helsinki', { answers: { responsibility: ['digital_unit'], role: ['cdo'] }, submittedAt: '2026-12-20T00:00:00Z' });
  const pending = response('Oulu', { status: 'in_progress', answers: { role: ['mayor'] } });
  return { rs: [...rs, later, pending], later, pending, first: rs[0]! };
}

describe('exportResponses as CSV', () => {
  it('opens with a BOM and the right columns, one row per response', () => {
    const { rs } = wave();
    const csv = exportResponses(rs, 'csv');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(exportColumns(questionnaire()));
    expect(Object.keys(rows[0]!).slice(0, EXPORT_FIXED_COLUMNS.length)).toEqual([...EXPORT_FIXED_COLUMNS]);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['responsibility_raw', 'responsibility_categories', 'challenges_categories', 'comments_raw']));
    expect(Object.keys(rows[0]!)).not.toContain('comments_categories');
    expect(rows).toHaveLength(16);
  });

  it('round-trips Finnish text (ä ö å, emoji, quotes, newlines) unchanged', () => {
    const { rs, first } = wave();
    const rows = parse(exportResponses(rs, 'csv'), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.response_id === first.id)!.comments_raw).toBe(finnish);
    expect(rows.filter((r) => r.responsibility_raw === finnish)).toHaveLength(1);
    expect(rows.find((r) => r.city === 'Jyväskylä')).toBeDefined();
    expect(rows.find((r) => r.city === 'Hämeenlinna')!.challenges_categories).toBe('change_management;funding');
  });

  it("neutralises respondents' formulas with a leading apostrophe", () => {
    const { rs } = wave();
    const rows = parse(exportResponses(rs, 'csv'), { bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];
    const goals = rows.map((r) => r.goals_raw).filter((g) => g !== '');
    expect(goals.sort()).toEqual(formulas.map((f) => `'${f}`).sort());
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('says which response counts for its city and why the others do not', () => {
    const { rs, later, first, pending } = wave();
    const rows = parse(exportResponses(rs, 'csv'), { bom: true, columns: true }) as Record<string, string>[];
    const byId = new Map(rows.map((r) => [r.response_id, r]));
    expect(byId.get(later.id)).toMatchObject({ city: 'Helsinki', role: 'cdo', counted: 'true', count_note: 'counted (latest of several)', status: 'submitted' });
    expect(byId.get(first.id)).toMatchObject({ counted: 'false', count_note: `superseded by ${later.id}` });
    expect(byId.get(pending.id)).toMatchObject({ counted: 'false', count_note: 'not_submitted', status: 'in_progress', submitted_at: '' });
    // Rows are sorted by city.
    expect(rows[0]!.city).toBe('Espoo');
  });

  it('exports an empty wave as the header alone', () => {
    const rows = parse(exportResponses([], 'csv'), { bom: true }) as string[][];
    expect(rows).toEqual([exportColumns(questionnaire())]);
  });

  it('uses ";" when asked', () => {
    const { rs } = wave();
    const rows = parse(exportResponses(rs, 'csv', { delimiter: ';' }), { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(rows.find((r) => r.city === 'Jyväskylä')!.responsibility_categories).toBe('it_management');
  });
});

describe('exportResponses as JSON', () => {
  it('is an array of the responses without channel ids, each with its channel and how it was counted', () => {
    const { rs, later, first } = wave();
    const json = JSON.parse(exportResponses(rs, 'json')) as ExportedResponse[];
    expect(json).toHaveLength(16);
    const byId = new Map(json.map((r) => [r.id, r]));
    expect(byId.get(first.id)!.answers.comments!.raw).toBe(finnish);
    expect(byId.get(first.id)!.counting).toEqual({ counted: false, reason: 'superseded', city: 'Helsinki', countedId: later.id });
    const { counting, channel, ...stored } = byId.get(later.id)!;
    expect(counting.counted).toBe(true);
    expect(channel).toBe(later.respondent.channel);
    const { respondent, conversations, ...expected } = later;
    expect(stored).toEqual(expected);
    const text = exportResponses(rs, 'json');
    for (const r of rs) {
      expect(text).not.toContain(r.respondent.userId);
      for (const c of r.conversations) expect(text).not.toContain(`"${c}"`);
    }
    expect(respondent.userId.length).toBeGreaterThan(0);
    expect(conversations).toBeDefined();
  });
});

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['a=1', 'a=1'],
    [' =1', ' =1'],
    ['', ''],
  ])('neutraliseCell(%j) = %j', (input, expected) => {
    expect(neutraliseCell(input)).toBe(expected);
  });

  it('leaves numbers alone: a negative change is data, not a formula', () => {
    expect(toCsvText([['a', 'b'], [-7.1, '-7.1']])).toBe("\uFEFFa,b\r\n-7.1,'-7.1\r\n");
  });
});
