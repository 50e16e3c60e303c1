/** What a reader must know to read a comparison right, in the reader's language. */
import type { Lang } from '../core/types.js';
import { formatShare } from './format.js';
import { questionLabel, reportsT } from './labels.js';
import type { Cell, Comparison, QuestionComparison, QuestionSide, WaveSide } from './types.js';

/** The notes under a comparison: unit, how responses were counted, duplicates, baselines, n < 10. */
export function comparisonNotes(c: Comparison, lang: Lang): string[] {
  const t = reportsT(lang);
  const notes = [t('notes.unit')];
  for (const side of [c.base, c.target]) {
    const s = side.responses;
    if (s) {
      const superseded = s.duplicates.reduce((sum, d) => sum + d.others.length, 0);
      notes.push(t('notes.counting', { wave: side.id, ...s, superseded }));
      for (const d of s.duplicates) {
        notes.push(
          t('notes.duplicate', {
            wave: side.id,
            city: d.city,
            count: d.others.length + 1,
            counted: d.counted,
            by: t(d.by === 'staff' ? 'notes.byStaff' : 'notes.byLatest'),
            others: d.others.join(', '),
          }),
        );
      }
    } else {
      notes.push(t('notes.published', { wave: side.id, reference: (side.reference ?? side.title[lang]).replace(/\.$/, '') }));
    }
  }
  if (c.questions.some((q) => q.base.lowN || q.target.lowN)) notes.push(t('notes.lowN'));
  return notes;
}

/** "n: 2018 = 14, 2026 = 5 (n < 10)" for question `q` of waves `baseId` and `targetId`. */
export function nLine(baseId: string, targetId: string, q: QuestionComparison, lang: Lang): string {
  const t = reportsT(lang);
  const n = (s: QuestionSide) => (s.n === null ? t('nNotPublished') : String(s.n));
  const line = t('nLine', { base: baseId, target: targetId, baseN: n(q.base), targetN: n(q.target) });
  return q.base.lowN || q.target.lowN ? `${line} (${t('lowN')})` : line;
}

/** A cell for people: "57.1 % (8)", "75.0 %", "unknown" or "–" (no answers). */
export function cellText(cell: Cell, lang: Lang): string {
  const t = reportsT(lang);
  if (cell.unknown) return t('unknown');
  if (cell.share === null) return cell.count === null ? t('unknown') : t('noData');
  return cell.count === null ? formatShare(cell.share, lang) : `${formatShare(cell.share, lang)} (${cell.count})`;
}

/** "Responsibility for digitalisation (one answer)". */
export function questionHeading(q: QuestionComparison, lang: Lang): string {
  return `${questionLabel(q.question, lang)} (${reportsT(lang)(`type.${q.type}`)})`;
}


/** "Digitalisation survey 2026 (2026)". */
export function sideName(side: WaveSide, lang: Lang): string {
  return `${side.title[lang]} (${side.id})`;
}
