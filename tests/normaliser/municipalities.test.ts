import { describe, expect, it } from 'vitest';
import { inflectedForms } from '../../src/normaliser/finnish-inflection.js';
import { loadMunicipalityFiles, MunicipalityMatcher } from '../../src/normaliser/municipalities.js';
import { DEFAULT_DATA_DIR } from '../../src/normaliser/data.js';

const files = loadMunicipalityFiles(DEFAULT_DATA_DIR);
const matcher = new MunicipalityMatcher(files.municipalities, files.aliases);

describe('data/municipalities.json', () => {
  it('holds all 309 municipalities of 2021 with unique codes and names', () => {
    const list = files.municipalities.municipalities;
    expect(list).toHaveLength(309);
    expect(files.municipalities.count).toBe(309);
    expect(new Set(list.map((m) => m.code)).size).toBe(309);
    expect(new Set(list.map((m) => m.name)).size).toBe(309);
    expect(list.find((m) => m.name === 'Helsinki')?.nameSv).toBe('Helsingfors');
  });

  it('aliases point at official names only', () => {
    const names = new Set(files.municipalities.municipalities.map((m) => m.name));
    for (const target of Object.values(files.aliases.aliases)) expect(names.has(target), target).toBe(true);
  });
});

describe('Finnish inflected forms', () => {
  it.each([
    ['Lahti', ['lahdessa', 'lahden', 'lahteen', 'lahdesta']],
    ['Seinäjoki', ['seinäjoelta', 'seinäjoella', 'seinäjoen']],
    ['Helsinki', ['helsingistä', 'helsingissä', 'helsinkiin']],
    ['Turku', ['turussa', 'turusta', 'turun', 'turkuun']],
    ['Kauniainen', ['kauniaisista', 'kauniaisissa', 'kauniaisten']],
    ['Uusikaupunki', ['uudestakaupungista', 'uudessakaupungissa', 'uudenkaupungin', 'uuttakaupunkia']],
    ['Tampere', ['tampereelta', 'tampereella', 'tampereen']],
    ['Lappeenranta', ['lappeenrannasta', 'lappeenrannan']],
    ['Orivesi', ['orivedellä', 'oriveden']],
    ['Jyväskylä', ['jyväskylässä', 'jyväskylästä']],
  ])('%s', (name, forms) => {
    const generated = inflectedForms(name);
    for (const form of forms) expect(generated).toContain(form);
  });
});

describe('MunicipalityMatcher', () => {
  it.each([
    // inflection and consonant gradation
    ['Lahdessa', 'Lahti'],
    ['Seinäjoelta', 'Seinäjoki'],
    ['Helsingistä', 'Helsinki'],
    ['Tampereelta', 'Tampere'],
    ['Vantaalla', 'Vantaa'],
    ['Porista', 'Pori'],
    ['Uudestakaupungista', 'Uusikaupunki'],
    ['Kauniaisista', 'Kauniainen'],
    ['Rovaniemellä olen töissä', 'Rovaniemi'],
    // "X:n kaupunki", English and labelled forms, sentences
    ['Espoon kaupunki', 'Espoo'],
    ['City of Oulu', 'Oulu'],
    ['Kaupunki: Turku', 'Turku'],
    ['based in turku', 'Turku'],
    ['Valkeakoski (Pirkanmaa region)', 'Valkeakoski'],
    ['Kempeleen kunta', 'Kempele'],
    // Swedish names
    ['Åbo', 'Turku'],
    ['Esbo', 'Espoo'],
    ['Vanda', 'Vantaa'],
    ['Helsingfors', 'Helsinki'],
    ['Tammerfors', 'Tampere'],
    ['Uleåborg', 'Oulu'],
    ['Björneborg', 'Pori'],
    ['Villmanstrand', 'Lappeenranta'],
    ['Tavastehus', 'Hämeenlinna'],
    ['Borgå', 'Porvoo'],
    ['Vasa', 'Vaasa'],
    // abbreviations and old names
    ['Hki', 'Helsinki'],
    ['Jkl', 'Jyväskylä'],
    ['Tre', 'Tampere'],
    ['Lpr', 'Lappeenranta'],
    ['Nastola', 'Lahti'],
    ['pääkaupungista', 'Helsinki'],
    ['the capital', 'Helsinki'],
    // missing diacritics and typos
    ['Jyvaskyla', 'Jyväskylä'],
    ['Hameenlinnasta', 'Hämeenlinna'],
    ['Tamprere', 'Tampere'],
    ['Kuoppio', 'Kuopio'],
    ['Espo', 'Espoo'],
    ["I'm from Rovanemi", 'Rovaniemi'],
  ])('%s → %s', (text, expected) => {
    expect(matcher.match(text).name).toBe(expected);
  });

  it.each(['Varsinais-Suomi', 'Pirkanmaalla', 'Finland', 'n/a', 'ei kuulu teille', 'pääkaupunkiseudulta'])('%s names no municipality', (text) => {
    expect(matcher.match(text).name).toBeUndefined();
  });

  it('says a region alone is a region', () => {
    expect(matcher.match('Uusimaa').regionOnly).toBe(true);
  });

  it('prefers an exact name to a typo of another and is less sure of typos', () => {
    const exact = matcher.match('Kuopio');
    const typo = matcher.match('Kuoppio');
    expect(exact.name).toBe('Kuopio');
    expect(typo.confidence).toBeLessThan(exact.confidence);
  });

  it('trusts a common word only when it looks like a name', () => {
    expect(matcher.match('Salon kaupunki').name).toBe('Salo');
    expect(matcher.match('Kotka').name).toBe('Kotka');
  });
});
