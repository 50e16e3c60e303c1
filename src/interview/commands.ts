/**
 * Commands a respondent may give at any prompt, in Finnish or English. A command is recognised
 * only when the whole message is the command (after folding case, punctuation and diacritics),
 * give or take courtesy words ("takaisin, kiitos", "in English please"), so an answer that merely
 * contains "takaisin" is never taken for one.
 */
import type { Lang } from '../core/types.js';
import { fold } from './text.js';

export type Command =
  | { kind: 'help' }
  | { kind: 'back' }
  | { kind: 'skip' }
  | { kind: 'pause' }
  | { kind: 'restart' }
  | { kind: 'status' }
  | { kind: 'language'; lang: Lang | 'sv' }
  | { kind: 'showAnswers' }
  | { kind: 'deleteData' }
  | { kind: 'compare' }
  | { kind: 'repeat' }
  | { kind: 'goto'; question: number }
  | { kind: 'start' };

const PHRASES: [Command, string[]][] = [
  [{ kind: 'help' }, ['help', 'apua', 'ohje', 'ohjeet', 'apu', 'commands', 'komennot', 'mita voin tehda', 'what can i do']],
  [{ kind: 'back' }, ['back', 'go back', 'previous', 'previous question', 'takaisin', 'edellinen', 'edellinen kysymys', 'palaa', 'palaa takaisin', 'korjaa']],
  [{ kind: 'skip' }, ['skip', 'skip this', 'skip question', 'next', 'ohita', 'ohitan', 'ohita kysymys', 'seuraava', 'hyppaa yli']],
  [{ kind: 'pause' }, ['pause', 'continue later', 'later', 'i will continue later', 'stop for now', 'tauko', 'jatka myohemmin', 'jatkan myohemmin', 'jatkaa myohemmin', 'jatketaan myohemmin', 'myohemmin', 'keskeyta']],
  [{ kind: 'restart' }, ['restart', 'start over', 'start again', 'aloita alusta', 'alusta', 'aloitetaan alusta', 'uudelleen alusta']],
  [{ kind: 'status' }, ['status', 'progress', 'where am i', 'tila', 'tilanne', 'missa ollaan', 'edistyminen']],
  [{ kind: 'language', lang: 'en' }, ['in english', 'english', 'english please', 'englanniksi', 'englanti', 'en']],
  [{ kind: 'language', lang: 'fi' }, ['suomeksi', 'suomi', 'in finnish', 'finnish', 'suomeksi kiitos', 'fi']],
  [{ kind: 'language', lang: 'sv' }, ['pa svenska', 'svenska', 'in swedish', 'ruotsiksi', 'swedish']],
  [{ kind: 'showAnswers' }, ['show my answers', 'my answers', 'show answers', 'nayta vastaukseni', 'nayta vastaukset', 'vastaukseni', 'omat vastaukset']],
  [{ kind: 'deleteData' }, ['delete my data', 'delete my answers', 'erase my data', 'remove my data', 'poista tietoni', 'poista vastaukseni', 'poista tiedot']],
  [{ kind: 'compare' }, ['compare', 'compare with earlier waves', 'vertaa', 'vertaa aiempiin', 'vertailu']],
  [{ kind: 'start' }, ['start', 'begin', 'aloita', 'aloitetaan', 'alku']],
  // A question back is not an answer ("what was the question?" had been noted as a don't-know).
  [
    { kind: 'repeat' },
    [
      'repeat', 'repeat the question', 'repeat that', 'say again', 'say that again', 'pardon', 'sorry what', 'what',
      'what was the question', 'what was the question again', 'what is the question', 'what question', 'which question',
      'what do you mean', 'i do not understand the question', 'i dont understand the question', 'i don t understand the question',
      'do not understand the question', 'dont understand the question', 'don t understand the question',
      'toista', 'toista kysymys', 'mika oli kysymys', 'mika se kysymys oli', 'mika kysymys', 'mika oli kysymys uudelleen',
      'anteeksi mita', 'mita', 'mita tarkoitat', 'mita tarkoitatte', 'en ymmartanyt kysymysta', 'en ymmarra kysymysta',
      // Asking what the question means: it comes again, with its hint.
      'what does this mean', 'what does that mean', 'what does it mean', 'what does the question mean',
      'what is meant', 'what is meant by this', 'i do not understand', 'i dont understand', 'i don t understand',
      'do not understand', 'dont understand', 'don t understand',
      'mita tama tarkoittaa', 'mita tuo tarkoittaa', 'mita se tarkoittaa', 'mita kysymys tarkoittaa',
      'mita talla tarkoitetaan', 'mita tarkoitetaan', 'en ymmarra', 'en ymmartanyt',
    ],
  ],
];

