/**
 * A second stage for multi-label questions: per category, a small logistic model that decides
 * yes/no from what the first stage saw (its probability, the whole answer's and the best list
 * item's, cue hits, the category's rank, how many items and cues the answer has), trained on
 * out-of-fold first-stage scores of the training data.
 */

/** What the first stage knows about one answer (every array has one entry per category). */
export interface StageOne {
  /** The first stage's probability after the list-item rule (see question-model.ts). */
  p: number[];
  /** The whole answer's probability alone. */
  whole: number[];
  /** The best list item's probability, or NaN when the answer is a single item. */
  itemMax: number[];
  cued: boolean[];
  negated: boolean[];
  items: number;
  /** 0-3: the answer's length bucket (`len:` feature of features.ts). */
  length: number;
}

const clip = (x: number): number => Math.min(8, Math.max(-8, x));
const logit = (p: number): number => clip(Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6)));

/** Number of stage-two features (with the bias first). */
export const STACK_DIM = 15;

/** Stage-two features of category k, written into `out` when given (scoring reuses one buffer). */
export function stackFeatures(s: StageOne, k: number, out = new Float64Array(STACK_DIM)): Float64Array {
  const n = s.p.length;
  const pk = s.p[k] as number;
  let rank = 0;
  let best = 0;
  let cues = 0;
  let over = 0;
  for (let j = 0; j < n; j++) {
    const pj = s.p[j] as number;
    if (pj > pk) rank++;
    if (pj > best) best = pj;
    if (s.cued[j]) cues++;
    if (pj >= 0.5) over++;
  }
  const item = s.itemMax[k] as number;
  const lk = logit(pk);
  const lb = logit(best);
  out[0] = 1;
  out[1] = lk;
  out[2] = logit(s.whole[k] as number);
  out[3] = Number.isNaN(item) ? 0 : logit(item);
  out[4] = s.cued[k] ? 1 : 0;
  out[5] = s.negated[k] ? 1 : 0;
  out[6] = rank === 0 ? 1 : 0;
  out[7] = rank === 1 ? 1 : 0;
  out[8] = rank === 2 ? 1 : 0;
  out[9] = Math.log1p(s.items);
  out[10] = lb;
  out[11] = lk - lb;
  out[12] = Math.min(cues, 4) / 4;
  out[13] = s.length / 3;
  out[14] = Math.min(over, 4) / 4;
  return out;
}

/** Ridge-regularised logistic regression by Newton steps (IRLS): STACK_DIM weights, a few ms for a thousand rows. */
export function fitLogistic(rows: Float64Array[], labels: number[], ridge = 1): number[] {
  const d = STACK_DIM;
  const w = new Float64Array(d);
  for (let iter = 0; iter < 25; iter++) {
    const g = new Float64Array(d);
    const h = Array.from({ length: d }, () => new Float64Array(d));
    rows.forEach((x, i) => {
      let z = 0;
      for (let a = 0; a < d; a++) z += (w[a] as number) * (x[a] as number);
      const p = 1 / (1 + Math.exp(-z));
      const r = p - (labels[i] as number);
      const v = Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < d; a++) {
        g[a] = (g[a] as number) + r * (x[a] as number);
        const ha = h[a] as Float64Array;
        for (let b = 0; b <= a; b++) ha[b] = (ha[b] as number) + v * (x[a] as number) * (x[b] as number);
      }
    });
    // The bias is not shrunk; every other weight is.
    for (let a = 0; a < d; a++) {
      const ha = h[a] as Float64Array;
      for (let b = 0; b < a; b++) (h[b] as Float64Array)[a] = ha[b] as number;
      if (a > 0) {
        g[a] = (g[a] as number) + ridge * (w[a] as number);
        ha[a] = (ha[a] as number) + ridge;
      } else ha[a] = (ha[a] as number) + 1e-6;
    }
    const step = solve(h, g);
    let moved = 0;
    for (let a = 0; a < d; a++) {
      w[a] = (w[a] as number) - (step[a] as number);
      moved = Math.max(moved, Math.abs(step[a] as number));
    }
    if (moved < 1e-7) break;
  }
  return Array.from(w);
}

/** Gaussian elimination with partial pivoting (h is symmetric positive definite here). */
function solve(h: Float64Array[], g: Float64Array): Float64Array {
  const d = g.length;
  const m = h.map((row, i) => [...row, g[i] as number]);
  for (let c = 0; c < d; c++) {
    let pivot = c;
    for (let r = c + 1; r < d; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[pivot] as number[])[c] as number)) pivot = r;
    [m[c], m[pivot]] = [m[pivot] as number[], m[c] as number[]];
    const row = m[c] as number[];
    const lead = row[c] as number;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const other = m[r] as number[];
      const f = (other[c] as number) / lead;
      if (f !== 0) for (let k = c; k <= d; k++) other[k] = (other[k] as number) - f * (row[k] as number);
    }
  }
  return Float64Array.from(m.map((row, i) => (row[d] as number) / (row[i] as number)));
}

/** The second stage of one question: one weight row per category. */
export class Stacker {
  constructor(readonly weights: number[][]) {
    if (weights.some((w) => w.length !== STACK_DIM)) throw new Error(`a second-stage row needs ${STACK_DIM} weights: retrain (delete var/cache/normaliser/)`);
  }

  /** Trains each category's row on out-of-fold first-stage views and the true labels. */
  static train(views: StageOne[], truth: boolean[][], ridge = 1): Stacker {
    const categories = views[0]?.p.length ?? 0;
    const weights: number[][] = [];
    for (let k = 0; k < categories; k++) {
      const rows = views.map((v) => stackFeatures(v, k));
      weights.push(fitLogistic(rows, truth.map((t) => (t[k] ? 1 : 0)), ridge));
    }
    return new Stacker(weights);
  }

  private readonly buffer = new Float64Array(STACK_DIM);

  /** Stage-two probability of every category. */
  predict(s: StageOne): number[] {
    return this.weights.map((w, k) => {
      const x = stackFeatures(s, k, this.buffer);
      let z = 0;
      for (let a = 0; a < STACK_DIM; a++) z += (w[a] as number) * (x[a] as number);
      return 1 / (1 + Math.exp(-z));
    });
  }
}
