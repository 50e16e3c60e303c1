/**
 * The respondent's mirror: after submitting, a respondent may see how the published figures of
 * earlier waves compare with their own answers. Built from published aggregates only (baseline
 * waves' `published`), never from other cities' answers.
 */
import { questionnaire as projectQuestionnaire } from '../core/questionnaire.js';
import type { Lang, Questionnaire, SurveyResponse } from '../core/types.js';
import { i18n } from '../i18n.js';
import type { Wave, WaveRegistry } from '../waves/types.js';
import { formatShare } from './format.js';
import { categoryLabel, questionLabel, reportsT } from './labels.js';

/** "IT management" stays, "Business units" → "business units" (for use mid-sentence). */
function lowerFirst(text: string): string {
  const [first, second] = [...text];
  return first && second && second === second.toLowerCase() ? first.toLowerCase() + text.slice(first.length) : text;
}

function startOf(w: Wave): string {
  return w.fieldwork.start ?? w.id;
}

/**
 * Lines comparing `response` with the published figures of baseline waves, in `lang`, e.g.
 * "In 2018, 57 % of cities (8 of 14) said IT management leads digitalisation; you said: The
 * sectors themselves." One line per published figure, in questionnaire order, oldest wave
 * first; empty when nothing was published (the bot then says `reports:mirror.none`; it can put
 * `reports:mirror.intro` before the lines).
 */
export function mirror(
  response: SurveyResponse,
  waves: readonly Wave[] | Pick<WaveRegistry, 'list'>,
  lang: Lang,
  questionnaire: Questionnaire = projectQuestionnaire(),
): string[] {
  const t = reportsT(lang);
  const list = Array.isArray(waves) ? (waves as readonly Wave[]) : (waves as Pick<WaveRegistry, 'list'>).list();
  const baselines = list
    .filter((w) => w.kind === 'baseline' && w.published && w.id !== response.wave)
    .sort((a, b) => startOf(a).localeCompare(startOf(b)));
  const lines: string[] = [];
  for (const question of questionnaire.questions) {
    if (question.type !== 'single' && question.type !== 'multi') continue;
    const answer = response.answers[question.id];
    const yours =
      answer && !answer.skipped && answer.categories.length > 0
        ? answer.categories.map((c) => categoryLabel(question.id, c, lang)).join(', ')
        : t('mirror.noAnswer');
    const key = i18n().exists(`mirror.${question.id}`, { lng: lang, ns: 'reports' }) ? `mirror.${question.id}` : 'mirror.generic';
    for (const wave of baselines) {
      const published = wave.published!.questions[question.id];
      if (!published) continue;
      const n = published.n ?? wave.published!.n;
      const ids = new Set([...Object.keys(published.counts ?? {}), ...Object.keys(published.shares ?? {})]);
      const ordered = [...(question.categories ?? []).filter((c) => ids.has(c)), ...[...ids].filter((c) => !question.categories?.includes(c))];
      for (const category of ordered) {
        const count = published.counts?.[category];
        const share = published.shares?.[category] ?? (count !== undefined && n ? count / n : undefined);
        if (share === undefined) continue; // a count without n gives no share worth showing
        const label = categoryLabel(question.id, category, lang);
        lines.push(
          t(key, {
            wave: wave.id,
            share: formatShare(share, lang, 0),
            counts: count !== undefined && n ? t('mirror.counts', { count, n }) : '',
            category: label,
            categoryLower: lowerFirst(label),
            question: questionLabel(question.id, lang),
            yours,
          }),
        );
      }
    }
  }
  return lines;
}
