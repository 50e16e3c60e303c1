import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirror } from '../../src/reports/mirror.js';
import { loadWaves } from '../../src/waves/registry.js';
import { baselineWave, collectedWave, response } from './fixtures.js';

const waves = loadWaves(path.join(os.tmpdir(), 'no-such-digikysely-dir'));
const espoo = response('Espoo', { answers: { responsibility: ['business_units'], rpa: ['planned'], challenges: ['funding', 'agility'] } });

describe('mirror', () => {
  it('compares the answers with the published 2016 and 2018 figures, in English', () => {
    expect(mirror(espoo, waves, 'en')).toEqual([
      'In 2016, 75 % of cities said IT management leads digitalisation; you said: The sectors themselves.',
      'In 2018, 57 % of cities (8 of 14) said IT management leads digitalisation; you said: The sectors themselves.',
      'In 2018, 7 % of cities (1 of 14) said of software robotics: "Not considered in the strategy"; you said: Planned or being assessed.',
    ]);
  });

  it('speaks Finnish, and says so when a question was not answered', () => {
    const oulu = response('Oulu', { answers: { responsibility: null } });
    expect(mirror(oulu, waves.list(), 'fi')).toEqual([
      'Vuonna 2016 kaupungeista 75 % kertoi, että digitalisaatiota johtaa tietohallinto; te vastasitte: ei vastausta.',
      'Vuonna 2018 kaupungeista 57 % (8/14) kertoi, että digitalisaatiota johtaa tietohallinto; te vastasitte: ei vastausta.',
      'Vuonna 2018 kaupungeista 7 % (1/14) vastasi ohjelmistorobotiikasta: ”Ei huomioitu strategiassa”; te vastasitte: ei vastausta.',
    ]);
  });

  it('uses published aggregates only: collected waves never appear, whatever they hold', () => {
    const list = [...waves.list(), collectedWave('2024', 'closed')];
    const lines = mirror(espoo, list, 'en');
    expect(lines).toHaveLength(3);
    expect(lines.join(' ')).not.toMatch(/2024|2026/);
  });

  it('lists several answers of a multi question and uses the generic sentence for other questions', () => {
    const published = baselineWave('2020', { n: 12, questions: { challenges: { n: 12, counts: { funding: 9 } } } });
    expect(mirror(espoo, [published], 'en')).toEqual([
      'In 2020, 75 % of cities (9 of 12) answered "Funding" to "Biggest challenges"; you said: Funding, Agile, efficient ways of working.',
    ]);
    expect(mirror(espoo, [published], 'fi')[0]).toBe(
      'Vuonna 2020 kaupungeista 75 % (9/12) vastasi kysymykseen ”Suurimmat haasteet”: ”Rahoitus”; te vastasitte: Rahoitus, Ketterät ja tehokkaat toimintatavat.',
    );
  });

  it('is empty when nothing was published', () => {
    expect(mirror(espoo, [collectedWave('2026')], 'fi')).toEqual([]);
    expect(mirror(espoo, [baselineWave('2019', { questions: { rpa: { counts: { planned: 3 } } } })], 'en')).toEqual([]);
  });
});
