/**
 * Charts: per question, grouped horizontal bars of the base and target share by category,
 * rendered to SVG by Apache ECharts on the server (no hand-made markup), and to PNG by resvg.
 * An unknown figure draws no bar but the word "unknown" in its place; n is in the subtitle.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Lang, QuestionId } from '../core/types.js';
import { formatShare } from './format.js';
import { categoryLabel, questionLabel, reportsT } from './labels.js';
import { cellText, nLine } from './notes.js';
import type { Cell, Comparison, QuestionComparison, WaveSide } from './types.js';

// ECharts' single-file CommonJS bundle: the ESM entry is hundreds of modules, which take seconds
// to load through tsx; the bundle is the same library and loads in a fraction of that. Both it
// and resvg load on the first chart, not when the bot starts.
const require = createRequire(import.meta.url);
let echartsLib: typeof import('echarts') | undefined;
const echarts = (): typeof import('echarts') => (echartsLib ??= require('echarts') as typeof import('echarts'));
let resvgLib: typeof import('@resvg/resvg-js') | undefined;
const resvg = (): typeof import('@resvg/resvg-js') => (resvgLib ??= require('@resvg/resvg-js') as typeof import('@resvg/resvg-js'));

/** What one chart needs: a question's rows and the two waves' ids and titles. */
export interface QuestionChart {
  base: Pick<WaveSide, 'id' | 'title'>;
  target: Pick<WaveSide, 'id' | 'title'>;
  question: QuestionComparison;
}

/** The chart input of one question of a comparison; undefined when the question is not in it. */
export function questionChart(c: Comparison, question: QuestionId | string): QuestionChart | undefined {
  const q = c.questions.find((x) => x.question === question);
  return q && { base: c.base, target: c.target, question: q };
}

/** Bar colours; the target is the stronger one. Exported so tests can find the bars. */
export const CHART_COLORS = { base: '#8a94a6', target: '#1f5fa8', text: '#333333', muted: '#6b7280' } as const;
// Liberation Sans has Arial's metrics, which ECharts assumes when it measures text on the server,
// so labels fit where ECharts put them; DejaVu Sans is the fallback (both have ä, ö and å).
const FONT = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif";
const WIDTH = 800;

/** Series order in the chart (tests count bars by series index). */
export const SERIES_INDEX = { base: 0, baseUnknown: 1, target: 2, targetUnknown: 3 } as const;

function barData(cells: Cell[], lang: Lang) {
  return cells.map((cell) =>
    cell.share === null ? '-' : { value: cell.share * 100, label: { formatter: formatShare(cell.share, lang, 0) } },
  );
}

/**
 * Unknown figures are a zero-length bar stacked on the known series, invisible, labelled
 * "unknown": the word then sits exactly where that wave's bar would be.
 */
function unknownData(cells: Cell[]) {
  return cells.map((cell) => (cell.unknown ? 0 : '-'));
}

/** An SVG chart of one question: grouped bars, base vs target share by category, in `lang`. */
export function renderChartSvg(input: QuestionChart, lang: Lang): string {
  const t = reportsT(lang);
  const { question: q, base, target } = input;
  const labels = q.categories.map((r) => categoryLabel(q.question, r.category, lang));
  const subtitle = [nLine(base.id, target.id, q, lang), ...(q.base.lowN || q.target.lowN ? [t('chart.lowN')] : [])].join(' ');
  const title = questionLabel(q.question, lang);
  const description = [
    `${title}. ${subtitle}.`,
    ...q.categories.map((r, i) => `${labels[i]}: ${base.id} ${cellText(r.base, lang)}, ${target.id} ${cellText(r.target, lang)}.`),
  ].join(' ');
  const height = 150 + q.categories.length * 46;
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    const unknownLabel = { show: true, position: 'right', formatter: t('unknown'), color: CHART_COLORS.muted, fontStyle: 'italic' };
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      aria: { enabled: true, label: { description } },
      textStyle: { fontFamily: FONT, color: CHART_COLORS.text },
      title: {
        text: title,
        subtext: subtitle,
        left: 16,
        top: 12,
        textStyle: { fontFamily: FONT, fontSize: 18 },
        subtextStyle: { fontFamily: FONT, fontSize: 13, color: CHART_COLORS.muted },
      },
      legend: { bottom: 6, data: [base.id, target.id], textStyle: { fontFamily: FONT } },
      grid: { left: 16, right: 64, top: 80, bottom: 64, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        name: t('chart.axis'),
        nameLocation: 'middle',
        nameGap: 28,
        axisLabel: { formatter: '{value} %', fontFamily: FONT },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: labels,
        axisLabel: { width: 280, overflow: 'break', fontFamily: FONT, fontSize: 12 },
      },
      series: [
        {
          name: base.id,
          type: 'bar',
          stack: 'base',
          data: barData(q.categories.map((r) => r.base), lang),
          itemStyle: { color: CHART_COLORS.base },
          label: { show: true, position: 'right', fontFamily: FONT },
        },
        { name: base.id, type: 'bar', stack: 'base', data: unknownData(q.categories.map((r) => r.base)), itemStyle: { color: 'rgba(0,0,0,0)' }, label: unknownLabel },
        {
          name: target.id,
          type: 'bar',
          stack: 'target',
          data: barData(q.categories.map((r) => r.target), lang),
          itemStyle: { color: CHART_COLORS.target },
          label: { show: true, position: 'right', fontFamily: FONT },
        },
        { name: target.id, type: 'bar', stack: 'target', data: unknownData(q.categories.map((r) => r.target)), itemStyle: { color: 'rgba(0,0,0,0)' }, label: unknownLabel },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    // Without dispose the chart's timers keep the process alive.
    chart.dispose();
  }
}

const FONT_FILES = [
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Italic.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

/**
 * SVG → PNG with resvg. Loads the system fonts plus Liberation Sans and DejaVu Sans
 * (fonts-liberation, fonts-dejavu-core) when present, so ä, ö and å always have glyphs;
 * `scale` 2 gives a sharp 1600 px wide image.
 */
export function svgToPng(svg: string, options: { scale?: number } = {}): Buffer {
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  const fallback = fontFiles.some((f) => f.includes('Liberation')) ? 'Liberation Sans' : 'DejaVu Sans';
  const renderer = new (resvg().Resvg)(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: '#ffffff',
    font: {
      loadSystemFonts: true,
      fontFiles,
      ...(fontFiles.length > 0 && { defaultFontFamily: fallback, sansSerifFamily: fallback }),
    },
  });
  return renderer.render().asPng();
}
