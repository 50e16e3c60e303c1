/**
 * The normaliser: builds one model per question from `data/` (plus staff examples) and turns
 * a free-text answer into category ids with a confidence.
 */
import type { Lang, NormaliseInput, NormalisedAnswer, Normaliser, Question, QuestionId } from '../core/types.js';
import { analyse, type Analysis, type NegationMode } from './analysis.js';
import { CueLexicon } from './cues.js';
import { dataDirUrl, loadCueFile, loadQuestionnaire, type Example } from './data.js';
import { isBlank, isDontKnow } from './dont-know.js';
import { detectLanguage } from './language.js';
import { loadMunicipalityFiles, MunicipalityMatcher } from './municipalities.js';

export interface NormaliserOptions {
  /** The data folder (default: the project's `data/`). */
  dataDir?: string | URL;
  /** Extra labelled examples (staff recodes) learned on top of `data/training/`. */
  extraExamples?: Example[];
}

/** Challenges name problems: only "X is not a problem" suppresses a cue there. */
const NEGATION_MODE: Partial<Record<QuestionId, NegationMode>> = { challenges: 'problem' };

interface QuestionEngine {
  question: Question;
  lexicon?: CueLexicon;
}

class ProjectNormaliser implements Normaliser {
  constructor(
    private readonly engines: Map<QuestionId, QuestionEngine>,
    private readonly municipalities: MunicipalityMatcher,
  ) {}

  normalise(input: NormaliseInput): NormalisedAnswer {
    const engine = this.engines.get(input.question);
    if (!engine) {
      throw new Error(`Unknown question "${input.question}"; use an id from data/questionnaire.json`);
    }
    const text = typeof input.text === 'string' ? input.text : '';
    const lang = detectLanguage(text, input.lang);
    const { question } = engine;
    if (question.type === 'text') return { categories: [], confidence: 1, lang };
    if (isBlank(text)) return { categories: [], confidence: 0.99, lang, dontKnow: true };
    if (question.type === 'municipality') return this.city(text, lang);

    const analysis = analyse(text, engine.lexicon, NEGATION_MODE[question.id] ?? 'plain', input.lang);
    const positive = analysis.cues.filter((c) => !c.negated);
    if (positive.length === 0 && isDontKnow(text)) return { categories: [], confidence: 0.95, lang, dontKnow: true };
    return question.type === 'single' ? this.single(question, analysis) : this.multi(question, analysis);
  }

  private city(text: string, lang: Lang): NormalisedAnswer {
    if (isDontKnow(text)) return { categories: [], confidence: 0.95, lang, dontKnow: true };
    const match = this.municipalities.match(text);
    return {
      categories: match.name ? [match.name] : [],
      confidence: match.confidence,
      lang,
      candidates: match.candidates,
    };
  }

  private single(question: Question, a: Analysis): NormalisedAnswer {
    const scores = scoreCategories(question, a);
    const ranked = [...scores.entries()].sort((x, y) => y[1] - x[1]);
    const total = ranked.reduce((s, [, v]) => s + Math.max(v, 0), 0);
    const [top, second] = ranked;
    const candidates = ranked.map(([id, v]) => ({ id, score: total > 0 ? round(Math.max(v, 0) / total) : 0 }));
    if (!top || top[1] <= 0) return { categories: [], confidence: 0.2, lang: a.lang, candidates };
    const margin = top[1] - Math.max(second?.[1] ?? 0, 0);
    return { categories: [top[0]], confidence: round(Math.min(0.9, 0.45 + 0.15 * margin)), lang: a.lang, candidates };
  }

  private multi(question: Question, a: Analysis): NormalisedAnswer {
    const scores = scoreCategories(question, a);
    const chosen = [...scores.entries()].filter(([, v]) => v > 0).map(([id]) => id);
    const candidates = [...scores.entries()].sort((x, y) => y[1] - x[1]).map(([id, v]) => ({ id, score: round(Math.min(1, Math.max(0, v) / 2)) }));
    if (chosen.length === 0) return { categories: ['other'], confidence: 0.3, lang: a.lang, candidates };
    return { categories: chosen, confidence: chosen.length === 1 ? 0.7 : 0.55, lang: a.lang, candidates };
  }
}

function scoreCategories(question: Question, a: Analysis): Map<string, number> {
  const scores = new Map<string, number>((question.categories ?? []).map((c) => [c, 0]));
  for (const hit of a.cues) scores.set(hit.category, (scores.get(hit.category) ?? 0) + (hit.negated ? -0.5 : 1));
  return scores;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Builds the normaliser from the data folder; synchronous and fast (well under a second). */
export function buildNormaliser(options: NormaliserOptions = {}): Normaliser {
  const dataDir = dataDirUrl(options.dataDir);
  const questionnaire = loadQuestionnaire(dataDir);
  const engines = new Map<QuestionId, QuestionEngine>();
  for (const question of questionnaire.questions) {
    const cueFile = question.type === 'single' || question.type === 'multi' ? loadCueFile(dataDir, question.id) : undefined;
    engines.set(question.id, { question, lexicon: cueFile ? new CueLexicon(cueFile) : undefined });
  }
  const files = loadMunicipalityFiles(dataDir);
  return new ProjectNormaliser(engines, new MunicipalityMatcher(files.municipalities, files.aliases));
}
