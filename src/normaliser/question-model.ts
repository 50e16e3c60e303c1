/**
 * The learned model of one categorised question: lexical features + cue hits → per-category
 * yes/no scorers (multi) or a softmax (single), with a confidence calibrated by
 * cross-validation on the training data.
 */
import type { Question } from '../core/types.js';
import { applyPlatt, fitPlatt, type Platt } from './calibration.js';
import { BinaryModels, decodeWeights, encodeWeights, SoftmaxModel, Vocabulary, type TrainOptions } from './linear.js';

/** One training example after analysis: its feature strings and categories. */
export interface PreparedExample {
  features: string[];
  categories: string[];
}

export interface Decision {
  categories: string[];
  /** Uncalibrated probability that `categories` is exactly right. */
  raw: number;
  confidence: number;
  /** Every category with its model probability, best first. */
  candidates: { id: string; score: number }[];
}

const FOLDS = 3;
// Tuned by 5-fold cross-validation on data/training (bench:nlp --cv): a small learning rate with
// few passes generalises and calibrates better than a fit to convergence.
const MULTI_OPTIONS: Partial<TrainOptions> = { epochs: 6, learningRate: 0.05, l2: 1e-4, positiveWeight: 1.5 };
const SINGLE_OPTIONS: Partial<TrainOptions> = { epochs: 6, learningRate: 0.05, l2: 1e-4 };
/** A multi-label category is chosen at this probability… */
const THRESHOLD = 0.6;
/** …or at this much lower one when its cue is in the answer (cue words are strong evidence). */
const CUE_THRESHOLD = 0.15;

type Scorer = BinaryModels | SoftmaxModel;

/** A question model as stored in a snapshot (see model-cache.ts). */
export interface QuestionModelJson {
  question: string;
  features: string[];
  weights: string[];
  platt: Platt;
}

/** Starting weight of a category's cue-hit feature for that category (and of its negated hit). */
const CUE_PRIOR = 2;
const NEG_PRIOR = -1;

/** The hand-written lexicon as a prior: a category's cue starts with weight for its category. */
function cuePrior(categories: string[], vocabulary: Vocabulary): Map<number, number>[] {
  return categories.map((c) => {
    const prior = new Map<number, number>();
    const cue = vocabulary.lookup([`c:${c}`])[0];
    const negated = vocabulary.lookup([`x:${c}`])[0];
    if (cue !== undefined) prior.set(cue, CUE_PRIOR);
    if (negated !== undefined) prior.set(negated, NEG_PRIOR);
    return prior;
  });
}

function trainScorer(question: Question, x: Int32Array[], examples: PreparedExample[], vocabulary: Vocabulary): Scorer {
  const categories = question.categories ?? [];
  const dim = vocabulary.size;
  const prior = cuePrior(categories, vocabulary);
  if (question.type === 'multi') {
    const labels = examples.map((e) => Uint8Array.from(categories.map((c) => (e.categories.includes(c) ? 1 : 0))));
    return BinaryModels.train(x, labels, categories.length, dim, { ...MULTI_OPTIONS, prior });
  }
  const labels = examples.map((e) => categories.indexOf(e.categories[0] ?? ''));
  return SoftmaxModel.train(x, labels, categories.length, dim, { ...SINGLE_OPTIONS, prior });
}

/** Picks categories from probabilities and scores the pick (before calibration). */
function pick(question: Question, p: number[], cued: boolean[]): { chosen: number[]; raw: number } {
  if (question.type === 'multi') {
    // A category whose cue is in the answer needs less from the model than one without.
    let chosen = p.flatMap((v, k) => (v >= (cued[k] ? CUE_THRESHOLD : THRESHOLD) ? [k] : []));
    // An answer names at least one thing: when no scorer says yes, the likeliest one is the guess.
    if (chosen.length === 0) chosen = [p.indexOf(Math.max(...p))];
    const raw = p.reduce((acc, v, k) => acc * (chosen.includes(k) ? v : 1 - v), 1);
    return { chosen, raw };
  }
  const top = p.indexOf(Math.max(...p));
  return { chosen: [top], raw: p[top] as number };
}