const TABLE = new Map<string, Command>();
for (const [command, phrases] of PHRASES) for (const p of phrases) TABLE.set(p, command);

/**
 * Courtesy around a command ("takaisin kiitos", "could you go back please", "haluaisin ohittaa"):
 * words that add nothing to what is asked. A message is still a command only when nothing but
 * these words surrounds a whole command phrase, so an answer that mentions "back" stays an answer.
 */
const COURTESY = new Set(
  ('please pls plz thanks thank you kiitos kiitti ok okay okei hei hi hello moi sorry anteeksi ' +
    'could can would will i we me us lets let id d ll like want to rather just now then ' +
    'voisitteko voisitko voisimmeko voidaanko voisiko haluaisin haluan haluaisimme mieluummin mielummin nyt vain sitten').split(' '),
);

/** Words that name a language in a switch request, by the language they name. */
const LANGUAGE_WORDS = new Map<string, Lang | 'sv'>([
  ...'english englanniksi englantia englanti englannin'.split(' ').map((w) => [w, 'en'] as const),
  ...'finnish suomeksi suomea suomen'.split(' ').map((w) => [w, 'fi'] as const),
  ...'swedish svenska ruotsiksi ruotsia ruotsin'.split(' ').map((w) => [w, 'sv'] as const),
]);

/**
 * What a request to switch language may say besides the language ("could we continue in English",
 * "voisitteko kysyä englanniksi", "vaihdetaan kieli suomeksi", "puhutaanko englantia").
 */
const SWITCH_WORDS = new Set(
  ('in to into the on pa continue go on speak talk use switch change write ask answer language ' +
    'jatketaan jatketaanko jatka jatkaa jatkakaa puhutaan puhutaanko puhu puhua puhukaa vaihda vaihdetaan vaihdetaanko vaihtaa ' +
    'kysy kysykaa kysya kirjoita kirjoitetaan vastaan vastata kieli kieleksi kielella kielelle kielta').split(' '),
);

/** The language a short request names ("could we continue in English please"), or undefined. */
function languageRequest(words: string[]): Lang | 'sv' | undefined {
  const named = words.filter((w) => LANGUAGE_WORDS.has(w));
  if (named.length !== 1) return undefined;
  const rest = words.filter((w) => !LANGUAGE_WORDS.has(w) && !COURTESY.has(w) && !SWITCH_WORDS.has(w));
  return rest.length === 0 ? LANGUAGE_WORDS.get(named[0] as string) : undefined;
}

/** "kysymys 6", "mennään kysymykseen 3", "back to question 2", "question 7": a question by its number. */
const GOTO = /^(?:(?:mene|mennaan|siirry|palaa|palataan|takaisin|go|go back|back|jump|skip)\s+(?:to\s+)?)?(?:kysymys|kysymykseen|question|q)\s+(\d{1,2})$/;

/**
 * The command a whole message expresses, or undefined. `en` is a language switch only when
 * `allowBareLanguageCodes` is set: "en" is also Finnish for "I don't" (answers "en tiedä" etc.).
 */
export function recogniseCommand(text: string, allowBareLanguageCodes = false): Command | undefined {
  const key = fold(text);
  if (!key) return undefined;
  if ((key === 'en' || key === 'fi') && !allowBareLanguageCodes) return undefined;
  const exact = TABLE.get(key);
  if (exact) return exact;
  const goto = GOTO.exec(key);
  if (goto) return { kind: 'goto', question: Number(goto[1]) };
  // Long messages are answers: a request says little more than the command itself.
  const words = key.split(' ');
  if (words.length > 10) return undefined;
  const bare = words.filter((w) => !COURTESY.has(w)).join(' ');
  // "en"/"fi" alone after courtesy ("en kiitos") are not language codes either.
  const command = bare === 'en' || bare === 'fi' || bare === '' ? undefined : TABLE.get(bare);
  if (command) return command;
  const politeGoto = GOTO.exec(bare);
  if (politeGoto) return { kind: 'goto', question: Number(politeGoto[1]) };
  const lang = languageRequest(words);
  return lang === undefined ? undefined : { kind: 'language', lang };
}

const YES = new Set(['kylla', 'kyl', 'joo', 'juu', 'jep', 'jes', 'ok', 'okei', 'oki', 'selva', 'sopii', 'hyva', 'totta kai', 'tietysti', 'yes', 'y', 'yeah', 'yep', 'sure', 'i agree', 'agree', 'of course', 'certainly', 'ok sopii', 'kylla sopii', 'kylla kiitos', 'yes please', 'okei sitten', 'ok sitten', 'ok then', 'okay then', 'lahetetaan', 'laheta', 'submit', 'send']);
const NO = new Set(['ei', 'en', 'no', 'n', 'nope', 'ei kiitos', 'no thanks', 'en halua', 'ei sovi', 'i do not agree', 'i dont agree', 'do not', 'dont', 'en suostu', 'peru', 'cancel', 'peruuta']);

