/**
 * Turning a model's raw score into a calibrated probability that the answer's categories are
 * exactly right. Platt scaling (a 1-D logistic fit on the log-odds of the raw score), fitted on
 * cross-validated predictions of the training data: two parameters, so it cannot overfit the
 * few hundred points it sees.
 */

export interface Platt {
  a: number;
  b: number;
}

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/** Fits p(correct) = sigmoid(a·logit(raw) + b) by Newton's method; identity when there is no data. */
export function fitPlatt(raw: number[], correct: boolean[]): Platt {
  if (raw.length < 10) return { a: 1, b: 0 };
  // Platt's target smoothing keeps a perfect training fit from driving a and b to infinity.
  const pos = correct.filter(Boolean).length;
  const neg = correct.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const xs = raw.map(logit);
  const ys = correct.map((c) => (c ? hi : lo));
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let g1 = 0;
    let g2 = 0;
    let h11 = 1e-6;
    let h12 = 0;
    let h22 = 1e-6;
    xs.forEach((x, i) => {
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const d = p - (ys[i] as number);
      const w = p * (1 - p);
      g1 += d * x;
      g2 += d;
      h11 += w * x * x;
      h12 += w * x;
      h22 += w;
    });
    const det = h11 * h22 - h12 * h12;
    if (Math.abs(det) < 1e-12) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-7) break;
  }
  return { a, b };
}

/** The calibrated probability of a raw score, kept inside [0.01, 0.99]: never certain. */
export function applyPlatt(platt: Platt, raw: number): number {
  const p = 1 / (1 + Math.exp(-(platt.a * logit(raw) + platt.b)));
  return Math.min(0.99, Math.max(0.01, p));
}
