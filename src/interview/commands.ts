/**
 * Commands a respondent may give at any prompt, in Finnish or English. A command is recognised
 * only when the whole message is the command (after folding case, punctuation and diacritics),
 * so an answer that merely contains "takaisin" is never taken for one.
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
  | { kind: 'start' };

const PHRASES: [Command, string[]][] = [
  [{ kind: 'help' }, ['help', 'apua', 'ohje', 'ohjeet', 'apu', 'commands', 'komennot', 'mita voin tehda', 'what can i do']],
  [{ kind: 'back' }, ['back', 'go back', 'previous', 'previous question', 'takaisin', 'edellinen', 'edellinen kysymys', 'palaa', 'palaa takaisin', 'korjaa']],
  [{ kind: 'skip' }, ['skip', 'skip this', 'skip question', 'next', 'ohita', 'ohitan', 'ohita kysymys', 'seuraava', 'hyppaa yli']],
  [{ kind: 'pause' }, ['pause', 'continue later', 'later', 'i will continue later', 'stop for now', 'tauko', 'jatka myohemmin', 'jatkan myohemmin', 'jatketaan myohemmin', 'myohemmin', 'keskeyta']],
  [{ kind: 'restart' }, ['restart', 'start over', 'start again', 'aloita alusta', 'alusta', 'aloitetaan alusta', 'uudelleen alusta']],
  [{ kind: 'status' }, ['status', 'progress', 'where am i', 'tila', 'tilanne', 'missa ollaan', 'edistyminen']],
  [{ kind: 'language', lang: 'en' }, ['in english', 'english', 'english please', 'englanniksi', 'englanti', 'en']],
  [{ kind: 'language', lang: 'fi' }, ['suomeksi', 'suomi', 'in finnish', 'finnish', 'suomeksi kiitos', 'fi']],
  [{ kind: 'language', lang: 'sv' }, ['pa svenska', 'svenska', 'in swedish', 'ruotsiksi', 'swedish']],
  [{ kind: 'showAnswers' }, ['show my answers', 'my answers', 'show answers', 'nayta vastaukseni', 'nayta vastaukset', 'vastaukseni', 'omat vastaukset']],
  [{ kind: 'deleteData' }, ['delete my data', 'delete my answers', 'erase my data', 'remove my data', 'poista tietoni', 'poista vastaukseni', 'poista tiedot']],
  [{ kind: 'compare' }, ['compare', 'compare with earlier waves', 'vertaa', 'vertaa aiempiin', 'vertailu']],
  [{ kind: 'start' }, ['start', 'begin', 'aloita', 'aloitetaan', 'alku']],
];

const TABLE = new Map<string, Command>();
for (const [command, phrases] of PHRASES) for (const p of phrases) TABLE.set(p, command);

/**
 * The command a whole message expresses, or undefined. `en` is a language switch only when
 * `allowBareLanguageCodes` is set: "en" is also Finnish for "I don't" (answers "en tiedä" etc.).
 */
export function recogniseCommand(text: string, allowBareLanguageCodes = false): Command | undefined {
  const key = fold(text);
  if (!key) return undefined;
  if ((key === 'en' || key === 'fi') && !allowBareLanguageCodes) return undefined;
  return TABLE.get(key);
}

const YES = new Set(['kylla', 'kyl', 'joo', 'juu', 'jep', 'jes', 'ok', 'okei', 'oki', 'selva', 'sopii', 'hyva', 'totta kai', 'tietysti', 'yes', 'y', 'yeah', 'yep', 'sure', 'i agree', 'agree', 'of course', 'certainly', 'ok sopii', 'kylla sopii', 'kylla kiitos', 'yes please', 'lahetetaan', 'laheta', 'submit', 'send']);
const NO = new Set(['ei', 'en', 'no', 'n', 'nope', 'ei kiitos', 'no thanks', 'en halua', 'ei sovi', 'i do not agree', 'i dont agree', 'do not', 'dont', 'en suostu', 'peru', 'cancel', 'peruuta']);

/** Yes/no in Finnish or English (botbuilder's prompts have no Finnish culture). */
export function recogniseYesNo(text: string): boolean | undefined {
  const key = fold(text);
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  const first = key.split(' ')[0];
  if (first === 'kylla' || first === 'yes' || first === 'joo') return true;
  if (first === 'ei' || first === 'no') return false;
  return undefined;
}
