/**
 * The dashboard: a wave's progress (started, in progress, submitted, withdrawn, cities) and its
 * comparison with an earlier wave, computed by src/reports (never re-implemented here).
 */
import type { Lang, Questionnaire, SurveyResponse } from '../core/types.js';
import { compareWaves } from '../reports/compare.js';
import { cityOf, selectCounted } from '../reports/counting.js';
import { comparisonWithLabels } from '../reports/render-data.js';
import type { ResponseStore } from '../storage/types.js';
import type { Wave, WaveRegistry } from '../waves/types.js';
import { HttpError } from './http.js';

export interface Progress {
  started: number;
  inProgress: number;
  submitted: number;
  withdrawn: number;
  /** Distinct cities with at least one submission. */
  citiesWithSubmission: number;
  /** Cities counted (one submission each). */
  citiesCounted: number;
  /** Cities with more than one submission. */
  duplicateCities: number;
  /** Submitted without a city (cannot count). */
  noCity: number;
  /** Submitted interviews not yet marked reviewed. */
  unreviewed: number;
  /** The latest submission's time. */
  lastSubmittedAt: string | null;
}

/** Progress figures of one wave's responses. */
export function progressOf(responses: readonly SurveyResponse[]): Progress {
  const { summary } = selectCounted(responses);
  const submitted = responses.filter((r) => r.status === 'submitted');
  const cities = new Set(submitted.map(cityOf).filter((c): c is string => c !== undefined));
  const last = submitted.map((r) => r.submittedAt ?? r.updatedAt).sort().at(-1) ?? null;
  return {
    started: summary.total,
    inProgress: summary.inProgress,
    submitted: summary.submitted,
    withdrawn: summary.withdrawn,
    citiesWithSubmission: cities.size,
    citiesCounted: summary.cities,
    duplicateCities: summary.duplicates.length,
    noCity: summary.noCity,
    unreviewed: submitted.filter((r) => r.review?.reviewed !== true).length,
    lastSubmittedAt: last,
  };
}

/** The wave to show: `id` when given (404 if unknown), else the open wave, else the latest collected one. */
export function chooseWave(waves: WaveRegistry, id: string | null): Wave {
  if (id) {
    const wave = waves.get(id);
    if (!wave) throw new HttpError(404, 'unknown_wave', `No wave ${id}. Known: ${waves.list().map((w) => w.id).join(', ')}.`);
    return wave;
  }
  const wave = waves.openWave() ?? waves.list().filter((w) => w.kind === 'collected').at(-1) ?? waves.list().at(-1);
  if (!wave) throw new HttpError(404, 'no_waves', 'No waves are defined: add one with `npm run wave -- open <id>`.');
  return wave;
}

/** The base of a comparison: `id` when given, else the wave listed just before `target`. */
export function chooseBase(waves: WaveRegistry, target: Wave, id: string | null): Wave | undefined {
  if (id) return chooseWave(waves, id);
  const list = waves.list();
  const index = list.findIndex((w) => w.id === target.id);
  return index > 0 ? list[index - 1] : undefined;
}

export interface DashboardDeps {
  waves: WaveRegistry;
  responses: ResponseStore;
  questionnaire: Questionnaire;
}

/** Responses of a wave (baselines have none stored). */
async function responsesOf(deps: DashboardDeps, wave: Wave): Promise<SurveyResponse[]> {
  return wave.kind === 'baseline' ? [] : deps.responses.list(wave.id);
}

/** Everything the dashboard shows for `wave` compared with `base`. */
export async function dashboard(deps: DashboardDeps, waveId: string | null, baseId: string | null, lang: Lang) {
  const target = chooseWave(deps.waves, waveId);
  const base = chooseBase(deps.waves, target, baseId);
  const targetResponses = await responsesOf(deps, target);
  const comparison = base
    ? comparisonWithLabels(
        compareWaves(base, target, { [target.id]: targetResponses, [base.id]: base.id === target.id ? targetResponses : await responsesOf(deps, base) }, deps.questionnaire),
        lang,
      )
    : null;
  return {
    wave: target,
    base: base ?? null,
    waves: deps.waves.list().map((w) => ({ id: w.id, title: w.title, status: w.status, kind: w.kind, fieldwork: w.fieldwork })),
    progress: progressOf(targetResponses),
    comparison,
  };
}
