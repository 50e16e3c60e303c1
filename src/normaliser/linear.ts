/**
 * Small, fast linear models over sparse binary features: one logistic (yes/no) scorer per
 * category for multi-label questions, one softmax over categories for single-choice questions.
 * Trained with AdaGrad and L2 in a few passes; plain typed arrays, so a question's model
 * trains in milliseconds and scores an answer in microseconds.
 */

/** Maps feature strings to column indices; unknown features at scoring time are ignored. */
export class Vocabulary {
  private readonly index = new Map<string, number>();

  /** Indices of the features, adding new ones (training). */
  add(features: string[]): Int32Array {
    const out = new Set<number>();
    for (const f of features) {
      let i = this.index.get(f);
      if (i === undefined) {
        i = this.index.size;
        this.index.set(f, i);
      }
      out.add(i);
    }
    return Int32Array.from(out);
  }

  /** Marks of indices already taken by the current `lookup` (reused: lookup runs per answer). */
  private seen = new Uint8Array(0);

  /** Indices of the known features, each once (scoring). */
  lookup(features: string[]): Int32Array {
    if (this.seen.length < this.index.size) this.seen = new Uint8Array(this.index.size);
    const out = new Int32Array(features.length);
    let n = 0;
    for (const f of features) {
      const i = this.index.get(f);
      if (i !== undefined && this.seen[i] === 0) {
        this.seen[i] = 1;
        out[n++] = i;
      }
    }
    for (let k = 0; k < n; k++) this.seen[out[k] as number] = 0;
    return out.subarray(0, n);
  }

  get size(): number {
    return this.index.size;
  }

  has(feature: string): boolean {
    return this.index.has(feature);
  }

  /** The features in column order (for a snapshot). */
  toList(): string[] {
    return [...this.index.keys()];
  }

  /** Restores a vocabulary saved with `toList`. */
  static fromList(list: string[]): Vocabulary {
    const v = new Vocabulary();
    list.forEach((f, i) => v.index.set(f, i));
    return v;
  }
}

/** Weight arrays as base64 of 32-bit floats: a snapshot a quarter the size of JSON numbers. */
export function encodeWeights(weights: Float64Array[]): string[] {
  return weights.map((w) => Buffer.from(Float32Array.from(w).buffer).toString('base64'));
}

/** The inverse of `encodeWeights`; throws when a row has the wrong length (a corrupt snapshot). */
export function decodeWeights(rows: string[], length: number): Float64Array[] {
  return rows.map((row) => {
    const bytes = Buffer.from(row, 'base64');
    if (bytes.length !== length * 4) throw new Error(`weight row of ${bytes.length / 4} values, expected ${length}`);
    return Float64Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, length));
  });
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  /** Weight of positive examples (multi-label classes are rare: a little boost helps recall). */
  positiveWeight?: number;
  /** Deterministic shuffling. */
  seed?: number;
  /**
   * One key per example (its text, say): the examples are then ordered by a hash of key, seed
   * and pass instead of a shuffle of their positions, so adding or removing one example leaves
   * the others' order as it was (a shuffle of positions re-draws every place).
   */
  orderKeys?: string[];
  /**
   * Starting weights: `prior[k]` maps feature indices to class k's initial weight. A prior is
   * how hand-written knowledge (a cue means its category) enters: data then moves it.
   */
  prior?: Map<number, number>[];
}

const DEFAULTS: TrainOptions = { epochs: 12, learningRate: 0.4, l2: 1e-4, positiveWeight: 1, seed: 7 };

