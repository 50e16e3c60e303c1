/**
 * Table tests: real-looking answers per question and language, written for these tests (not
 * taken from the training, held-out or dev sets). Clear cases only: each row is an answer a
 * person would code the same way; the model must get them all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Normaliser, QuestionId } from '../../src/core/types.js';
import { createNormaliser } from '../../src/normaliser/index.js';

let normaliser: Normaliser;
beforeAll(() => {
  normaliser = createNormaliser();
});

type Row = [text: string, expected: string[]];

function table(question: QuestionId, lang: 'fi' | 'en', rows: Row[]): void {
  describe(`${question} (${lang})`, () => {
    it.each(rows)('%s → %j', (text, expected) => {
      const result = normaliser.normalise({ question, text, lang });
      expect([...result.categories].sort()).toEqual([...expected].sort());
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
    });
  });
}

table('role', 'fi', [
  ['Olen kaupunginjohtaja.', ['mayor']],
  ['kunnanjohtaja', ['mayor']],
  ['Toimin apulaispormestarina', ['mayor']],
  ['tietohallintojohtaja', ['cio']],
  ['ICT-päällikkö', ['cio']],
  ['digijohtaja', ['cdo']],
  ['sivistystoimen johtaja', ['sector_director']],
  ['kehittämispäällikkö', ['development']],
  ['Strategiajohtaja kaupunginkansliassa', ['development']],
  ['kaupunginsihteeri', ['other']],
  ['hankintajohtaja', ['other']],
  ['tietohalintojohtaja', ['cio']], // typo
]);

table('role', 'en', [
  ['I am the mayor', ['mayor']],
  ['Deputy mayor', ['mayor']],
  ['CIO', ['cio']],
  ['Head of ICT', ['cio']],
  ['Chief digital officer', ['cdo']],
  ['Director of education', ['sector_director']],
  ['Chief strategy officer', ['development']],
  ['Finance director', ['other']],
]);

table('strategy', 'fi', [
  ['Kyllä, digitalisaatio on yksi kaupungin päätavoitteista.', ['main_goal']],
  ['On mukana strategiassa, mutta lähinnä keinona, ei tavoitteena.', ['part_of_strategy']],
  ['Digitalisaatio hoidetaan erillisinä teknisinä projekteina.', ['projects_only']],
  ['Ei mainita strategiassa lainkaan.', ['not_in_strategy']],
  ['Strategiassa ei ole digitalisaatiota ollenkaan.', ['not_in_strategy']],
  // "Not really (a main goal)" with what it is instead: a side clause of the strategy.
  ['ei oikeastaan, se on pikemminkin sivulause strategiassa', ['part_of_strategy']],
]);

table('strategy', 'en', [
  ['Yes, it is one of our main strategic goals.', ['main_goal']],
  ['It is in the strategy, but only as a tool, not a goal in itself.', ['part_of_strategy']],
  ['We handle it as separate IT projects.', ['projects_only']],
  ['Not mentioned in the strategy at all.', ['not_in_strategy']],
  // A programme that carries out the strategy, or digital as an unnamed thread: a means.
  ["There's a digital programme that implements the strategy.", ['part_of_strategy']],
  ["It's implicit in everything but not named.", ['part_of_strategy']],
]);

table('responsibility', 'fi', [
  ['Tietohallinto vetää digitalisaatiota.', ['it_management']],
  ['Kaupunginjohtaja ja konsernihallinto.', ['city_management']],
  ['Meillä on erillinen digitalisaatioyksikkö.', ['digital_unit']],
  ['Jokainen toimiala vastaa itse omasta digitalisaatiostaan.', ['business_units']],
  ['Vastuu on jaettu, yhteinen ohjausryhmä ohjaa.', ['shared']],
  // Two owners named, and that they share it: shared, not the first one named.
  ['tietohallinto ja kaupungin johto jakavat vastuun', ['shared']],
]);

table('responsibility', 'en', [
  ['The IT department leads it.', ['it_management']],
  ["The mayor's office and central administration.", ['city_management']],
  ['A dedicated digital unit under the chief digital officer.', ['digital_unit']],
  ['Each service sector handles its own digitalisation.', ['business_units']],
  ['It is shared: a joint steering group.', ['shared']],
  ['IT and the city management share it', ['shared']],
]);

table('rpa', 'fi', [
  ['Ohjelmistorobotiikkaa ei ole harkittu.', ['not_considered']],
  ['Ei ole ollut agendalla.', ['not_considered']],
  ['Robotiikkaa suunnitellaan, selvitys on käynnissä.', ['planned']],
  ['Pilotoimme parhaillaan kahta robottia.', ['piloting']],
  ['Meillä pyörii jo kuusi robottia laskutuksessa tuotannossa.', ['in_production']],
  ['Robotit ovat tuotantokäytössä ja laajennamme käyttöä.', ['in_production']],
]);

table('rpa', 'en', [
  ['It has not been considered at all.', ['not_considered']],
  ['We are planning it for next year.', ['planned']],
  ['We are running a pilot in payroll.', ['piloting']],
  ['Robots are in production and we are scaling up.', ['in_production']],
]);

table('challenges', 'fi', [
  ['Rahoitus.', ['funding']],
  ['Järjestelmäintegraatioiden kalleus', ['integrations']],
  ['Muutosjohtaminen ja osaajapula', ['change_management', 'talent_attraction']],
  ['Resurssien allokointi, muutosvastarinta ja tietoturva.', ['competence_resources', 'change_management', 'data_security']],
  ['Sote-uudistus vie kaiken huomion.', ['sote_reform']],
  ['Operatiiviset tehtävät vievät kaiken ajan.', ['operational_load']],
  ['Hidas päätöksenteko ja siilot.', ['agility']],
  ['Rahoitus ei ole ongelma, mutta osaajien rekrytointi on.', ['talent_attraction']],
  ['Tietoturva on kunnossa. Integraatiot ovat suurin haaste.', ['integrations']],
  ['rahotus ja jarjestelmaintegraatiot', ['funding', 'integrations']], // typo, no ä
  ['Budjettileikkaukset', ['funding']],
]);

table('challenges', 'en', [
  ['Funding.', ['funding']],
  ['Legacy systems and integrations.', ['integrations']],
  ['Change management, recruiting talent and cybersecurity.', ['change_management', 'talent_attraction', 'data_security']],
  ["Money isn't the issue; the lack of skilled staff is.", ['competence_resources']],
  // Operational load and thin know-how in own words; spending time is not spending money.
  ['The team is busy putting out fires.', ['operational_load']],
  ['Spending all our time on maintenance.', ['operational_load']],
  ['Knowledge of the new tools is thin.', ['competence_resources']],
  ["Not money, really. It's that nobody has the time because the day job swallows everyone.", ['operational_load']],
  ['Day-to-day operations take all our time.', ['operational_load']],
  ['The health and social services reform.', ['sote_reform']],
  ['Slow decision-making and silos.', ['agility']],
  ['Budget cuts and GDPR.', ['funding', 'data_security']],
]);

table('projects', 'fi', [
  ['Varhaiskasvatuksen oppimisalusta', ['education']],
  ['Sähköinen asiointi ja chatbot', ['e_services']],
  ['3D-kaupunkimalli', ['city_model']],
  ['Ohjelmistorobotiikan käyttöönotto', ['rpa']],
  ['Tiedolla johtaminen ja avoin data', ['data_analytics']],
  ['Etävastaanotot terveysasemilla', ['health_social']],
  ['Älykaupunki: sensorit ja liikenteen ohjaus', ['smart_city']],
  ['Sähköinen arkistointi ja asianhallinta', ['internal_processes']],
  ['Koulujen oppimisalusta ja 3D-kaupunkimalli', ['education', 'city_model']],
  ['Tekoälyä ei vielä hyödynnetä, mutta sähköinen arkistointi etenee.', ['internal_processes']],
]);

table('projects', 'en', [
  ['A new learning platform for schools', ['education']],
  ['Online services for residents', ['e_services']],
  ['A digital twin of the city', ['city_model']],
  ['Software robots (RPA)', ['rpa']],
  ['Data analytics and AI', ['data_analytics']],
  ['Telehealth for the elderly', ['health_social']],
  ['Smart city sensors and mobility', ['smart_city']],
  ['Document management and HR systems', ['internal_processes']],
]);

table('sote_impact', 'fi', [
  ['Uudistus vie samat resurssit.', ['resources']],
  ['Kuntien välinen yhteistyö vaikeutuu.', ['cooperation']],
  ['Palvelujen väliin syntyy katvealueita.', ['service_gaps']],
  ['Epävarmuus, kaikki on jäissä odottamassa päätöksiä.', ['uncertainty']],
  ['Mahdollisuus uudistaa ja yhtenäistää järjestelmiä.', ['opportunity']],
  ['Ei vaikutusta.', ['no_impact']],
]);

table('sote_impact', 'en', [
  ['It takes the same resources.', ['resources']],
  ['Cooperation between municipalities gets harder.', ['cooperation']],
  ['Gaps open between service areas.', ['service_gaps']],
  ['Uncertainty; decisions are on hold.', ['uncertainty']],
  ['A chance to harmonise our systems.', ['opportunity']],
  ['No impact.', ['no_impact']],
]);

table('goals', 'fi', [
  ['Asukkaiden palvelu ja asiakaskokemus', ['citizen_services']],
  ['Tuottavuus ja kustannussäästöt', ['efficiency']],
  ['Palvelujen käytettävyys ja saavutettavuus', ['usability']],
  ['Tiedolla johtaminen', ['data_driven']],
  ['Elinvoima ja yritysten houkuttelu', ['vitality']],
  ['Tehokkuus ja tiedolla johtaminen', ['efficiency', 'data_driven']],
  // Statistics and research named without "data" (before the cue: read as efficiency).
  ['Tilastot ja tutkimustieto päättäjien käyttöön.', ['data_driven']],
]);

table('goals', 'en', [
  ['Better services for residents', ['citizen_services']],
  ['Productivity and cost savings', ['efficiency']],
  ['Usability and accessibility', ['usability']],
  // Ease of use in own words ("manual" here is a user guide, not manual work).
  ['Nobody should need a manual to use our services.', ['usability']],
  ['Less clicking, fewer logins, one account for everything.', ['usability']],
  ['Services that anticipate needs instead of reacting.', ['citizen_services']],
  ['Shorter handling times for permits.', ['citizen_services']],
  ['Evidence-informed policy.', ['data_driven']],
  ['Data-driven management', ['data_driven']],
  // "clear" here is a view of the services, not clear wording (before the cue: usability).
  ['A clear picture of how every service is performing.', ['data_driven']],
  ['Vitality and a good business environment', ['vitality']],
  ['New business models and the city as a platform', ['business_model_renewal']],
]);

// Multi-label answers whose categories are named without the lexicon's cue words, cost and pace
// words that only describe another category's thing, and negated or "fine" mentions.
table('challenges', 'fi', [
  ['Kalliit ja hitaat rajapinnat toimittajien kanssa.', ['integrations']],
  ['Jokainen liittymä vanhaan potilasjärjestelmään maksaa maltaita.', ['integrations']],
  ['Hinta. Kaikki maksaa aivan liikaa.', ['funding']],
  ['Rahaa kyllä löytyisi, mutta tekijöitä ei ole.', ['competence_resources']],
  ['Osaajista ei ole ollut pulaa, mutta päätökset junnaavat lautakunnissa.', ['agility']],
  ['Budjetti on kunnossa; ylläpito vie kaikki tunnit.', ['operational_load']],
  ['Ei raha, vaan se että osaavia tekijöitä on liian vähän.', ['competence_resources']],
  ['Emme tiedä, mihin määrärahat riittävät ensi vuonna.', ['funding']],
]);

table('challenges', 'en', [
  ['Integrations are pricey and slow.', ['integrations']],
  ['The price tag. Everything costs too much.', ['funding']],
  ["We're not short of money, but nobody applies for our IT jobs.", ['talent_attraction']],
  ['Cooperation between sectors works pretty well; cyber threats worry us.', ['data_security']],
  ["We don't lack funding. We lack people who can run the projects.", ['competence_resources']],
  ['Not enough money, but the bigger problem is skills.', ['competence_resources', 'funding']], // a shortage, not a correction
]);

table('sote_impact', 'fi', [
  ['Naapurikuntien kanssa yhteistyö toimii yhä hyvin, mutta väki on kiinni siirtotöissä.', ['resources']],
]);

table('sote_impact', 'en', [
  ["Resources haven't been short, but the waiting has frozen decisions.", ['uncertainty']],
  ['Carried on as before, but the waiting slowed decisions.', ['uncertainty']], // no_impact never stands beside an effect
  ['Barely any, our work went on as planned.', ['no_impact']],
]);

describe("don't know and declines", () => {
  const questions: QuestionId[] = ['role', 'strategy', 'responsibility', 'rpa', 'challenges', 'projects', 'sote_impact', 'goals', 'city'];
  const answers = ['en osaa sanoa', 'EOS', 'En tiedä.', 'kerron myöhemmin', 'skip', 'n/a', 'pass', "I don't know", 'No idea, sorry.', '', '   ', '-', '?'];
  it.each(answers)('%j gives no category, marked dontKnow, for every question', (text) => {
    for (const question of questions) {
      const r = normaliser.normalise({ question, text });
      expect(r.categories, `${question}: ${text}`).toEqual([]);
      expect(r.dontKnow, `${question}: ${text}`).toBe(true);
    }
  });

  const declines = [
    'Ei mitään sanottavaa tähän kysymykseen.',
    'Nothing to add from me.',
    "That's outside my remit, sorry.",
    'En ole asiasta ihan kartalla.',
    'Olen sen verran uusi, etten osaa sanoa.',
    "No idea, you'd have to ask IT.",
    'En tiedä, kysykää tietohallinnosta.',
    'No idea about the budget side.',
    'En tiedä rahoituksesta mitään.',
  ];
  it.each(declines)('%j declines for every categorised question (fi, en)', (text) => {
    for (const question of questions.filter((q) => q !== 'city')) {
      const r = normaliser.normalise({ question, text });
      expect(r.categories, `${question}: ${text}`).toEqual([]);
      expect(r.dontKnow, `${question}: ${text}`).toBe(true);
    }
  });

  it('does not take a sure multi-label answer for a don\'t-know because of one word ("no", "answers")', () => {
    const r = normaliser.normalise({ question: 'sote_impact', text: 'Vei väkeä, jätti aukkoja palveluihin ja kukaan ei tiedä mitä seuraavaksi.' });
    expect(r.dontKnow).toBeFalsy();
    expect(r.categories).toContain('resources');
  });

  it('is not "other"', () => {
    expect(normaliser.normalise({ question: 'challenges', text: 'en osaa sanoa' }).categories).not.toContain('other');
  });

  it('keeps a category named beside the hesitation', () => {
    const r = normaliser.normalise({ question: 'challenges', text: 'En ole varma, mutta ainakin rahoitus.' });
    expect(r.categories).toEqual(['funding']);
    expect(r.dontKnow).toBeFalsy();
  });

  it.each(['Not that I know of.', 'Ei tietääkseni.', "I don't think so.", 'Ei.'])(
    '%j is a (hedged) no: rpa not_considered, sote_impact no_impact, not a don\u2019t-know',
    (text) => {
      expect(normaliser.normalise({ question: 'rpa', text }).categories).toEqual(['not_considered']);
      expect(normaliser.normalise({ question: 'sote_impact', text }).categories).toEqual(['no_impact']);
    },
  );

  it('keeps "pass" and "later" inside an answer from reading as a skip', () => {
    for (const text of ['We decided to pass on robotics.', 'Robotics was left for later.']) {
      expect(normaliser.normalise({ question: 'rpa', text }).dontKnow, text).toBeFalsy();
    }
    expect(normaliser.normalise({ question: 'rpa', text: "I'll pass." }).dontKnow).toBe(true);
  });

  it('reads "ei ole harkittu" as an rpa answer, not a don\'t-know', () => {
    const r = normaliser.normalise({ question: 'rpa', text: 'Ei ole harkittu.' });
    expect(r.categories).toEqual(['not_considered']);
  });
});

describe('answers in their own language', () => {
  it('detects the answer language whatever the interface language', () => {
    expect(normaliser.normalise({ question: 'challenges', text: 'Funding and skills', lang: 'fi' }).lang).toBe('en');
    expect(normaliser.normalise({ question: 'challenges', text: 'Rahoitus ja osaaminen', lang: 'en' }).lang).toBe('fi');
  });

  it('codes a mixed Finnish/English answer', () => {
    const r = normaliser.normalise({ question: 'challenges', text: 'Sote-uudistus and legacy integrations' });
    expect([...r.categories].sort()).toEqual(['integrations', 'sote_reform']);
  });

  it('gives ranked candidates for the pick buttons', () => {
    const r = normaliser.normalise({ question: 'rpa', text: 'robotiikka' });
    expect(r.candidates?.length).toBe(4);
    const scores = (r.candidates ?? []).map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('is more confident about a plain cue word than about a vague answer', () => {
    const clear = normaliser.normalise({ question: 'challenges', text: 'Rahoitus.' });
    const vague = normaliser.normalise({ question: 'challenges', text: 'Kaikenlaista pientä sieltä täältä.' });
    expect(clear.confidence).toBeGreaterThan(vague.confidence);
  });

  it('does not categorise comments', () => {
    expect(normaliser.normalise({ question: 'comments', text: 'Kiitos, hyvä kysely!' })).toMatchObject({ categories: [], confidence: 1 });
  });

  it('names the question when it is unknown', () => {
    expect(() => normaliser.normalise({ question: 'nope' as QuestionId, text: 'x' })).toThrow(/nope/);
  });
});

describe('city answers through the normaliser', () => {
  it.each([
    ['Lahdessa', 'Lahti'],
    ['Espoon kaupunki', 'Espoo'],
    ['City of Tampere', 'Tampere'],
    ['Jyvaskyla', 'Jyväskylä'],
    ['Åbo', 'Turku'],
  ])('%s → %s', (text, name) => {
    expect(normaliser.normalise({ question: 'city', text }).categories).toEqual([name]);
  });

  it.each(['Varsinais-Suomi', 'en kerro', 'n/a'])('%s → no city', (text) => {
    expect(normaliser.normalise({ question: 'city', text }).categories).toEqual([]);
  });
});
