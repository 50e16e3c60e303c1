/**
 * The normaliser: one learned model per categorised question (from `data/`, plus staff
 * examples), the municipality matcher for `city`, and the don't-know detector. Turns a
 * free-text answer into category ids with a calibrated confidence.
 */
import type { Lang, NormaliseInput, NormalisedAnswer, Normaliser, Question, QuestionId } from '../core/types.js';
import { analyse, type Analysis } from './analysis.js';
import type { CueLexicon } from './cues.js';
import { dataDirUrl, loadModelInputs, type Example, type ModelInputs } from './data.js';
import { DontKnowDetector, type DontKnowVerdict } from './dont-know-model.js';
import { isBlank, isHedgedNo } from './dont-know.js';
import { cueFeatures, textFeatures, type Scope } from './features.js';
import { detectLanguage } from './language.js';
import { DEFAULT_CACHE_DIR, readSnapshot, snapshotKey, writeSnapshot } from './model-cache.js';
import { loadMunicipalityFiles, MunicipalityMatcher } from './municipalities.js';
import { QuestionModel, type Decision } from './question-model.js';
import {
  compileLexicons,
  itemFeatures,
  modelledQuestions,
  negationModes,
  trainModels,
  wordScope,
  type Lexicons,
  type TrainedModels,
} from './train.js';

export interface NormaliserOptions {
  /** The data folder (default: the project's `data/`; env `NORMALISER_DATA_DIR` for the CLI). */
  dataDir?: string | URL;
  /** Extra labelled examples (staff recodes) learned on top of `data/training/`. */
  extraExamples?: Example[];
  /**
   * Where trained snapshots are kept (default: env `NORMALISER_CACHE_DIR`, else
   * `var/cache/normaliser/`); `false` always trains and saves nothing.
   */
  cacheDir?: string | false;
  /**
   * Shuffling seed of the question models' training (default 7). Results move by about a point
   * from one seed to another: judge a data change on the mean of several seeds (bench:nlp --seed).
   */
  seed?: number;
}

/** The category a bare or hedged "no" answers ("Ei.", "Not that I know of"): see `isHedgedNo`. */
const NO_CATEGORY: Partial<Record<QuestionId, string>> = { rpa: 'not_considered', sote_impact: 'no_impact' };

/**
 * Categories that only stand alone (data/training/README.md: `no_impact` is never combined):
 * beside a named effect they are dropped ("carried on as before, but the waiting froze
 * decisions" is `uncertainty`).
 */
const LONE_ONLY: Partial<Record<QuestionId, string>> = { sote_impact: 'no_impact' };

function withoutLoneOnly(question: QuestionId, categories: string[]): string[] {
  const lone = LONE_ONLY[question];
  return lone && categories.length > 1 && categories.includes(lone) ? categories.filter((c) => c !== lone) : categories;
}

/** Above this the don't-know detector wins unless the answer clearly names a category. */
const DONT_KNOW_THRESHOLD = 0.5;
/** A multi-label category at this probability makes an answer an answer (see question-model.ts). */
const MULTI_SURE = 0.6;

interface QuestionEngine {
  question: Question;
  lexicon?: CueLexicon;
  model?: QuestionModel;
}

class ProjectNormaliser implements Normaliser {
  constructor(
    private readonly engines: Map<QuestionId, QuestionEngine>,
    private readonly municipalities: MunicipalityMatcher,
    private readonly dontKnow: DontKnowDetector,
  ) {}

