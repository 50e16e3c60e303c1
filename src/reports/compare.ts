/**
 * Comparing two waves, question by question and category by category, in "% of cities".
 * Pure: waves, responses and the questionnaire come in, a JSON-serialisable Comparison comes out.
 */
import type { Question, Questionnaire, SurveyResponse } from '../core/types.js';
import type { PublishedQuestion, Wave } from '../waves/types.js';
import { selectCounted } from './counting.js';
import { MIN_N, type CategoryRow, type Cell, type Comparison, type QuestionComparison, type QuestionSide, type WaveSide } from './types.js';

/** Responses by wave id (only collected waves need an entry; a missing entry is an empty wave). */
export type ResponsesByWave = Readonly<Record<string, readonly SurveyResponse[] | undefined>>;

/** Figures of one question in one wave, before they are put side by side. */
interface QuestionFigures {
  side: QuestionSide;
  cell(category: string): Cell;
  /** Categories this wave has figures for (to show ids the questionnaire no longer lists). */
  categories: string[];
}

const side = (n: number | null, noAnswer: number | null): QuestionSide => ({
  n,
  lowN: n !== null && n < MIN_N,
  noAnswer,
});

function fromPublished(published: PublishedQuestion | undefined, waveN: number | undefined): QuestionFigures {
  // The wave's n stands in for a published question that gives no n of its own.
  const n = published ? (published.n ?? waveN ?? null) : null;
  return {
    side: side(n, null),
    categories: [...Object.keys(published?.counts ?? {}), ...Object.keys(published?.shares ?? {})],
    cell(category) {
      const count = published?.counts?.[category];
      const share = published?.shares?.[category];
      if (count !== undefined) {
        return { count, share: share ?? (n ? count / n : null), unknown: false };
      }
      if (share !== undefined) return { count: null, share, unknown: false };
      return { count: null, share: null, unknown: true };
    },
  };
}

function fromResponses(question: Question, counted: readonly SurveyResponse[]): QuestionFigures {
  const counts = new Map<string, number>();
  let n = 0;
  for (const r of counted) {
    const answer = r.answers[question.id];
    // Skipped and "don't know" give no category: such a city is not part of this question's n.
    if (!answer || answer.skipped || answer.categories.length === 0) continue;
    n += 1;
    for (const c of new Set(answer.categories)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return {
    side: side(n, counted.length - n),
    categories: [...counts.keys()],
    cell(category) {
      const count = counts.get(category) ?? 0;
      return { count, share: n > 0 ? count / n : null, unknown: false };
    },
  };
}

function waveSide(wave: Wave, responses: readonly SurveyResponse[] | undefined): { side: WaveSide; counted: SurveyResponse[] } {
  if (wave.kind === 'baseline') {
    return {
      side: {
        id: wave.id,
        title: wave.title,
        kind: wave.kind,
        source: 'published',
        cities: wave.published?.n ?? null,
        ...(wave.source !== undefined && { reference: wave.source }),
      },
      counted: [],
    };
  }
  const { counted, summary } = selectCounted(responses ?? []);
  return {
    side: { id: wave.id, title: wave.title, kind: wave.kind, source: 'responses', cities: summary.cities, responses: summary },
    counted,
  };
}

function figures(wave: Wave, question: Question, counted: readonly SurveyResponse[]): QuestionFigures {
  return wave.kind === 'baseline'
    ? fromPublished(wave.published?.questions[question.id], wave.published?.n)
    : fromResponses(question, counted);
}

/**
 * Compares `target` with `base`. For each single and multi question of the questionnaire: n per
 * wave, and per category the count, the share of cities and the change in percentage points.
 * Only submitted responses count, one per city (see `selectCounted`). A category a baseline did
 * not publish is unknown (share null, `unknown: true`) and so is its change.
 */
export function compareWaves(
  base: Wave,
  target: Wave,
  responsesByWave: ResponsesByWave,
  questionnaire: Questionnaire,
): Comparison {
  const b = waveSide(base, responsesByWave[base.id]);
  const t = waveSide(target, responsesByWave[target.id]);
  const questions: QuestionComparison[] = [];
  for (const question of questionnaire.questions) {
    if (question.type !== 'single' && question.type !== 'multi') continue;
    const bf = figures(base, question, b.counted);
    const tf = figures(target, question, t.counted);
    const known = question.categories ?? [];
    // Ids the questionnaire does not list (an older version, a staff recode) still show, last.
    const extra = [...new Set([...bf.categories, ...tf.categories])].filter((c) => !known.includes(c)).sort();
    const categories: CategoryRow[] = [...known, ...extra].map((category) => {
      const baseCell = bf.cell(category);
      const targetCell = tf.cell(category);
      const changePp =
        baseCell.share === null || targetCell.share === null ? null : (targetCell.share - baseCell.share) * 100;
      return { category, base: baseCell, target: targetCell, changePp };
    });
    questions.push({ question: question.id, type: question.type, base: bf.side, target: tf.side, categories });
  }
  return { unit: 'city', minN: MIN_N, base: b.side, target: t.side, questions };
}
