/**
 * The `_not_typos` masks of the real lexicons (data/cues/README.md): correctly written words that
 * the typo pass read as a cue one edit away ("päätöksenteko" as other's "päästö", "tietohallinto"
 * as integrations' "tietomalli", "kautta" as city_model's "kartta") must name nothing, while real typos still match.
 */
import { describe, expect, it } from 'vitest';
import type { QuestionId } from '../../src/core/types.js';
import { CueLexicon } from '../../src/normaliser/cues.js';
import { DEFAULT_DATA_DIR, loadCueFile } from '../../src/normaliser/data.js';
import { tokenizeWithOffsets } from '../../src/normaliser/text.js';

function hitsOf(question: QuestionId): (text: string) => string[] {
  const file = loadCueFile(DEFAULT_DATA_DIR, question);
  if (!file) throw new Error(`no cue file for ${question}`);
  const lexicon = new CueLexicon(file);
  return (text) => [...new Set(lexicon.match(tokenizeWithOffsets(text), true).map((h) => h.category))];
}

describe('typo masks', () => {
  const lexicons: Record<string, (text: string) => string[]> = {
    goals: hitsOf('goals'),
    challenges: hitsOf('challenges'),
    projects: hitsOf('projects'),
    sote_impact: hitsOf('sote_impact'),
  };
  const goals = lexicons.goals as (text: string) => string[];
  const challenges = lexicons.challenges as (text: string) => string[];

  it.each([
    ['goals', 'päätöksenteko'],
    ['goals', 'paatokset'],
    ['goals', 'leadership'],
    ['goals', 'working'],
    ['goals', 'contracts'],
    ['goals', 'muuttaminen'],
    ['goals', 'vastustavat'],
    ['challenges', 'tietohallinto'],
    ['challenges', 'ohjelmistorobotiikka'],
    ['challenges', 'experience'],
    ['challenges', 'chance'],
    ['challenges', 'talossa'],
    ['projects', 'kautta'],
    ['projects', 'liikuntapalvelut'],
    ['projects', 'hallintaan'],
    ['projects', 'changing'],
    ['sote_impact', 'change'],
    ['sote_impact', 'kehittäminen'],
  ])('%s: "%s" is no typo of a cue', (question, word) => {
    expect(lexicons[question]?.(word)).toEqual([]);
  });

  it('still reads real typos and keeps the cues the masks overlap', () => {
    expect(goals('tehokkuutta ja paastojen vahentaminen')).toEqual(['efficiency', 'other']);
    expect(goals('efficiancy')).toEqual(['efficiency']);
    expect(challenges('intergaatiot')).toEqual(['integrations']);
    expect(challenges('hidas päätöksenteko')).toContain('agility');
    expect(lexicons.projects?.('työkalut')).toEqual(['internal_processes']);
    expect(lexicons.sote_impact?.('kehittämisrahaa vähemmän')).toContain('resources');
  });
});
