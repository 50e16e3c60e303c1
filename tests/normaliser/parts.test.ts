/** The normaliser's parts: tokens, stemmers in natural's shape, language, don't-know rules, negation, cues. */
import { BayesClassifier } from 'natural/lib/natural/classifiers/index.js';
import type { Stemmer } from 'natural/lib/natural/stemmers/index.js';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/normaliser/analysis.js';
import { CueLexicon } from '../../src/normaliser/cues.js';
import { dontKnowRemainder, isDontKnow, isHedgedNo } from '../../src/normaliser/dont-know.js';
import { detectLanguage } from '../../src/normaliser/index.js';
import { textFeatures } from '../../src/normaliser/features.js';
import { markClauses } from '../../src/normaliser/negation.js';
import { englishStemmer, finnishStemmer } from '../../src/normaliser/stemmer.js';
import { fold, prepareText, tokenize, tokenizeWithOffsets, withinOneEdit } from '../../src/normaliser/text.js';

describe('text', () => {
  it('tokenises Unicode words whole (natural splits "päivä" into p, iv)', () => {
    expect(tokenize('Päivähoidon järjestelmä-integraatiot, 3D!')).toEqual(['päivähoidon', 'järjestelmä', 'integraatiot', '3d']);
  });

  it('folds diacritics so a keyboard without ä/ö meets the lexicon', () => {
    expect(fold('Määrärahat Åbo')).toBe('maararahat abo');
  });

  it('expands contractions so the negation is a token', () => {
    expect(tokenize("Money isn't the issue, we can't")).toEqual(['money', 'is', 'not', 'the', 'issue', 'we', 'can', 'not']);
  });

  it.each([
    ['rahoitu', 'rahotu', true],
    ['integrat', 'intergat', true],
    ['kuopio', 'kuoppio', true],
    ['abc', 'abc', true],
    ['rahoitu', 'rahotsu', false],
    ['abc', 'abcde', false],
  ])('withinOneEdit(%s, %s) = %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
  });
});

describe('stemmers in natural\u2019s interface', () => {
  it('stems Finnish inflections to one stem', () => {
    expect(finnishStemmer.stem('järjestelmäintegraatioiden')).toBe(finnishStemmer.stem('järjestelmäintegraatio'));
    expect(finnishStemmer.tokenizeAndStem('Rahoitus ja osaaminen')).toEqual([finnishStemmer.stem('rahoitus'), finnishStemmer.stem('osaaminen')]);
  });

  it('plugs into natural\u2019s BayesClassifier', () => {
    // natural's Stemmer type lists stop-word helpers its classifiers never call; stem + tokenizeAndStem is what they use.
    const classifier = new BayesClassifier(finnishStemmer as unknown as Stemmer);
    classifier.addDocument('rahoitus ja budjetti', 'funding');
    classifier.addDocument('rahoituksen puute', 'funding');
    classifier.addDocument('tietoturva ja tietosuoja', 'data_security');
    classifier.addDocument('tietoturvan riskit', 'data_security');
    classifier.train();
    expect(classifier.classify('rahoitusta ei ole')).toBe('funding');
    expect(classifier.classify('tietoturvan ongelmat')).toBe('data_security');
  });

  it('keeps stop words only when asked', () => {
    expect(englishStemmer.tokenizeAndStem('the budgets are cut')).toEqual(['budget', 'cut']);
    expect(englishStemmer.tokenizeAndStem('the budgets', true)).toEqual(['the', 'budget']);
  });
});

