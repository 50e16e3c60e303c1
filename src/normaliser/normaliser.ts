/**
 * The normaliser: builds one model per question from `data/` (training files, cue lexicons,
 * plus staff examples) and turns a free-text answer into category ids with a calibrated
 * confidence. City answers go to the municipality matcher; don't-know answers to no category.
 */
import type { Lang, NormaliseInput, NormalisedAnswer, Normaliser, Question, QuestionId } from '../core/types.js';
import { analyse, type Analysis, type NegationMode } from './analysis.js';
import { CueLexicon } from './cues.js';
import {
  dataDirUrl,
  loadCueFile,
  loadDontKnowExamples,
  loadQuestionnaire,
  loadTrainingExamples,
  type Example,
} from './data.js';
import { DontKnowDetector, type DontKnowVerdict } from './dont-know-model.js';
import { isBlank } from './dont-know.js';
import { cueFeatures, textFeatures } from './features.js';
import { detectLanguage } from './language.js';
import { loadMunicipalityFiles, MunicipalityMatcher } from './municipalities.js';
import { QuestionModel, type Decision } from './question-model.js';

export interface NormaliserOptions {
  /** The data folder (default: the project's `data/`). */
  dataDir?: string | URL;
  /** Extra labelled examples (staff recodes) learned on top of `data/training/`. */
  extraExamples?: Example[];
}

/** Challenges name problems: only "X is not a problem" suppresses a cue there (see negation.ts). */
const NEGATION_MODE: Partial<Record<QuestionId, NegationMode>> = { challenges: 'problem' };

/** Above this the don't-know detector wins unless the answer clearly names a category. */
const DONT_KNOW_THRESHOLD = 0.5;

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

    const a = analyse(text, engine.lexicon, NEGATION_MODE[question.id] ?? 'plain', input.lang);
    const lexical = textFeatures(a);
    const dk = this.dontKnow.assess(a, lexical);
    const saysDontKnow = dk.rule || dk.probability > DONT_KNOW_THRESHOLD;
    const dkConfidence = round(Math.max(dk.probability, dk.rule ? 0.9 : 0));

    if (question.type === 'municipality') return this.city(a, dk, dkConfidence);
    if (!engine.model) return { categories: [], confidence: 0, lang: a.lang };

    const decision = engine.model.decide([...lexical, ...cueFeatures(a)]);
    if (saysDontKnow && !namesACategory(a, decision, dk)) {
      return { categories: [], confidence: dkConfidence, lang: a.lang, dontKnow: true, candidates: decision.candidates };
    }
    return { categories: decision.categories, confidence: decision.confidence, lang: a.lang, candidates: decision.candidates };
  }

  private city(a: Analysis, dk: DontKnowVerdict, dkConfidence: number): NormalisedAnswer {
    const match = this.municipalities.match(a.text);
    // "En kerro" is a decline, not a typo of Kervo; but "Espoo, en tiedä muuta" names a city. The
    // learned detector never saw place names, so it only speaks when no municipality matched.
    const typoOnly = match.confidence < 0.9;
    if ((dk.rule && (!match.name || typoOnly)) || (dk.probability > DONT_KNOW_THRESHOLD && !match.name)) {
      return { categories: [], confidence: Math.max(dkConfidence, 0.9), lang: a.lang, dontKnow: true };
    }
    return { categories: match.name ? [match.name] : [], confidence: match.confidence, lang: a.lang, candidates: match.candidates };
  }
}

/**
 * True when a cue of a chosen category is present, not negated, about something and not one of
 * the don't-know words themselves: "en tiedä, ehkä rahoitus" names funding; the "ei" of "ei
 * hajuakaan" and the "myöhemmin" of "vastaan myöhemmin" (a planned-cue in rpa) name nothing.
 */
function namesACategory(a: Analysis, decision: Decision, dk: DontKnowVerdict): boolean {
  const insideDontKnow = (c: { start: number; end: number }) => dk.hits.some((h) => c.start < h.end && h.start < c.end);
  return (
    decision.raw > 0.5 &&
    a.cues.some((c) => !c.negated && !c.contentless && decision.categories.includes(c.category) && !insideDontKnow(c))
  );
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Builds the normaliser from the data folder plus `extraExamples` (staff recodes; an extra
 * example of a question without categories of that question is rejected with its text).
 * Synchronous; well under a second.
 */
export function buildNormaliser(options: NormaliserOptions = {}): Normaliser {
  const dataDir = dataDirUrl(options.dataDir);
  const questionnaire = loadQuestionnaire(dataDir);
  const extra = options.extraExamples ?? [];
  const engines = new Map<QuestionId, QuestionEngine>();
  const answerFeatures: string[][] = [];
  const dontKnowCues = loadCueFile(dataDir, 'dontknow');
  const dontKnowLexicon = dontKnowCues ? new CueLexicon(dontKnowCues) : undefined;

  for (const question of questionnaire.questions) {
    if (question.type !== 'single' && question.type !== 'multi') {
      engines.set(question.id, { question });
      continue;
    }
    const cueFile = loadCueFile(dataDir, question.id);
    const lexicon = cueFile ? new CueLexicon(cueFile) : undefined;
    const known = new Set(question.categories ?? []);
    const extraForQuestion = extra.filter((e) => e.question === question.id);
    for (const e of extraForQuestion) {
      const unknown = e.categories.filter((c) => !known.has(c));
      if (unknown.length) {
        throw new Error(`extra example for ${question.id} ("${e.text.slice(0, 40)}") has unknown categories ${unknown.join(', ')}`);
      }
    }
    const examples = [...loadTrainingExamples(dataDir, question), ...extraForQuestion];
    const mode = NEGATION_MODE[question.id] ?? 'plain';
    const prepared = examples.map((e) => {
      const a = analyse(e.text, lexicon, mode, e.lang);
      const lexical = textFeatures(a);
      answerFeatures.push(DontKnowDetector.features(a, lexical, dontKnowLexicon).features);
      return { features: [...lexical, ...cueFeatures(a)], categories: e.categories };
    });
    engines.set(question.id, { question, lexicon, model: QuestionModel.train(question, prepared) });
  }

  const dontKnowFeatures = loadDontKnowExamples(dataDir).map((e) => {
    const a = analyse(e.text, undefined, 'plain', e.lang);
    return DontKnowDetector.features(a, textFeatures(a), dontKnowLexicon).features;
  });
  const dontKnow = DontKnowDetector.train(dontKnowLexicon, dontKnowFeatures, answerFeatures);

  const files = loadMunicipalityFiles(dataDir);
  return new ProjectNormaliser(engines, new MunicipalityMatcher(files.municipalities, files.aliases), dontKnow);
}
