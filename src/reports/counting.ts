/**
 * Which responses count: the unit is the city, so one submitted response per city and wave.
 * Staff's choice (`counts: true`) wins; otherwise the latest submission counts. The others stay
 * in the data and are flagged, never deleted.
 */
import type { SurveyResponse } from '../core/types.js';
import type { ResponseSummary } from './types.js';

/** Why a response does or does not count. */
export type CountReason =
  | 'counted'
  | 'superseded'
  | 'staff_excluded'
  | 'not_submitted'
  | 'no_city';

export interface CountFlag {
  counted: boolean;
  reason: CountReason;
  city?: string;
  /** For a superseded response: the id of the one that counts for its city. */
  countedId?: string;
  /** How the counted response of a city with several submissions was chosen. */
  by?: 'latest' | 'staff';
}

export interface CountingResult {
  /** One response per city, in city order. */
  counted: SurveyResponse[];
  /** A flag for every response, by id. */
  flags: Map<string, CountFlag>;
  summary: ResponseSummary;
}

/** The city of a response: the official Finnish name normalised from the `city` answer. */
export function cityOf(response: SurveyResponse): string | undefined {
  const city = response.answers.city?.categories[0]?.trim();
  return city ? city : undefined;
}

function submittedTime(r: SurveyResponse): number {
  const t = Date.parse(r.submittedAt ?? r.updatedAt);
  return Number.isNaN(t) ? 0 : t;
}

/** Latest first; ties broken by id so the choice never depends on file order. */
function byLatest(a: SurveyResponse, b: SurveyResponse): number {
  return submittedTime(b) - submittedTime(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Decides, for every response of one wave, whether it counts. */
export function selectCounted(responses: readonly SurveyResponse[]): CountingResult {
  const flags = new Map<string, CountFlag>();
  const byCity = new Map<string, SurveyResponse[]>();
  const summary: ResponseSummary = {
    total: responses.length,
    submitted: 0,
    inProgress: 0,
    withdrawn: 0,
    noCity: 0,
    staffExcluded: 0,
    cities: 0,
    duplicates: [],
  };
  for (const r of responses) {
    const city = cityOf(r);
    if (r.status !== 'submitted') {
      if (r.status === 'withdrawn') summary.withdrawn += 1;
      else summary.inProgress += 1;
      flags.set(r.id, { counted: false, reason: 'not_submitted', city });
      continue;
    }
    summary.submitted += 1;
    if (city === undefined) {
      summary.noCity += 1;
      flags.set(r.id, { counted: false, reason: 'no_city' });
      continue;
    }
    if (r.counts === false) {
      summary.staffExcluded += 1;
      flags.set(r.id, { counted: false, reason: 'staff_excluded', city });
      continue;
    }
    byCity.set(city, [...(byCity.get(city) ?? []), r]);
  }

  const counted: SurveyResponse[] = [];
  for (const city of [...byCity.keys()].sort((a, b) => a.localeCompare(b, 'fi'))) {
    const candidates = [...byCity.get(city)!].sort(byLatest);
    const chosenByStaff = candidates.filter((r) => r.counts === true);
    // Two staff choices for one city is a slip; the latest of them counts (and it shows).
    const winner = chosenByStaff[0] ?? candidates[0]!;
    const by: 'latest' | 'staff' = chosenByStaff.length > 0 ? 'staff' : 'latest';
    counted.push(winner);
    const others = candidates.filter((r) => r !== winner);
    flags.set(winner.id, { counted: true, reason: 'counted', city, ...(others.length > 0 && { by }) });
    for (const r of others) flags.set(r.id, { counted: false, reason: 'superseded', city, countedId: winner.id });
    if (others.length > 0) summary.duplicates.push({ city, counted: winner.id, others: others.map((r) => r.id), by });
  }
  summary.cities = counted.length;
  return { counted, flags, summary };
}
