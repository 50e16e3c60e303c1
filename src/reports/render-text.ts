/** The comparison as a plain-text table (the CLI default) and as Markdown. */
import type { Lang } from '../core/types.js';
import { formatChange } from './format.js';
import { categoryLabel, reportsT } from './labels.js';
import { cellText, comparisonNotes, nLine, questionHeading, sideName } from './notes.js';
import type { CategoryRow, Comparison, QuestionComparison } from './types.js';

function rowCells(q: QuestionComparison, r: CategoryRow, lang: Lang): string[] {
  const t = reportsT(lang);
  return [
    categoryLabel(q.question, r.category, lang),
    cellText(r.base, lang),
    cellText(r.target, lang),
    r.changePp === null ? (r.base.unknown || r.target.unknown ? t('unknown') : t('noData')) : formatChange(r.changePp, lang),
  ];
}

const width = (s: string) => [...s].length;

function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i]!))));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell + ' '.repeat(widths[i]! - width(cell)) : ' '.repeat(widths[i]! - width(cell)) + cell))
      .join('  ')
      .trimEnd(),
  );
}

/** Plain text for a terminal: one aligned table per question, notes at the end. */
export function toTable(c: Comparison, lang: Lang): string {
  const t = reportsT(lang);
  const out = [t('title', { base: sideName(c.base, lang), target: sideName(c.target, lang) }), ''];
  for (const q of c.questions) {
    out.push(questionHeading(q, lang), nLine(c.base.id, c.target.id, q, lang));
    const header = [t('columns.category'), c.base.id, c.target.id, t('columns.change')];
    out.push(...alignColumns([header, ...q.categories.map((r) => rowCells(q, r, lang))]), '');
  }
  out.push(`${t('notes.heading')}:`, ...comparisonNotes(c, lang).map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}

/** Escapes what would break a Markdown table cell or start markup. */
function md(text: string): string {
  return text.replace(/[\\|*_`<>[\]]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

/** Markdown (GitHub tables): a heading and a table per question, notes as a list. */
export function toMarkdown(c: Comparison, lang: Lang): string {
  const t = reportsT(lang);
  const out = [`# ${md(t('title', { base: sideName(c.base, lang), target: sideName(c.target, lang) }))}`, ''];
  for (const q of c.questions) {
    out.push(`## ${md(questionHeading(q, lang))}`, '', md(nLine(c.base.id, c.target.id, q, lang)), '');
    out.push(`| ${md(t('columns.category'))} | ${md(c.base.id)} | ${md(c.target.id)} | ${md(t('columns.change'))} |`);
    out.push('| --- | ---: | ---: | ---: |');
    for (const r of q.categories) out.push(`| ${rowCells(q, r, lang).map(md).join(' | ')} |`);
    out.push('');
  }
  out.push(`## ${md(t('notes.heading'))}`, '', ...comparisonNotes(c, lang).map((n) => `- ${md(n)}`));
  return `${out.join('\n')}\n`;
}