/** Words that may open a yes or a no without being one ("okei sitten, kyllä", "well, yes"). */
const OPENERS = new Set(['okei', 'ok', 'okay', 'sitten', 'niin', 'noh', 'well', 'then', 'hmm']);
/** Finnish words after which a leading "no" is Finnish "well", not English "no" ("no kyllä"). */
const AFTER_FINNISH_NO = new Set(['kylla', 'kyl', 'joo', 'juu', 'ei', 'en', 'okei', 'ok', 'sitten', 'selva', 'sopii', 'niin', 'mikas']);

/** First words that say yes ("sure, go ahead", "absolutely") or no ("nope, not now"). */
const YES_FIRST = new Set(['kylla', 'kyl', 'joo', 'juu', 'jep', 'sopii', 'selva', 'totta', 'yes', 'yeah', 'yep', 'sure', 'absolutely', 'certainly', 'alright', 'fine', 'ok', 'okay', 'okei']);
const NO_FIRST = new Set(['ei', 'no', 'nope', 'nah']);
/** Phrases anywhere in a short reply that settle it ("of course", "no problem", "rather not"). */
const YES_PHRASES = ['go ahead', 'of course', 'no problem', 'that s fine', 'thats fine', 'all right', 'ilman muuta', 'mikas siina', 'ei haittaa', 'ei se haittaa', 'antaa menna'];
const BUT = new Set(['but', 'except', 'although', 'mutta', 'paitsi', 'vaikka', 'kunhan']);
const NO_PHRASES = ['rather not', 'not really', 'no way', 'en halua', 'ei kay', 'ei sovi', 'mieluummin en', 'en suostu'];

/** Yes/no in Finnish or English (botbuilder's prompts have no Finnish culture). */
export function recogniseYesNo(text: string): boolean | undefined {
  const key = fold(text);
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  const words = key.split(' ');
  while (words.length > 1 && (OPENERS.has(words[0] as string) || (words[0] === 'no' && AFTER_FINNISH_NO.has(words[1] as string)))) words.shift();
  const rest = words.join(' ');
  if (YES.has(rest)) return true;
  if (NO.has(rest)) return false;
  // A long message is an answer or a question, not a yes or a no; nor is a yes with a "but"
  // ("ok, but I want to change the role" must not submit the summary).
  if (words.length > 8 || words.some((w) => BUT.has(w))) return undefined;
  const padded = ` ${rest} `;
  if (NO_PHRASES.some((p) => padded.includes(` ${p} `))) return false;
  if (YES_PHRASES.some((p) => padded.includes(` ${p} `))) return true;
  const first = words[0] as string;
  if (YES_FIRST.has(first)) return true;
  if (NO_FIRST.has(first)) return false;
  return undefined;
}

/** What a respondent writes to a free-text question when they have nothing to say (folded). */
const NOTHING_TO_ADD = new Set([
  'ei', 'eipa', 'ei muuta', 'eipa muuta', 'ei mitaan', 'ei mitaan lisattavaa', 'ei lisattavaa', 'ei ole lisattavaa',
  'ei kommentteja', 'ei kommenttia', 'ei ole', 'ei oikeastaan', 'ei muuta kuin kiitos', 'ei tassa vaiheessa',
  'no', 'none', 'nothing', 'nothing else', 'nothing to add', 'nothing more', 'nothing more to add', 'no comments',
  'no comment', 'no further comments', 'not really', 'nope', 'that s all', 'thats all', 'that s it', 'thats it', 'n a', 'na',
]);

/**
 * Whether an answer to a free-text question says there is nothing to add ("Ei muuta, kiitos!",
 * "No comments 🙂"): stored as skipped, with the text kept, so a comment count is not a count of
 * "ei muuta". Courtesy and pictures around it do not matter; anything more is a comment.
 */
export function isNothingToAdd(text: string): boolean {
  const key = fold(text);
  if (key === '') return /^[\s\p{P}\p{S}]*$/u.test(text) && /[-–—]/.test(text);
  if (NOTHING_TO_ADD.has(key)) return true;
  // Courtesy before or after it ("kiitos, ei muuta", "nothing to add, thanks"), not inside.
  const words = key.split(' ');
  while (words.length > 0 && COURTESY.has(words[0] as string)) words.shift();
  while (words.length > 0 && COURTESY.has(words.at(-1) as string)) words.pop();
  return NOTHING_TO_ADD.has(words.join(' '));
}
