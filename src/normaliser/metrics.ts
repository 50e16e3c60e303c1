/**
 * Scoring a normaliser against labelled answers: accuracy (single questions, city), micro- and
 * macro-F1 and exact match (multi), don't-know accuracy, the costliest confusions and a
 * calibration table. Pure functions: bench:nlp prints them, tests can check them.
 */

/** One scored answer. */
export interface Outcome {
  question: string;
  lang: string;
  expected: string[];
  predicted: string[];
  confidence: number;
  text: string;
}

export interface SetScores {
  n: number;
  /** Share of answers whose categories are exactly right (= accuracy for single questions). */
  exact: number;
  microF1: number;
  macroF1: number;
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/** Exact match, micro-F1 and macro-F1 (over categories that occur in expected or predicted). */
export function scoreSet(outcomes: Outcome[]): SetScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const per = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (c: string) => per.get(c) ?? per.set(c, { tp: 0, fp: 0, fn: 0 }).get(c)!;
  let exact = 0;
  for (const o of outcomes) {
    if (sameSet(o.expected, o.predicted)) exact++;
    for (const c of o.predicted) {
      if (o.expected.includes(c)) {
        tp++;
        count(c).tp++;
      } else {
        fp++;
        count(c).fp++;
      }
    }
    for (const c of o.expected) {
      if (!o.predicted.includes(c)) {
        fn++;
        count(c).fn++;
      }
    }
  }
  const f1 = (t: number, p: number, n: number): number => (t === 0 ? (p + n === 0 ? 1 : 0) : (2 * t) / (2 * t + p + n));
  const macro = [...per.values()].map((c) => f1(c.tp, c.fp, c.fn));
  return {
    n: outcomes.length,
    exact: outcomes.length ? exact / outcomes.length : 0,
    microF1: f1(tp, fp, fn),
    macroF1: macro.length ? macro.reduce((s, x) => s + x, 0) / macro.length : 1,
  };
}

/** The mistakes that cost most: "expected → predicted" pairs (single) or missed/extra categories (multi). */
export function confusions(outcomes: Outcome[], multi: boolean, top = 5): { pair: string; count: number }[] {
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const o of outcomes) {
    if (sameSet(o.expected, o.predicted)) continue;
    if (!multi) {
      add(`${o.expected.join('+') || '∅'} → ${o.predicted.join('+') || '∅'}`);
      continue;
    }
    for (const c of o.expected) if (!o.predicted.includes(c)) add(`missed ${c}`);
    for (const c of o.predicted) if (!o.expected.includes(c)) add(`extra ${c}`);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([pair, count]) => ({ pair, count }));
}

export interface CalibrationRow {
  from: number;
  to: number;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

/** Accuracy per confidence bucket: calibrated when accuracy ≈ mean confidence in every row. */
export function calibration(outcomes: Outcome[], edges = [0, 0.4, 0.6, 0.8, 0.9, 0.95, 1.0001]): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = edges[i] as number;
    const to = edges[i + 1] as number;
    const inBucket = outcomes.filter((o) => o.confidence >= from && o.confidence < to);
    const right = inBucket.filter((o) => sameSet(o.expected, o.predicted)).length;
    rows.push({
      from,
      to: Math.min(to, 1),
      n: inBucket.length,
      meanConfidence: inBucket.length ? inBucket.reduce((s, o) => s + o.confidence, 0) / inBucket.length : 0,
      accuracy: inBucket.length ? right / inBucket.length : 0,
    });
  }
  return rows;
}

/** Expected calibration error: the bucket-weighted gap between confidence and accuracy. */
export function expectedCalibrationError(outcomes: Outcome[]): number {
  const rows = calibration(outcomes, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001]);
  const n = outcomes.length || 1;
  return rows.reduce((s, r) => s + (r.n / n) * Math.abs(r.meanConfidence - r.accuracy), 0);
}

/** The p-th percentile (0..100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}