describe('detectLanguage', () => {
  it.each([
    ['Rahoitus ja osaaminen ovat haasteita', 'fi'],
    ['Funding and skills are the challenges', 'en'],
    ['Järjestelmäintegraatiot', 'fi'],
    ['Integrations', 'en'],
    ['Meillä on legacy-järjestelmiä', 'fi'],
    ['We have a sote reform going on', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('falls back to the hint when the text gives no sign', () => {
    expect(detectLanguage('OK', 'en')).toBe('en');
    expect(detectLanguage('OK', 'fi')).toBe('fi');
    expect(detectLanguage('123')).toBe('fi');
  });
});

describe('isDontKnow (rules)', () => {
  it.each(['en osaa sanoa', 'EOS', 'En tiedä.', 'kerron myöhemmin', 'Jätän tämän väliin', 'skip', 'pass', 'n/a', "I don't know", 'No idea', 'Not sure, sorry', "I'd rather not answer", '', '-', '?', '...'])(
    '%j is a don\u2019t-know',
    (text) => {
      expect(isDontKnow(text)).toBe(true);
    },
  );

  it.each(['Ei mitään sanottavaa.', 'Nothing to add.', 'Outside my area, sorry.', 'Olen uusi, etten tiedä.', 'En ole tästä oikein perillä.', 'Nothing springs to mind.'])(
    '%j is a decline too',
    (text) => {
      expect(isDontKnow(text)).toBe(true);
    },
  );

  it.each(['En oikein tiedä.', 'Mulla ei oo mitään hajua.', 'ei osaa sanoo', 'Ei kantaa.', 'Siitä en ole kuullut mitään.', "That's above my pay grade.", "I'm not in a position to say.", "Haven't a clue.", "I don't have that information.", "I'll leave that one."])(
    '%j is a decline (adverbs, colloquial and indirect phrasings)',
    (text) => {
      expect(isDontKnow(text)).toBe(true);
    },
  );

  it.each(['Tää ei oo mun heiniä.', 'Emmä tiiä.', 'Tuohon en uskalla vastata.', 'Ei ole tiedossa.', "Honestly, I'm not the best person to ask.", 'Can I leave this out?', "That's for someone else to answer.", "Don't have enough insight into that.", 'Unclear to me.', 'Your guess is as good as mine.', 'En tiedä, olen ollut talossa vasta kuukauden.', "I've only been here a month, I don't know yet."])(
    '%j is a decline too (colloquial, indirect)',
    (text) => {
      expect(isDontKnow(text)).toBe(true);
    },
  );

  it.each(["I'm drawing a blank here.", "I'll have to defer to my colleagues on that.", "My knowledge doesn't stretch that far.", 'Out of my depth here.', 'Someone in the digital team would know better.', 'Tämä menee minulta ohi.', 'En ole seurannut tätä asiaa.', 'Minulla ei ole tästä riittävästi tietoa.'])(
    '%j declines in its own words',
    (text) => {
      expect(isDontKnow(text)).toBe(true);
    },
  );

  it.each(['Beyond my area, but I hear integrations are hard.', 'The information I have says budgets will be cut.', 'Nobody would know how the old systems work if Pekka left.'])(
    '%j answers despite a declining phrase',
    (text) => {
      expect(isDontKnow(text)).toBe(false);
    },
  );

  it.each(['Skip.', "I'll pass.", 'Let\u2019s skip this one.', "I'd rather skip.", 'Later.', "I'll answer this later.", 'Katson tämän myöhemmin.'])(
    '%j skips or postpones',
    (text) => {
      expect(isDontKnow(text)).toBe(true);
    },
  );

  it.each(['We decided to pass on robotics.', 'Robotics was left for later.', 'Things get pushed to later all the time.', 'Blank cheques for consultants.'])(
    '%j uses a skip word inside an answer: no rule',
    (text) => {
      expect(isDontKnow(text)).toBe(false);
    },
  );

  it('tells a hedged no from a don\u2019t-know', () => {
    for (const text of ['Not that I know of.', 'Not to my knowledge', 'Ei tietääkseni.', 'Ei minun tietääkseni', "I don't think so.", 'Ei.', 'Nope']) {
      expect(isHedgedNo(text), text).toBe(true);
    }
    for (const text of ['En tiedä.', "I don't know", 'No idea', 'Ei ole harkittu, mutta ehkä ensi vuonna']) expect(isHedgedNo(text), text).toBe(false);
  });

  it('keeps the words beside the declining phrase: a cue there may still name something', () => {
    expect(dontKnowRemainder('Ei mitään sanottavaa tähän.')).toEqual([]);
    expect(dontKnowRemainder('Nothing to say except funding')).toEqual(['except', 'funding']);
    expect(dontKnowRemainder('Rahoitus')).toBeUndefined();
  });

  it.each(['Rahoitus', 'Ei ole harkittu', 'En ole varma, mutta ainakin rahoitus', 'Not sure we have the budget for integrations next year', 'Funding', "We don't have the data to lead by knowledge", 'Kenelläkään ei ole tietoa siitä, kuka järjestelmät omistaa ja milloin päätökset tehdään.'])(
    '%j is an answer',
    (text) => {
      expect(isDontKnow(text)).toBe(false);
    },
  );

  it.each(["I've been in the role for two weeks.", 'Olen ollut tehtävässä vasta pari viikkoa.', 'Tämä on luottamuksellista.', 'En voi sanoa.', 'En jaksa vastata.', 'Ei koske minua.', 'Kysy ensi kerralla.', "I'm going to pass.", 'Not my wheelhouse.', 'What do you mean?', 'Jag vet inte.', "This is more the city secretary's area."])(
    '%j declines (sixth stand-in round)',
    (text) => {
      expect(isDontKnow(text)).toBe(true);
    },
  );

  it('drops who would know instead from the remainder, keeps what the answer names', () => {
    expect(dontKnowRemainder('En tiedä, tietohallinto tietää.')).toEqual([]);
    expect(dontKnowRemainder("Not sure, I'm from the education side.")).toEqual([]);
    expect(dontKnowRemainder('Don\u2019t know, someone else handles the sote side.')).toEqual([]);
    expect(dontKnowRemainder('Olen uusi digijohtaja.')).toEqual(['digijohtaja']);
  });

  it.each(['Ei kiinnosta tällä hetkellä.', 'Henkilöstö ei jaksa enää uusia muutoksia.', 'Luottamuksellisen tiedon suojaaminen.', 'Tietohallinto vetää, muut eivät tiedä.', 'Whatever we do, funding runs out.'])(
    '%j is still an answer (sixth stand-in round)',
    (text) => {
      expect(isDontKnow(text)).toBe(false);
    },
  );
});

describe('negation scope', () => {
  const marks = (text: string) => markClauses(tokenizeWithOffsets(text), prepareText(text));

  it('cuts clauses at punctuation and contrast words', () => {
    expect(marks('Rahoitus ei ole ongelma, mutta osaaminen on').clauseOf).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(marks('Rahoitus ei ole ongelma mutta osaaminen on').clauseOf).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(marks('Raha. Osaaminen').clauseOf).toEqual([0, 1]);
  });

  it('gives an English relative clause its own negation ("residents who are not online")', () => {
    const m = marks('Digital inclusion for residents who are not online');
    expect(m.clauseOf).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(m.negated).toEqual([false, true]);
    expect(marks('A vendor which barely supports the systems is not the problem').clauseOf.at(-1)).toBe(1);
    // "that" stays inside its clause: it is as often "so that" or "think that" as a relative.
    expect(marks('A culture that is not stuck in paper').negated).toEqual([true]);
  });

  it('marks "X is not a problem" but not "there is no money"', () => {
    expect(marks('Rahoitus ei ole ongelma').notAProblem).toEqual([true]);
    expect(marks("Money isn't the issue").notAProblem).toEqual([true]);
    expect(marks('Rahaa ei ole').notAProblem).toEqual([false]);
    expect(marks('Rahaa ei ole').negated).toEqual([true]);
  });

  it('marks a fine state without negation, and un-marks a negated one', () => {
    expect(marks('Tietoturva on kunnossa').notAProblem).toEqual([true]);
    expect(marks('Recruitment has gone well').notAProblem).toEqual([true]);
    expect(marks('Tietoturva ei ole kunnossa').notAProblem).toEqual([false]);
  });

  it('reads "not X but Y" / "ei X vaan Y" as X not being the problem', () => {
    expect(marks('Ei resurssit, vaan päätöksenteko').notAProblem).toEqual([true, false]);
    expect(marks('Not the money but the people').notAProblem).toEqual([true, false]);
    expect(marks('Ei ole rahaa, mutta osaajia on').notAProblem).toEqual([false, false]);
    expect(marks('Not so much the money but the people').notAProblem).toEqual([true, false]);
  });

  it('keeps "not enough X, but Y" a shortage: no correction undoes it', () => {
    expect(marks('Not enough money, but the bigger problem is skills').notAProblem).toEqual([false, false]);
    expect(marks('Not sufficient funding, but also the integrations are a mess').notAProblem).toEqual([false, false]);
    expect(marks('Ei tarpeeksi rahaa, vaan myös osaajista on pulaa').notAProblem).toEqual([false, false]);
  });

  it('reads a short English "Not X," before another clause as X set aside, but not "not enough X"', () => {
    expect(marks("Not money, really. It's that nobody has the time").notAProblem).toEqual([true, false, false]);
    expect(marks('Not enough money. And no people').notAProblem).toEqual([false, false]);
    expect(marks('Ei rahaa, ei ihmisiä').notAProblem).toEqual([false, false]);
  });

  it('reads "we have the money" as a fine state and "we don\u2019t have the money" as the problem', () => {
    expect(marks('We have the money but not the people').notAProblem).toEqual([true, false]);
    expect(marks("We don't have the money").notAProblem).toEqual([false]);
  });

  it('reads "we don\u2019t lack X" as fine and "we lack X" as the problem', () => {
    expect(marks("We don't lack skills").notAProblem).toEqual([true]);
    expect(marks('We lack money').notAProblem).toEqual([false]);
  });

  it('takes an open question about sufficiency for a worry, not a fine state', () => {
    expect(marks('Rahat riittävät hyvin').notAProblem).toEqual([true]);
    expect(marks('Emme tiedä, mihin rahat riittävät').notAProblem).toEqual([false, false]);
  });

  it('lets one word sit inside a fine phrase ("toimii edelleen hyvin", "works pretty well")', () => {
    expect(marks('Yhteistyö toimii edelleen hyvin').notAProblem).toEqual([true]);
    expect(marks('Cooperation works pretty well').notAProblem).toEqual([true]);
  });

  it('reads a shortage word as "not a problem" only after the negation', () => {
    expect(marks('Resursseista ei ole ollut pulaa').notAProblem).toEqual([true]);
    expect(marks("We aren't short of money").notAProblem).toEqual([true]);
    expect(marks('Osaajista on pulaa eikä heitä saada').notAProblem).toEqual([false]);
  });
});

describe('modifier cues (~)', () => {
  const lexicon = new CueLexicon({
    categories: {
      funding: { fi: ['rahoitu', '~kallis', '~kallii'], en: ['~expensive'] },
      integrations: { fi: ['integraatio'], en: ['integrat'] },
    },
  });
  const categories = (text: string) => analyse(text, lexicon, () => 'problem').cues.map((c) => c.category);

  it('name their category alone, but not when the clause names another one', () => {
    expect(categories('Kallista.')).toEqual(['funding']);
    expect(categories('Kalliit integraatiot')).toEqual(['integrations']);
    expect(categories('Expensive integrations')).toEqual(['integrations']);
    expect(categories('Kallista. Integraatiot')).toEqual(['funding', 'integrations']);
  });

  it('mute the described word in the features too', () => {
    const a = analyse('Kalliit integraatiot', lexicon, () => 'problem');
    expect([...a.muted]).toEqual([0]);
    expect(textFeatures(a).some((f) => f.startsWith('w:kalli'))).toBe(false);
  });
});

describe('CueLexicon', () => {
  const lexicon = new CueLexicon({
    categories: {
      integrations: { fi: ['integraatio', 'rajapin'], en: ['integrat', '=api'] },
      cio: { fi: ['tietohallintojohtaja'], en: ['IT director'] },
      other: { fi: ['hallintojohtaja'] },
      not_considered: { fi: ['ei ole harkittu'] },
      mayor: { en: ['mayor'] },
      _workplace: { en: ["mayor's office"] },
    },
  });
  const hits = (text: string, typos = false) => lexicon.match(tokenizeWithOffsets(text), typos).map((h) => h.category);

  it('matches stems, inflections and compound parts, with or without diacritics', () => {
    expect(hits('Järjestelmäintegraatioiden hinta')).toEqual(['integrations']);
    expect(hits('Rajapinnoissa on puutteita')).toEqual(['integrations']);
    expect(hits('integrations')).toEqual(['integrations']);
  });

  it('matches exact-token cues only as whole tokens', () => {
    expect(hits('no API')).toEqual(['integrations']);
    expect(hits('rapid growth')).toEqual([]);
  });

  it('keeps only the longest overlapping cue', () => {
    expect(hits('tietohallintojohtaja')).toEqual(['cio']);
    expect(hits('hallintojohtaja')).toEqual(['other']);
  });

  it('needs capitals for a capitalised cue ("IT", not "it")', () => {
    expect(hits('I am the IT director')).toEqual(['cio']);
    expect(hits('it director')).toEqual([]);
  });

  it('knows a phrase that carries its own negation', () => {
    const [hit] = lexicon.match(tokenizeWithOffsets('Ei ole harkittu'));
    expect(hit?.category).toBe('not_considered');
    expect(hit?.negationContent).toBe(true);
  });

  it('lets a mask swallow the cue inside it', () => {
    expect(hits("development manager in the mayor's office")).toEqual([]);
    expect(hits('I am the mayor')).toEqual(['mayor']);
  });

  it('tolerates one typo in unmatched words when asked', () => {
    expect(hits('integraatoit', false)).toEqual([]);
    expect(hits('intergaatio', true)).toEqual(['integrations']);
  });

  it('says which cue words have no letters', () => {
    expect(() => new CueLexicon({ categories: { x: { fi: ['—'] } } })).toThrow(/has no letters/);
  });
});
