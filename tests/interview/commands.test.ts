/**
 * Commands at any prompt: the exact phrases, the same phrases wrapped in courtesy ("in English
 * please", "takaisin kiitos"), requests to switch language in a sentence of their own, and answers
 * that merely mention a command word, which must stay answers.
 */
import { describe, expect, it } from 'vitest';
import { isNothingToAdd, recogniseCommand, recogniseYesNo, type Command } from '../../src/interview/commands.js';

const kind = (text: string, bare = false): string | undefined => {
  const command: Command | undefined = recogniseCommand(text, bare);
  return command === undefined ? undefined : command.kind === 'language' ? `language:${command.lang}` : command.kind;
};

describe('recogniseCommand', () => {
  it.each([
    ['takaisin', 'back'],
    ['Ohita', 'skip'],
    ['näytä vastaukseni', 'showAnswers'],
    ['Delete my data.', 'deleteData'],
    ['in English', 'language:en'],
    ['suomeksi', 'language:fi'],
    ['på svenska', 'language:sv'],
  ])('knows the phrase %j', (text, expected) => {
    expect(kind(text)).toBe(expected);
  });

  it.each([
    ['in English please', 'language:en'],
    ['English, please!', 'language:en'],
    ['Could we continue in English?', 'language:en'],
    ['can you ask in english', 'language:en'],
    ["I'd rather answer in English", 'language:en'],
    ['switch to English', 'language:en'],
    ['change the language to Finnish', 'language:fi'],
    ['voisitteko kysyä englanniksi', 'language:en'],
    ['puhutaanko englantia', 'language:en'],
    ['jatketaan suomeksi kiitos', 'language:fi'],
    ['vaihdetaan kieli suomeksi', 'language:fi'],
    ['suomen kielellä', 'language:fi'],
    ['voisimmeko jatkaa ruotsiksi', 'language:sv'],
  ])('reads the language request %j', (text, expected) => {
    expect(kind(text)).toBe(expected);
  });

  it.each([
    ['takaisin kiitos', 'back'],
    ['could you go back please', 'back'],
    ['I want to skip this', 'skip'],
    ['ohita kiitos', 'skip'],
    ['haluaisin jatkaa myöhemmin', 'pause'],
    ['please show my answers', 'showAnswers'],
    ['voisitteko poistaa tietoni', undefined],
    ['poista tietoni kiitos', 'deleteData'],
    ['help please', 'help'],
    ['What was the question again?', 'repeat'],
    ['sorry, what?', 'repeat'],
    ["I don't understand the question", 'repeat'],
    ['Mikä oli kysymys?', 'repeat'],
    ['anteeksi, mitä?', 'repeat'],
    ['en ymmärtänyt kysymystä', 'repeat'],
    ['what does this mean?', 'repeat'],
    ["Sorry, I don't understand.", 'repeat'],
    ['Mitä tämä tarkoittaa?', 'repeat'],
    ['mitä tällä tarkoitetaan?', 'repeat'],
    ['en ymmärrä', 'repeat'],
  ])('sees through courtesy in %j', (text, expected) => {
    expect(kind(text)).toBe(expected);
  });

  it.each([
    // Answers that mention a command word or a language are answers.
    ['Englannin kielen opetus digitalisoituu kouluissa', undefined],
    // Not understanding something else is an answer ("we don't understand what the reform means").
    ['En ymmärrä, mitä sote-uudistus tarkoittaa meille käytännössä', undefined],
    ['We should go back to basics with integrations', undefined],
    ['Emme voi ohittaa tietoturvaa', undefined],
    ['English-language services for expats are a goal', undefined],
    ['Palvelut myös englanniksi ja ruotsiksi', undefined],
    ['Suomi ja Ruotsi tekevät yhteistyötä', undefined],
    ['kiitos', undefined],
    ['ok', undefined],
    // "en" is Finnish for "I don't": never a language code unless the prompt asks for one.
    ['en', undefined],
    ['en kiitos', undefined],
    ['en osaa sanoa', undefined],
  ])('leaves the answer %j alone', (text, expected) => {
    expect(kind(text)).toBe(expected);
  });

  it('takes bare language codes only where they are offered', () => {
    expect(kind('en', true)).toBe('language:en');
    expect(kind('fi', true)).toBe('language:fi');
  });

  it('does not read a long message as a command', () => {
    expect(kind('please please please please please please please please please please go back')).toBeUndefined();
  });
});

describe('going to a question by its number', () => {
  it.each([
    ['kysymys 6', 6],
    ['Kysymykseen 3, kiitos', 3],
    ['palataan kysymykseen 2', 2],
    ['Go back to question 4', 4],
    ['question 10', 10],
  ])('%j → question %i', (text, question) => {
    expect(recogniseCommand(text)).toEqual({ kind: 'goto', question });
  });

  it.each(['Kysymys 6 oli vaikea', '6', 'question six'])('%j is not a jump', (text) => {
    expect(recogniseCommand(text)?.kind).not.toBe('goto');
  });
});

describe('recogniseYesNo', () => {
  it.each([
    ['kyllä', true],
    ['Joo!', true],
    ['no kyllä', true],
    ['No joo, sopii', true],
    ['no okei sitten, kyllä', true],
    ['okei sitten', true],
    ['well, yes', true],
    ['yes please', true],
    ['ei', false],
    ['no ei', false],
    ['no', false],
    ['no thanks', false],
    ['no, I do not agree', false],
    ['en halua', false],
    ['Sure, go ahead', true],
    ['Yes absolutely', true],
    ['absolutely', true],
    ['of course', true],
    ['no problem', true],
    ['ei se haittaa', true],
    ['ilman muuta', true],
    ['nope', false],
    ["I'd rather not", false],
    ['not really', false],
    ['en halua vastata', false],
    ['mikä tämä kysely on?', undefined],
    ['Kuopio', undefined],
    ["I'm a bit of everything, deputy mayor I guess", undefined],
    ['ok, but I want to change the role', undefined],
    ['kyllä, mutta muutan vielä kolmatta', undefined],
  ])('%j → %s', (text, expected) => {
    expect(recogniseYesNo(text)).toBe(expected);
  });
});

describe('isNothingToAdd (the open question)', () => {
  it.each(['Ei muuta.', 'Ei muuta, kiitos!', 'Kiitos, ei muuta', 'no comments 🙂', 'Nothing to add.', 'Nothing to add, thanks.', 'ei kommentteja', "That's all, thanks", '-', '–', 'Ei'])(
    '%j says there is nothing to add',
    (text) => {
      expect(isNothingToAdd(text)).toBe(true);
    },
  );

  it.each(['Ei muuta kuin että integraatiot ovat vaikeita.', 'No more siloed projects, please.', 'Kiitos, hyvä kysely.', '🙂', '?', ''])(
    '%j is a comment (or nothing at all)',
    (text) => {
      expect(isNothingToAdd(text)).toBe(false);
    },
  );
});