/** A tiny deterministic PRNG (mulberry32): the same data always gives the same model. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function order(n: number, next: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx;
}

/** 32-bit FNV-1a of `text`, mixed with `salt`: a cheap, stable sort key. */
function hashKey(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The order of one pass: by key hash when keys are given (see `orderKeys`), else a shuffle (exported for tests). */
export function passOrder(n: number, next: () => number, keys: string[] | undefined, seed: number, pass: number): number[] {
  if (keys === undefined) return order(n, next);
  if (keys.length !== n) throw new Error(`orderKeys has ${keys.length} keys for ${n} examples`);
  const salt = Math.imul(seed + 1, 0x9e3779b1) ^ pass;
  const hashed = keys.map((k, i) => [hashKey(k, salt), i] as const);
  hashed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return hashed.map(([, i]) => i);
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function initialWeights(classes: number, dim: number, prior: Map<number, number>[] | undefined): Float64Array[] {
  return Array.from({ length: classes }, (_, k) => {
    const w = new Float64Array(dim + 1);
    for (const [f, v] of prior?.[k] ?? []) if (f < dim) w[f] = v;
    return w;
  });
}

/** One yes/no logistic scorer per class (multi-label). */
export class BinaryModels {
  constructor(
    /** weights[k][feature]; the last column is the bias. */
    readonly weights: Float64Array[],
    readonly dim: number,
  ) {}

  /** Trains class k on `labels[i][k]` (0/1). Indexed loops: typed-array iterators are slow. */
  static train(x: Int32Array[], labels: Uint8Array[], classes: number, dim: number, options: Partial<TrainOptions> = {}): BinaryModels {
    const o = { ...DEFAULTS, ...options };
    const lr = o.learningRate;
    const l2 = o.l2;
    const positiveWeight = o.positiveWeight ?? 1;
    const weights = initialWeights(classes, dim, o.prior);
    const next = random(o.seed ?? 7);
    const g2 = new Float64Array(dim + 1);
    for (let k = 0; k < classes; k++) {
      const w = weights[k] as Float64Array;
      g2.fill(1e-8);
      for (let epoch = 0; epoch < o.epochs; epoch++) {
        for (const i of passOrder(x.length, next, o.orderKeys, o.seed ?? 7, k * o.epochs + epoch)) {
          const xi = x[i] as Int32Array;
          const n = xi.length;
          const y = (labels[i] as Uint8Array)[k] as number;
          let z = w[dim] as number;
          for (let j = 0; j < n; j++) z += w[xi[j] as number] as number;
          const g = (sigmoid(z) - y) * (y === 1 ? positiveWeight : 1);
          for (let j = 0; j < n; j++) {
            const f = xi[j] as number;
            const grad = g + l2 * (w[f] as number);
            const s = (g2[f] as number) + grad * grad;
            g2[f] = s;
            w[f] = (w[f] as number) - (lr * grad) / Math.sqrt(s);
          }
          const s = (g2[dim] as number) + g * g;
          g2[dim] = s;
          w[dim] = (w[dim] as number) - (lr * g) / Math.sqrt(s);
        }
      }
    }
    return new BinaryModels(weights, dim);
  }

  /** P(class k applies) for every class. */
  predict(x: Int32Array): number[] {
    const out = new Array<number>(this.weights.length);
    for (let k = 0; k < this.weights.length; k++) {
      const w = this.weights[k] as Float64Array;
      let z = w[this.dim] as number;
      for (let j = 0; j < x.length; j++) {
        const f = x[j] as number;
        if (f < this.dim) z += w[f] as number;
      }
      out[k] = sigmoid(z);
    }
    return out;
  }
}

/** A softmax over classes (single choice). */
export class SoftmaxModel {
  constructor(
    readonly weights: Float64Array[],
    readonly dim: number,
  ) {}

  static train(x: Int32Array[], labels: number[], classes: number, dim: number, options: Partial<TrainOptions> = {}): SoftmaxModel {
    const o = { ...DEFAULTS, ...options };
    const lr = o.learningRate;
    const l2 = o.l2;
    const weights = initialWeights(classes, dim, o.prior);
    const g2 = Array.from({ length: classes }, () => new Float64Array(dim + 1).fill(1e-8));
    const next = random(o.seed ?? 7);
    const model = new SoftmaxModel(weights, dim);
    const p = new Float64Array(classes);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (const i of order(x.length, next)) {
        const xi = x[i] as Int32Array;
        const n = xi.length;
        model.probabilitiesInto(xi, p);
        for (let k = 0; k < classes; k++) {
          const w = weights[k] as Float64Array;
          const s2 = g2[k] as Float64Array;
          const g = (p[k] as number) - (labels[i] === k ? 1 : 0);
          for (let j = 0; j < n; j++) {
            const f = xi[j] as number;
            const grad = g + l2 * (w[f] as number);
            const s = (s2[f] as number) + grad * grad;
            s2[f] = s;
            w[f] = (w[f] as number) - (lr * grad) / Math.sqrt(s);
          }
          const s = (s2[dim] as number) + g * g;
          s2[dim] = s;
          w[dim] = (w[dim] as number) - (lr * g) / Math.sqrt(s);
        }
      }
    }
    return model;
  }

  /** Writes the class probabilities into `out` (no allocation: training calls this per example). */
  private probabilitiesInto(x: Int32Array, out: Float64Array): void {
    let max = -Infinity;
    for (let k = 0; k < this.weights.length; k++) {
      const w = this.weights[k] as Float64Array;
      let s = w[this.dim] as number;
      for (let j = 0; j < x.length; j++) {
        const f = x[j] as number;
        if (f < this.dim) s += w[f] as number;
      }
      out[k] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let k = 0; k < out.length; k++) {
      const e = Math.exp((out[k] as number) - max);
      out[k] = e;
      sum += e;
    }
    for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) / sum;
  }

  /** Class probabilities. */
  predict(x: Int32Array): number[] {
    const out = new Float64Array(this.weights.length);
    this.probabilitiesInto(x, out);
    return Array.from(out);
  }
}
