/**
 * Goal data words as modifiers (data/cues/goals.json, `~the data`, `~our data`, `~numbers`,
 * `~figures`): "our data" beside another goal in its clause describes that goal's thing
 * ("selling our data to companies"), alone it is data-driven management.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/normaliser/analysis.js';
import { CueLexicon } from '../../src/normaliser/cues.js';
import { DEFAULT_DATA_DIR, loadCueFile } from '../../src/normaliser/data.js';
import { negationModes } from '../../src/normaliser/train.js';

const file = loadCueFile(DEFAULT_DATA_DIR, 'goals');
if (!file) throw new Error('no goals cue file');
const lexicon = new CueLexicon(file);
const cues = (text: string) => analyse(text, lexicon, negationModes('goals'), 'en').cues.map((c) => c.cue);

describe('goal data modifiers', () => {
  it('names data-driven management when nothing else is named in the clause', () => {
    expect(cues('Put our data and the numbers to work.')).toEqual(expect.arrayContaining(['data_driven:en:~our data', 'data_driven:en:~numbers']));
  });

  it('describes another goal named in the same clause', () => {
    const hits = cues('New revenue for the city from our data.');
    expect(hits).toContain('business_model_renewal:en:new revenue');
    expect(hits.filter((c) => c.startsWith('data_driven:en:'))).toEqual([]);
  });
});
