/** The second stage of a multi-label question (src/normaliser/stack.ts) and how a model carries it. */
import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/core/types.js';
import { encodeWeights } from '../../src/normaliser/linear.js';
import { QuestionModel, type PreparedExample, type QuestionModelJson } from '../../src/normaliser/question-model.js';
import { STACK_DIM, Stacker, type StageOne } from '../../src/normaliser/stack.js';

const view = (p: number[], cued: boolean[]): StageOne => ({
  p,
  whole: p,
  itemMax: p.map(() => Number.NaN),
  cued,
  negated: p.map(() => false),
  items: 0,
  length: 1,
});

describe('Stacker', () => {
  it('learns what the first stage misses: here the cue decides, whatever the first stage says', () => {
    // The first stage gives category 0 a middling score either way; the truth follows its cue.
    const views: StageOne[] = [];
    const truth: boolean[][] = [];
    for (let i = 0; i < 200; i++) {
      const cued = i % 2 === 0;
      views.push(view([0.45 + (i % 7) / 100, 0.1], [cued, false]));
      truth.push([cued, false]);
    }
    const stacker = Stacker.train(views, truth);
    const [yes] = stacker.predict(view([0.48, 0.1], [true, false]));
    const [no] = stacker.predict(view([0.48, 0.1], [false, false]));
    expect(yes).toBeGreaterThan(0.8);
    expect(no).toBeLessThan(0.2);
  });

  it('refuses a snapshot row of the wrong width with how to fix it', () => {
    expect(() => new Stacker([[1, 2, 3]])).toThrow(/retrain/);
  });
});

const logit = (p: number): number => Math.log(p / (1 - p));

/** A hand-made model of three categories a, b, c: the first stage scores them 0.9, 0.5 and 0.7. */
function handMade(stack?: number[][]): QuestionModel {
  const question: Question = { id: 'challenges', type: 'multi', categories: ['a', 'b', 'c'] };
  const features = ['c:a', 'x:a', 'c:b', 'x:b', 'c:c', 'x:c', 'c:\u2205', 'x:\u2205', 'w:foo'];
  const row = (bias: number): Float64Array => {
    const w = new Float64Array(features.length + 1);
    w[features.length] = bias;
    return w;
  };
  const json: QuestionModelJson = {
    question: question.id,
    features,
    weights: encodeWeights([row(logit(0.9)), row(0), row(logit(0.7)), row(-6)]),
    platt: { a: 1, b: 0 },
    ...(stack ? { stack } : {}),
  };
  return QuestionModel.fromJSON(question, json);
}

const only = (bias: number): number[] => [bias, ...new Array<number>(STACK_DIM - 1).fill(0)];

describe('a multi-label model with a second stage', () => {
  it('adds the category the second stage is sure of and drops the one it rules out', () => {
    expect(handMade().decide(['w:foo']).categories).toEqual(['a', 'c']);
    // Second stage: a sure (keep), b sure (add: the first stage's 0.5 is under its bar), c ruled out (drop).
    const stacked = handMade([only(5), only(3), only(-5)]);
    expect(stacked.decide(['w:foo']).categories).toEqual(['a', 'b']);
  });

  it('is trained for challenges, saved in the snapshot JSON and decides the same after a reload', () => {
    // 120 small answers: words w0…w3 name a…c, and "w3" answers name two categories.
    const examples: PreparedExample[] = Array.from({ length: 120 }, (_, i) => {
      const k = i % 4;
      return k === 3
        ? { features: [`w:w3`, `w:n${i % 11}`, 'c:a'], categories: ['a', 'b'] }
        : { features: [`w:w${k}`, `w:n${i % 13}`, `c:${'abc'[k]}`], categories: ['abc'[k] as string] };
    });
    const challenges: Question = { id: 'challenges', type: 'multi', categories: ['a', 'b', 'c'] };
    const model = QuestionModel.train(challenges, examples, [], 7);
    const json = model.toJSON();
    expect(json.stack).toHaveLength(3);
    const reloaded = QuestionModel.fromJSON(challenges, JSON.parse(JSON.stringify(json)) as QuestionModelJson);
    for (const features of [['w:w3', 'c:a'], ['w:w1', 'c:b'], ['w:w0', 'w:w2', 'c:a', 'c:c'], ['w:n4']]) {
      // The snapshot keeps first-stage weights as 32-bit floats: raw scores move in the 8th digit.
      const [before, after] = [model.decide(features), reloaded.decide(features)];
      expect(after.categories).toEqual(before.categories);
      expect(after.confidence).toBeCloseTo(before.confidence, 2);
    }
    // Other questions keep the first stage alone (cross-validation gained only for challenges).
    const goals = QuestionModel.train({ ...challenges, id: 'goals' }, examples, [], 7);
    expect(goals.toJSON().stack).toBeUndefined();
  });
});