  normalise(input: NormaliseInput): NormalisedAnswer {
    const engine = this.engines.get(input.question);
    if (!engine) throw new Error(`Unknown question "${input.question}"; use an id from data/questionnaire.json`);
    const text = typeof input.text === 'string' ? input.text : '';
    const { question } = engine;
    if (question.type === 'text') return { categories: [], confidence: 1, lang: detectLanguage(text, input.lang) };
    if (isBlank(text)) return { categories: [], confidence: 0.99, lang: input.lang ?? 'fi', dontKnow: true };

    const a = analyse(text, engine.lexicon, negationModes(question.id), input.lang, { typos: true });
    const lexical = textFeatures(a);
    const dk = this.dontKnow.assess(a, lexical);
    const dkConfidence = round(Math.max(dk.probability, dk.rule ? 0.9 : 0));

    if (question.type === 'municipality') return this.city(a, dk, dkConfidence);
    if (!engine.model) return { categories: [], confidence: 0, lang: a.lang };

    const own = hasScopedClause(a, wordScope(question)) ? textFeatures(a, wordScope(question)) : lexical;
    const items = question.type === 'multi' ? itemFeatures(a, question) : [];
    const decision = engine.model.decide([...own, ...cueFeatures(a)], { allowNone: !hasContentCue(a, dk), items });
    // Three ways to a don't-know: the model's own NONE class, the rules, or the learned detector
    // when it is surer than the categorisation is of itself.
    // A multi-label model sure of one category outvotes the learned detector: "No more queues,
    // faster answers" names a goal whatever "no" and "answers" look like.
    const sure = question.type === 'multi' && (decision.candidates[0]?.score ?? 0) >= MULTI_SURE;
    const learned = dk.probability > DONT_KNOW_THRESHOLD && dk.probability > decision.confidence && !sure;
    const dontKnow = decision.none || dk.rule || learned;
    const no = NO_CATEGORY[question.id];
    if (dontKnow && no && isHedgedNo(text)) {
      // "Not that I know of", "Ei tietääkseni": a no, however unsure, not a don't-know.
      const score = decision.candidates.find((c) => c.id === no)?.score ?? 0;
      return { categories: [no], confidence: round(Math.max(score, 0.5)), lang: a.lang, candidates: decision.candidates };
    }
    if (dontKnow && !namesACategory(a, decision, dk)) {
      const confidence = decision.none ? Math.max(dkConfidence, decision.confidence) : dkConfidence;
      // Only the model's NONE class spoke: nothing in the words declines, the answer just fits no category.
      const said = dk.rule || dk.probability > DONT_KNOW_THRESHOLD;
      return { categories: [], confidence, lang: a.lang, dontKnow: true, ...(said ? {} : { unplaced: true }), candidates: decision.candidates };
    }
    return { categories: withoutLoneOnly(question.id, decision.categories), confidence: decision.confidence, lang: a.lang, candidates: decision.candidates };
  }

  private city(a: Analysis, dk: DontKnowVerdict, dkConfidence: number): NormalisedAnswer {
    const match = this.municipalities.match(a.text);
    // "En kerro" is a decline, not a typo of Kervo; but "Espoo, en tiedä muuta" names a city: the
    // rules win unless the name is written out exactly. The learned detector never saw place
    // names (a misspelt one looks like any unknown word to it), so it speaks only when nothing matched.
    const exactName = match.confidence >= 0.97;
    if ((dk.rule && (!match.name || !exactName)) || (dk.probability > DONT_KNOW_THRESHOLD && !match.name)) {
      return { categories: [], confidence: Math.max(dkConfidence, 0.9), lang: a.lang, dontKnow: true };
    }
    return { categories: match.name ? [match.name] : [], confidence: match.confidence, lang: a.lang, candidates: match.candidates };
  }
}

/**
 * Cues that name something: not negated, not bare yes/no words, and not one of the don't-know
 * words themselves: "en tiedä, ehkä rahoitus" names funding; the "ei" of "ei hajuakaan" and the
 * "myöhemmin" of "vastaan myöhemmin" (a planned-cue in rpa) name nothing.
 */
function contentCues(a: Analysis, dk: DontKnowVerdict): Analysis['cues'] {
  const insideDontKnow = (c: { start: number; end: number }) => dk.hits.some((h) => c.start < h.end && h.start < c.end);
  // "Ask IT", "pitäisi kysyä tietohallinnosta": who to ask is not the answer.
  const whoToAsk = (c: { token: number }) => dk.hits.some((h) => h.category === 'check' && c.token > h.token && c.token <= h.token + ASK_REACH);
  // When the rules call it a don't-know, only a cue among the words left over names something
  // ("ei mitään" of "Ei mitään sanottavaa" is the decline itself), and never a typo-matched one
  // ("talossa" is not "talous").
  const leftOver = (c: Analysis['cues'][number]) =>
    !dk.remainder || (!c.fuzzy && dk.remainder.has(a.tokens[c.token]?.folded ?? '') && !isTopic(a, c.token));
  return a.cues.filter((c) => !c.negated && !c.contentless && !insideDontKnow(c) && !whoToAsk(c) && leftOver(c));
}

