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
  // Cross-entropy of the smoothed targets; Newton steps are halved until it goes down, because
  // scores bunched near 1 make the Hessian nearly singular and a full step can fly off.
  const loss = (a: number, b: number): number =>
    xs.reduce((sum, x, i) => {
      const z = a * x + b;
      const y = ys[i] as number;
      // log(1 + e^z) - y·z, written to stay finite for large |z|
      return sum + (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y * z;
    }, 0);
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let g1 = 0;
    let g2 = 0;
    let h11 = 1e-3;
    let h12 = 0;
    let h22 = 1e-3;
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
    if (!(det > 1e-12)) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const improvement = current - next;
    current = next;
    if (improvement < 1e-9) break;
  }
  return { a, b };
}

/** The calibrated probability of a raw score, kept inside [0.01, 0.99]: never certain. */
export function applyPlatt(platt: Platt, raw: number): number {
  const p = 1 / (1 + Math.exp(-(platt.a * logit(raw) + platt.b)));
  return Math.min(0.99, Math.max(0.01, p));
}
