/**
 * The learned don't-know detector: a yes/no scorer trained on `data/training/dontknow.jsonl`
 * (yes) against every question's training answers (no). Its features are the answer's lexical
 * features and the hits of the don't-know lexicon (`data/cues/dontknow.json`: the semantic fields
 * of knowing, answering, later, skipping, declining…), so it generalises past the rules of
 * `dont-know.ts` ("Mene ja tiedä", "dont knwo", "Your guess is as good as mine").
 */
import type { Analysis } from './analysis.js';
import type { CueHit, CueLexicon } from './cues.js';
import { dontKnowRemainder } from './dont-know.js';
import { BinaryModels, decodeWeights, encodeWeights, Vocabulary } from './linear.js';

/** The detector as stored in a snapshot. */
export interface DontKnowJson {
  features: string[];
  weights: string[];
}

/** What the detector says about one answer. */
export interface DontKnowVerdict {
  /** The hand-written rules fire ("en osaa sanoa", "skip"). */
  rule: boolean;
  /** When the rules fire: the folded words outside the declining phrases (see `dontKnowRemainder`). */
  remainder?: Set<string>;
  /** The learned probability of a don't-know / decline. */
  probability: number;
  /** Where the don't-know words are: a category cue inside them does not name the category. */
  hits: CueHit[];
}

/** Seeds of the detector's averaged runs (see `DontKnowDetector.train`). */
const DETECTOR_SEEDS = [7, 108, 209, 310, 411];

export class DontKnowDetector {
  private constructor(
    private readonly lexicon: CueLexicon | undefined,
    private readonly vocabulary: Vocabulary,
    private readonly model: BinaryModels,
  ) {}

  /** The detector's features of an analysed answer (lexical features + lexicon hits). */
  static features(a: Analysis, lexical: string[], lexicon: CueLexicon | undefined): { features: string[]; hits: CueHit[] } {
    const hits = lexicon?.match(a.tokens) ?? [];
    const features = [...lexical];
    for (const hit of hits) {
      const negated = a.clauses.negated[a.clauses.clauseOf[hit.token] ?? 0] === true;
      features.push(`dk:${hit.category}`, `dk:${hit.category}:${negated ? 'neg' : 'pos'}`);
    }
    return { features, hits };
  }

  /**
   * Trains from the feature lists of don't-know answers and of real answers. The rules are
   * not a feature: they would take all the weight, and the lexicon must learn to stand alone.
   */
  static train(lexicon: CueLexicon | undefined, dontKnow: string[][], answers: string[][]): DontKnowDetector {
    const vocabulary = new Vocabulary();
    const x = [...dontKnow, ...answers].map((f) => vocabulary.add(f));
    const labels = [...dontKnow.map(() => Uint8Array.of(1)), ...answers.map(() => Uint8Array.of(0))];
    // Don't-know lines are few beside thousands of answers: weigh them up so recall does not suffer.
    // Weight 5 instead of 3 was measured (multi-label NB blend in place, seeds 7-11): steadier under
    // data changes (trained on five 90 % subsamples of data/training, held-out don't-know outcomes
    // that flip between them: English 20 → 12, Finnish 3 → 3; held-out don't-know 98.74 → 98.83),
    // but real short answers turn into don't-knows in 5-fold CV ("Kyllä.", "Kyllä on" for strategy,
    // "We haven't seen the need." for rpa): CV single accuracy fi 95.89 → 95.65, en 92.41 → 92.30.
    // Weight 4: flips en 12, held-out 98.81, CV single fi 95.68. Kept at 3 until those answers are safe.
    // Several shuffling seeds, weights averaged: one seed's verdicts swing by a dozen held-out
    // answers between data changes; the mean of a few is steadier and scores no slower.
    // Each answer keeps its place in every pass whatever else is added or removed (orderKeys): with
    // a shuffle of positions, one more training line anywhere re-drew every place and moved the
    // held-out don't-know figure by up to ~1.8 points by itself (data/training/README.md, fifth round).
    // Measured: with this order, adding any of three unrelated training lines left held-out
    // don't-know at exactly 98.09 (the shuffle gave 97.1-98.9 for such changes); 9 seeds instead of
    // 5 gave 97.73, so the detector's level is about 98 and the old 98.9 was a lucky draw.
    const orderKeys = [...dontKnow, ...answers].map((f) => f.join('\u0001'));
    const runs = DETECTOR_SEEDS.map((seed) =>
      BinaryModels.train(x, labels, 1, vocabulary.size, { epochs: 8, learningRate: 0.3, l2: 1e-4, positiveWeight: 3, seed, orderKeys }),
    );
    const mean = new Float64Array(vocabulary.size + 1);
    for (const run of runs) {
      const w = run.weights[0] as Float64Array;
      for (let f = 0; f < mean.length; f++) mean[f] = (mean[f] as number) + (w[f] as number) / runs.length;
    }
    return new DontKnowDetector(lexicon, vocabulary, new BinaryModels([mean], vocabulary.size));
  }

  toJSON(): DontKnowJson {
    return { features: this.vocabulary.toList(), weights: encodeWeights(this.model.weights) };
  }

  static fromJSON(lexicon: CueLexicon | undefined, json: DontKnowJson): DontKnowDetector {
    const vocabulary = Vocabulary.fromList(json.features);
    const model = new BinaryModels(decodeWeights(json.weights, vocabulary.size + 1), vocabulary.size);
    return new DontKnowDetector(lexicon, vocabulary, model);
  }

  /** Judges an analysed answer. */
  assess(a: Analysis, lexical: string[]): DontKnowVerdict {
    const { features, hits } = DontKnowDetector.features(a, lexical, this.lexicon);
    const probability = this.model.predict(this.vocabulary.lookup(features))[0] as number;
    const remainder = dontKnowRemainder(a.text);
    return { rule: remainder !== undefined, remainder: remainder && new Set(remainder), probability, hits };
  }
}