/**
 * True when a word is what the respondent does not know about rather than an answer: "No idea
 * about the budget side", "en tiedä rahoituksesta" (the elative -sta/-stä: "about").
 */
function isTopic(a: Analysis, token: number): boolean {
  const word = a.tokens[token]?.folded ?? '';
  if (a.lang === 'fi' && /st[a]$/.test(word)) return true;
  return a.tokens.slice(Math.max(0, token - 2), token).some((t) => TOPIC_WORDS.has(t.folded));
}

const TOPIC_WORDS = new Set('about regarding concerning on of koskien liittyen'.split(' '));

/** How many tokens after "ask"/"kysy" a cue names whom to ask rather than an answer. */
const ASK_REACH = 3;

function hasContentCue(a: Analysis, dk: DontKnowVerdict): boolean {
  return contentCues(a, dk).length > 0;
}

/** True when the decision's categories are named by a content cue and the model agrees. */
function namesACategory(a: Analysis, decision: Decision, dk: DontKnowVerdict): boolean {
  return decision.raw > 0.5 && contentCues(a, dk).some((c) => decision.categories.includes(c.category));
}

/** True when a negation takes some clause's words out of the features (else the plain features serve). */
function hasScopedClause(a: Analysis, scope: Scope): boolean {
  if (scope === 'none') return false;
  return (scope === 'negated' ? a.clauses.negated : a.clauses.notAProblem).some(Boolean);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Trained models from the snapshot cache when the inputs are unchanged, else trained (and saved). */
function loadOrTrain(inputs: ModelInputs, lexicons: Lexicons, cacheDir: string | false, seed: number | undefined): TrainedModels {
  // The default seed keeps the key it always had; another seed gets its own snapshot.
  const key = cacheDir ? snapshotKey(seed === undefined ? inputs : { inputs, seed }) : '';
  const snapshot = cacheDir ? readSnapshot(cacheDir, key) : undefined;
  if (snapshot) {
    try {
      const questions = new Map<QuestionId, QuestionModel>();
      for (const question of modelledQuestions(inputs)) {
        const json = snapshot.questions.find((q) => q.question === question.id);
        if (!json) throw new Error(`no ${question.id}`);
        questions.set(question.id, QuestionModel.fromJSON(question, json));
      }
      return { questions, dontKnow: DontKnowDetector.fromJSON(lexicons.dontKnow, snapshot.dontKnow) };
    } catch {
      // A snapshot that does not fit is as good as none: train.
    }
  }
  const trained = trainModels(inputs, lexicons, seed);
  if (cacheDir) {
    writeSnapshot(cacheDir, key, {
      questions: [...trained.questions.values()].map((m) => m.toJSON()),
      dontKnow: trained.dontKnow.toJSON(),
    });
  }
  return trained;
}

/**
 * Builds the normaliser from the data folder plus `extraExamples` (staff recodes; one with an
 * unknown question or category throws, naming it). Synchronous. With an unchanged data folder
 * it loads the last trained snapshot; otherwise it trains (about a second) and saves one.
 */
export function buildNormaliser(options: NormaliserOptions = {}): Normaliser {
  const dataDir = dataDirUrl(options.dataDir);
  const inputs = loadModelInputs(dataDir, options.extraExamples ?? []);
  const lexicons = compileLexicons(inputs);
  const envCache = process.env.NORMALISER_CACHE_DIR;
  const cacheDir = options.cacheDir ?? (envCache === 'off' ? false : envCache || DEFAULT_CACHE_DIR);
  const trained = loadOrTrain(inputs, lexicons, cacheDir, options.seed);

  const engines = new Map<QuestionId, QuestionEngine>();
  for (const question of inputs.questionnaire.questions) {
    engines.set(question.id, { question, lexicon: lexicons.lexicons.get(question.id), model: trained.questions.get(question.id) });
  }
  const files = loadMunicipalityFiles(dataDir);
  return new ProjectNormaliser(engines, new MunicipalityMatcher(files.municipalities, files.aliases), trained.dontKnow);
}
