/** Building the model: staff examples, the snapshot cache, calibration and the bench's metrics. */
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlatt, fitPlatt } from '../../src/normaliser/calibration.js';
import { createNormaliser } from '../../src/normaliser/index.js';
import { calibration, percentile, scoreSet, type Outcome } from '../../src/normaliser/metrics.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'normaliser-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const probes = [
  { question: 'challenges', text: 'Rahoitus ja osaajapula' },
  { question: 'projects', text: 'Zorblax-hanke ja sähköinen asiointi' },
  { question: 'rpa', text: 'Pilotoimme robotteja' },
] as const;

describe('extra examples (staff recodes)', () => {
  it('teach the model a word it did not know', () => {
    const before = createNormaliser({ cacheDir: false });
    const question = 'projects';
    expect(before.normalise({ question, text: 'Zorblax' }).categories).not.toContain('city_model');
    const extraExamples = ['Zorblax', 'Zorblax-järjestelmä', 'Zorblaxin laajennus', 'Zorblax koko kaupunkiin', 'Zorblax for the city', 'We run Zorblax'].map(
      (text) => ({ question, text, lang: 'fi' as const, categories: ['city_model'] }),
    );
    const after = createNormaliser({ cacheDir: false, extraExamples });
    expect(after.normalise({ question, text: 'Zorblax' }).categories).toEqual(['city_model']);
  });

  it('are refused with their text when a category is unknown', () => {
    expect(() =>
      createNormaliser({ cacheDir: false, extraExamples: [{ question: 'challenges', text: 'Kahvinkeitin', lang: 'fi', categories: ['coffee'] }] }),
    ).toThrow(/Kahvinkeitin.*coffee/);
    expect(() => createNormaliser({ cacheDir: false, extraExamples: [{ question: 'city', text: 'Espoo', lang: 'fi', categories: ['Espoo'] }] })).toThrow(
      /no categories to learn/,
    );
  });
});

describe('a data folder without training files', () => {
  it('still codes clear answers from the cue lexicons alone', () => {
    const dir = tempDir();
    for (const f of ['questionnaire.json', 'municipalities.json', 'municipality-aliases.json']) cpSync(new URL(`../../data/${f}`, import.meta.url), join(dir, f));
    cpSync(new URL('../../data/cues/', import.meta.url), join(dir, 'cues'), { recursive: true });
    const n = createNormaliser({ dataDir: dir, cacheDir: false });
    expect(n.normalise({ question: 'challenges', text: 'Rahoitus' }).categories).toEqual(['funding']);
    expect(n.normalise({ question: 'role', text: 'kunnanjohtaja' }).categories).toEqual(['mayor']);
    expect(n.normalise({ question: 'city', text: 'Lahdessa' }).categories).toEqual(['Lahti']);
  });
});

describe('snapshot cache', () => {
  it('saves a trained model once and loads it on the next start, with the same answers', () => {
    const cacheDir = tempDir();
    const first = createNormaliser({ cacheDir });
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    const written = statSync(join(cacheDir, files[0] as string)).mtimeMs;

    const second = createNormaliser({ cacheDir });
    expect(readdirSync(cacheDir)).toEqual(files);
    expect(statSync(join(cacheDir, files[0] as string)).mtimeMs).toBe(written); // loaded, not rewritten
    for (const p of probes) expect(second.normalise(p)).toEqual(first.normalise(p));
  });

  it('keys the snapshot on the inputs: extra examples make a new one', () => {
    const cacheDir = tempDir();
    createNormaliser({ cacheDir });
    createNormaliser({ cacheDir, extraExamples: [{ question: 'challenges', text: 'Kassa on tyhjä', lang: 'fi', categories: ['funding'] }] });
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });

  it('trains anyway when the cache folder cannot be written', () => {
    // A folder under a regular file cannot be created: saving fails, building must not.
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    const n = createNormaliser({ cacheDir: join(file, 'cache') });
    expect(n.normalise(probes[0]).categories.length).toBeGreaterThan(0);
  });
});

describe('calibration', () => {
  it('maps over-confident scores down to the observed accuracy', () => {
    // Scores say 0.90–0.99, but at every score only 70 % are right.
    const raw = Array.from({ length: 400 }, (_, i) => 0.9 + (Math.floor(i / 10) % 10) / 100);
    const correct = raw.map((_, i) => i % 10 < 7);
    const platt = fitPlatt(raw, correct);
    expect(applyPlatt(platt, 0.95)).toBeGreaterThan(0.6);
    expect(applyPlatt(platt, 0.95)).toBeLessThan(0.8);
  });

  it('is the identity without enough points, and never says 0 or 1', () => {
    const platt = fitPlatt([0.7], [true]);
    expect(applyPlatt(platt, 0.7)).toBeCloseTo(0.7, 5);
    expect(applyPlatt(platt, 1)).toBeLessThanOrEqual(0.99);
    expect(applyPlatt(platt, 0)).toBeGreaterThanOrEqual(0.01);
  });
});

describe('metrics', () => {
  const o = (expected: string[], predicted: string[], confidence = 0.9): Outcome => ({
    question: 'challenges',
    lang: 'fi',
    expected,
    predicted,
    confidence,
    text: '',
  });

  it('computes exact match and micro-/macro-F1', () => {
    const s = scoreSet([o(['a', 'b'], ['a', 'b']), o(['a'], ['a', 'c']), o(['b'], [])]);
    expect(s.exact).toBeCloseTo(1 / 3);
    // tp 3, fp 1, fn 1 → micro F1 = 6 / 8
    expect(s.microF1).toBeCloseTo(0.75);
    // per category: a (tp 2) F1 1; b (tp 1, fn 1) F1 2/3; c (fp 1) F1 0
    expect(s.macroF1).toBeCloseTo(5 / 9, 5);
  });

  it('buckets by confidence', () => {
    const rows = calibration([o(['a'], ['a'], 0.95), o(['a'], ['b'], 0.97), o(['a'], ['a'], 0.5)]);
    const top = rows.find((r) => r.from === 0.95);
    expect(top?.n).toBe(2);
    expect(top?.accuracy).toBe(0.5);
  });

  it('takes percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
  });
});
