import os from 'node:os';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { questionnaire } from '../../src/core/questionnaire.js';
import { CHART_COLORS, questionChart, renderChartSvg, SERIES_INDEX, svgToPng } from '../../src/reports/chart.js';
import { compareWaves } from '../../src/reports/compare.js';
import { categoryLabel, questionLabel } from '../../src/reports/labels.js';
import { loadWaves } from '../../src/waves/registry.js';
import { fourteenCities, response } from './fixtures.js';
import { svgTexts, xmlProblem } from './xml.js';

const waves = loadWaves(path.join(os.tmpdir(), 'no-such-digikysely-dir'));
const responses = [...fourteenCities(), response('Helsinki', { answers: { responsibility: ['digital_unit'] }, submittedAt: '2026-12-20T00:00:00Z' })];
const comparison = compareWaves(waves.get('2018')!, waves.get('2026')!, { '2026': responses }, questionnaire());

/** Bars ECharts drew for one series: its data paths (legend symbols are marked `legend`). */
function bars(svg: string, series: number): string[] {
  return [...svg.matchAll(/<path\b[^>]*ecmeta_series_index="(\d+)"[^>]*ecmeta_ssr_type="chart"[^>]*>/g)]
    .filter((m) => Number(m[1]) === series)
    .map((m) => m[0]);
}

describe('renderChartSvg', () => {
  for (const lang of ['fi', 'en'] as const) {
    it(`draws well-formed SVG with the ${lang} labels, n and one bar per known value`, () => {
      const input = questionChart(comparison, 'responsibility')!;
      const svg = renderChartSvg(input, lang);
      expect(xmlProblem(svg)).toBeUndefined();
      expect(() => new Resvg(svg)).not.toThrow(); // resvg's XML parser is strict too
      const texts = svgTexts(svg);
      expect(texts).toContain(questionLabel('responsibility', lang));
      for (const r of input.question.categories) expect(texts).toContain(categoryLabel('responsibility', r.category, lang));
      expect(texts.some((t) => t.includes('2018 = 14') && t.includes('2026 = 14'))).toBe(true);
      // 2018 published one figure of five: one base bar, four "unknown" in its place.
      const knownBase = input.question.categories.filter((r) => r.base.share !== null).length;
      const knownTarget = input.question.categories.filter((r) => r.target.share !== null).length;
      expect(knownBase).toBe(1);
      expect(bars(svg, SERIES_INDEX.base)).toHaveLength(knownBase);
      expect(bars(svg, SERIES_INDEX.target)).toHaveLength(knownTarget);
      expect(bars(svg, SERIES_INDEX.base)[0]).toContain(`fill="${CHART_COLORS.base}"`);
      expect(texts.filter((t) => t === (lang === 'fi' ? 'ei tiedossa' : 'unknown'))).toHaveLength(4);
      expect(texts).toContain('57 %');
      expect(texts).toContain(lang === 'fi' ? '% kaupungeista' : '% of cities');
    });
  }

  it('draws no bars and flags n < 10 for an empty wave', () => {
    const empty = compareWaves(waves.get('2018')!, waves.get('2026')!, {}, questionnaire());
    const svg = renderChartSvg(questionChart(empty, 'challenges')!, 'en');
    expect(xmlProblem(svg)).toBeUndefined();
    expect(bars(svg, SERIES_INDEX.target)).toHaveLength(0);
    expect(bars(svg, SERIES_INDEX.base)).toHaveLength(0);
    expect(svgTexts(svg).some((t) => t.includes('2026 = 0') && t.includes('n < 10'))).toBe(true);
  });

  it('escapes labels that contain markup characters', () => {
    const input = questionChart(comparison, 'responsibility')!;
    const tricky = { ...input, base: { ...input.base, id: 'a<b&"c' } };
    const svg = renderChartSvg(tricky, 'en');
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svgTexts(svg)).toContain('a<b&"c');
  });
});

describe('svgToPng', () => {
  it('renders a PNG at twice the SVG size with the bar colours in it', () => {
    const svg = renderChartSvg(questionChart(comparison, 'responsibility')!, 'fi');
    const png = PNG.sync.read(svgToPng(svg));
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(png.width).toBe(width * 2);
    const hex = (i: number) => `#${[0, 1, 2].map((k) => png.data[i + k]!.toString(16).padStart(2, '0')).join('')}`;
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(hex(i));
    expect(colours).toContain(CHART_COLORS.target);
    expect(colours).toContain(CHART_COLORS.base);
    // Text was drawn (dark anti-aliased pixels), so a font was found.
    expect([...colours].filter((c) => parseInt(c.slice(1, 3), 16) < 0x60).length).toBeGreaterThan(10);
  });
});

describe('xmlProblem (the test helper) catches broken markup', () => {
  it.each([
    ['<svg><g></svg>', /closes <g>/],
    ['<svg>a & b</svg>', /bare "&"/],
    ['<svg a="1" a="2"></svg>', /repeated attribute/],
    ['<svg></svg><svg></svg>', /2 root elements/],
    ['<svg><text>1 < 2</text></svg>', /malformed tag/],
  ])('%s', (xml, problem) => {
    expect(xmlProblem(xml)).toMatch(problem);
  });
});