/** Which categories have a (non-negated) cue hit among the features. */
function cuedCategories(categories: string[], features: string[]): boolean[] {
  const cued = new Set(features.filter((f) => f.startsWith('c:')).map((f) => f.slice(2)));
  return categories.map((c) => cued.has(c));
}

export class QuestionModel {
  private constructor(
    readonly question: Question,
    private readonly vocabulary: Vocabulary,
    private readonly scorer: Scorer,
    private readonly platt: Platt,
  ) {}

  /**
   * Trains on the prepared examples. Examples with no valid category are skipped (single
   * questions need exactly one). Five-fold cross-validation gives the calibration points.
   */
  static train(question: Question, all: PreparedExample[]): QuestionModel {
    const categories = question.categories ?? [];
    const examples = all.filter((e) =>
      question.type === 'single' ? e.categories.length === 1 && categories.includes(e.categories[0] ?? '') : e.categories.length > 0,
    );
    const vocabulary = new Vocabulary();
    const x = examples.map((e) => vocabulary.add(e.features));
    const dim = vocabulary.size;

    const raw: number[] = [];
    const correct: boolean[] = [];
    if (examples.length >= FOLDS * 4) {
      for (let fold = 0; fold < FOLDS; fold++) {
        const trainIdx = examples.flatMap((_, i) => (i % FOLDS === fold ? [] : [i]));
        const testIdx = examples.flatMap((_, i) => (i % FOLDS === fold ? [i] : []));
        const scorer = trainScorer(question, trainIdx.map((i) => x[i] as Int32Array), trainIdx.map((i) => examples[i] as PreparedExample), vocabulary);
        for (const i of testIdx) {
          const { chosen, raw: r } = pick(question, scorer.predict(x[i] as Int32Array), cuedCategories(categories, (examples[i] as PreparedExample).features));
          const expected = (examples[i] as PreparedExample).categories;
          const got = chosen.map((k) => categories[k] as string);
          raw.push(r);
          correct.push(got.length === expected.length && got.every((c) => expected.includes(c)));
        }
      }
    }
    const scorer = trainScorer(question, x, examples, vocabulary);
    return new QuestionModel(question, vocabulary, scorer, fitPlatt(raw, correct));
  }

  /** The model as plain JSON (for the snapshot cache). */
  toJSON(): QuestionModelJson {
    return {
      question: this.question.id,
      features: this.vocabulary.toList(),
      weights: encodeWeights(this.scorer.weights),
      platt: this.platt,
    };
  }

  /** Restores a model saved with `toJSON` for the same question. */
  static fromJSON(question: Question, json: QuestionModelJson): QuestionModel {
    const vocabulary = Vocabulary.fromList(json.features);
    const dim = vocabulary.size;
    const weights = decodeWeights(json.weights, dim + 1);
    if (weights.length !== (question.categories ?? []).length) throw new Error(`snapshot of ${question.id} has ${weights.length} categories`);
    const scorer = question.type === 'multi' ? new BinaryModels(weights, dim) : new SoftmaxModel(weights, dim);
    return new QuestionModel(question, vocabulary, scorer, json.platt);
  }

  /** The categories of an answer's features. */
  decide(features: string[]): Decision {
    const categories = this.question.categories ?? [];
    const p = this.scorer.predict(this.vocabulary.lookup(features));
    const { chosen, raw } = pick(this.question, p, cuedCategories(categories, features));
    const candidates = categories
      .map((id, k) => ({ id, score: Math.round((p[k] as number) * 1000) / 1000 }))
      .sort((a, b) => b.score - a.score);
    return {
      categories: chosen.map((k) => categories[k] as string),
      raw,
      confidence: Math.round(applyPlatt(this.platt, raw) * 1000) / 1000,
      candidates,
    };
  }
}
