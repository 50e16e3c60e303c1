/**
 * One generic question step, looped with `replaceDialog(DIALOG.question, { index })` over the
 * questionnaire in `data/`. Choice questions show buttons and accept the number, the label or own
 * words; free text goes through the normaliser: when it is confident the bot says briefly what it
 * noted and moves on; when it is not, the respondent picks from the likely categories.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { LANGS, type Answer, type Lang, type Question, type SurveyResponse } from '../src/core/types.js';
import { translator } from '../src/i18n.js';
import { isNothingToAdd, type Command } from '../src/interview/commands.js';
import { interpret, pickByLabels, pickByNumbers } from '../src/interview/interpret.js';
import { categoryLabel, questionHint, questionPrompt } from '../src/interview/labels.js';
import { answerText } from '../src/interview/summary.js';
import { fold } from '../src/interview/text.js';
import type { SurveyDeps } from './deps.js';
import type { Button } from './replies.js';
import { DIALOG, SurveyStep, type StepState, type Turn } from './surveyStep.js';

/** Text longer than this is stored whole, but only this much is read by the normaliser. */
const NORMALISE_MAX_CHARS = 2000;
/** Button values of a pick card's own choices (never a category id: those have no underscore first). */
const PICK_ELSE = '_else';
const PICK_DONT_KNOW = '_dk';

export interface QuestionOptions {
  index: number;
  /** `edit`: changing one answer from the summary (returns to it afterwards). */
  mode?: 'flow' | 'edit';
  resumed?: boolean;
  showPrevious?: boolean;
  incoming?: boolean;
}

interface QuestionState extends StepState {
  index: number;
  mode: 'flow' | 'edit';
  resumed?: boolean;
  showPrevious?: boolean;
  /** Waiting for the respondent to pick among likely categories. */
  pick?: { candidates: string[]; raw: string; lang: Lang; confidence: number; proposed: string[] };
}

export class QuestionDialog extends SurveyStep<QuestionState> {
  constructor(deps: SurveyDeps) {
    super(DIALOG.question, deps);
  }

  protected initialState(options: unknown): QuestionState {
    const o = (options ?? {}) as QuestionOptions;
    const index = Number.isInteger(o.index) ? Math.max(0, Math.min(o.index, this.deps.service.total - 1)) : 0;
    return { index, mode: o.mode ?? 'flow', resumed: o.resumed, showPrevious: o.showPrevious, incoming: o.incoming };
  }

  private current(dc: DialogContext): Question {
    return this.deps.service.question(this.state(dc).index);
  }

  protected async enter(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    if (!turn.response) return dc.replaceDialog(DIALOG.entry);
    const state = this.state(dc);
    const q = this.current(dc);
    const { t, lang } = turn;
    const total = this.deps.service.total;
    const lines: string[] = [];
    if (state.resumed) lines.push(t('resumeReminder', { n: state.index + 1, total }));
    lines.push(`${t('progress', { n: state.index + 1, total })}: ${questionPrompt(q, lang)}`);
    if (q.type === 'multi') {
      lines.push(questionHint(q, lang));
      lines.push((q.categories ?? []).map((c, i) => `${i + 1}. ${categoryLabel(q, c, lang)}`).join('\n'));
    } else if (q.type !== 'single') {
      lines.push(questionHint(q, lang));
    }
    const previous = turn.response.answers[q.id];
    if (previous) {
      lines.push(t('previousAnswer', { answer: answerText(q, previous, lang) }));
    }
    state.resumed = false;
    state.showPrevious = false;
    delete state.pick;
    await this.say(dc, lines.join('\n\n'), this.optionButtons(q, lang), {
      question: q.id,
      index: state.index + 1,
      total,
      lang,
    });
    return Dialog.EndOfTurn;
  }

  /** Buttons for single-choice questions (multi questions list numbered options instead). */
  private optionButtons(q: Question, lang: Lang): Button[] {
    if (q.type !== 'single') return [];
    return (q.categories ?? []).map((c) => ({ title: categoryLabel(q, c, lang), value: { dk: 1, q: q.id, c } }));
  }

  protected override async onCommand(dc: DialogContext, turn: Turn, command: Command): Promise<DialogTurnResult | undefined> {
    const state = this.state(dc);
    if (!turn.response) return undefined;
    if (command.kind === 'goto') {
      const index = command.question - 1;
      const total = this.deps.service.total;
      if (index < 0 || index >= total) {
        await this.say(dc, turn.t('gotoNone', { total }));
        return this.enter(dc, turn);
      }
      // From the summary any answer may be changed; in the flow, only the questions reached so far.
      if (state.mode === 'edit') return dc.replaceDialog(DIALOG.question, { index, mode: 'edit' });
      if (index > Math.max(state.index, turn.response.cursor)) {
        await this.say(dc, turn.t('gotoLater', { n: command.question }));
        return this.enter(dc, turn);
      }
      if (index === state.index) return this.enter(dc, turn);
      await this.deps.service.moveTo(turn.response, index);
      return dc.replaceDialog(DIALOG.question, { index, showPrevious: true });
    }
    if (command.kind === 'back') {
      if (state.mode === 'edit') return dc.replaceDialog(DIALOG.summary, { amend: turn.response.status === 'submitted' });
      if (state.index === 0) {
        await this.say(dc, turn.t('backNone'));
        return this.enter(dc, turn);
      }
      const index = state.index - 1;
      await this.deps.service.moveTo(turn.response, index);
      await this.say(dc, turn.t('backAt', { n: index + 1, total: this.deps.service.total }));
      return dc.replaceDialog(DIALOG.question, { index, showPrevious: true });
    }
    if (command.kind === 'skip') {
      const q = this.current(dc);
      const previous = turn.response.answers[q.id];
      // Skipping a question answered before keeps that answer ("go on").
      const response = previous
        ? turn.response
        : await this.deps.service.answer(
            turn.response,
            { question: q.id, raw: turn.text, categories: [], confidence: 1, source: 'respondent', lang: turn.lang, skipped: true },
            { advance: state.mode === 'flow' },
          );
      if (!previous) await this.say(dc, turn.t('skipped'));
      return this.next(dc, response);
    }
    return undefined;
  }

  protected async input(dc: DialogContext, turn: Turn): Promise<DialogTurnResult> {
    if (!turn.response) return dc.replaceDialog(DIALOG.entry);
    const state = this.state(dc);
    const q = this.current(dc);

    // A click on this question's pick card (Teams sends the button's value): a candidate, "something
    // else" or "don't know". Any other click must name one of the question's own categories.
    const pickClick = turn.button && turn.button.q === q.id && state.pick ? this.readPickButton(q, state.pick, turn.button.c) : undefined;
    if (turn.button && !pickClick) {
      if (turn.button.q !== q.id || !(q.categories ?? []).includes(turn.button.c)) {
        await this.say(dc, turn.t('staleButton'));
        return this.enter(dc, turn);
      }
      return this.record(dc, turn, q, { categories: [turn.button.c], confidence: 1, source: 'respondent', lang: turn.lang });
    }

    if (q.type === 'text') {
      // "Ei muuta, kiitos" is no comment: kept as written, counted as skipped.
      const nothing = isNothingToAdd(turn.text);
      return this.record(dc, turn, q, { categories: [], confidence: 1, source: 'respondent', lang: turn.lang, ...(nothing ? { skipped: true } : {}) });
    }

    if (state.pick) {
      const picked = pickClick ?? this.readPick(q, state.pick, turn.text);
      if (picked === 'dontKnow') {
        const pick = state.pick;
        delete state.pick;
        return this.record(dc, { ...turn, text: pick.raw }, q, { categories: [], confidence: 1, source: 'respondent', lang: pick.lang, dontKnow: true });
      }
      if (picked === 'else') {
        delete state.pick;
        await this.say(dc, turn.t('rephrase'), this.optionButtons(q, turn.lang), { question: q.id, lang: turn.lang });
        return Dialog.EndOfTurn;
      }
      if (picked) {
        const pick = state.pick;
        delete state.pick;
        return this.record(
          dc,
          { ...turn, text: pick.raw },
          q,
          { categories: picked, confidence: 1, source: 'respondent', lang: pick.lang },
          { categories: pick.proposed, confidence: pick.confidence },
        );
      }
      delete state.pick; // a new answer in other words: read it afresh
    }

    const text = turn.text.length > NORMALISE_MAX_CHARS ? turn.text.slice(0, NORMALISE_MAX_CHARS) : turn.text;
    const reading = interpret(q, text, turn.lang, this.deps.normaliser);
    if (reading.kind === 'answer') {
      return this.record(dc, turn, q, {
        categories: reading.categories,
        confidence: reading.confidence,
        source: reading.source,
        lang: reading.lang,
        dontKnow: reading.dontKnow,
      });
    }
    if (reading.kind === 'pick') {
      state.pick = { candidates: reading.candidates, raw: turn.text, lang: reading.lang, confidence: reading.confidence, proposed: reading.proposed };
      const buttons: Button[] = reading.candidates.map((c) => ({ title: categoryLabel(q, c, turn.lang), value: { dk: 1, q: q.id, c } }));
      buttons.push({ title: turn.t('pickSomethingElse'), value: { dk: 1, q: q.id, c: PICK_ELSE } });
      // Nothing in the words declined, yet they fit no category: "don't know" is one of the choices.
      if (reading.unplaced) buttons.push({ title: turn.t('pickDontKnow'), value: { dk: 1, q: q.id, c: PICK_DONT_KNOW } });
      await this.say(dc, q.type === 'municipality' ? turn.t('cityPick') : turn.t('pickPrompt'), buttons, {
        question: q.id,
        pick: true,
        lang: turn.lang,
      });
      return Dialog.EndOfTurn;
    }
    if (reading.kind === 'badNumbers') {
      const key = reading.single ? 'badNumberSingle' : 'badNumbers';
      await this.say(dc, turn.t(key, { max: reading.options }), this.optionButtons(q, turn.lang), { question: q.id, lang: turn.lang });
      return Dialog.EndOfTurn;
    }
    if (q.type === 'municipality') {
      await this.say(dc, turn.t('cityUnknown'), [], { question: q.id, lang: turn.lang });
      return Dialog.EndOfTurn;
    }
    await this.say(dc, turn.t('noAnswerGiven', { hint: questionHint(q, turn.lang) }), this.optionButtons(q, turn.lang), {
      question: q.id,
      lang: turn.lang,
    });
    return Dialog.EndOfTurn;
  }

  /** A pick card's button (see `input`): category ids, 'else', 'dontKnow', or undefined (not this card's). */
  private readPickButton(q: Question, pick: NonNullable<QuestionState['pick']>, choice: string): string[] | 'else' | 'dontKnow' | undefined {
    // As its title typed (readPick): "something else" on a question with an `other` category is that.
    if (choice === PICK_ELSE) return (q.categories ?? []).includes('other') ? ['other'] : 'else';
    if (choice === PICK_DONT_KNOW) return 'dontKnow';
    return pick.candidates.includes(choice) ? [choice] : undefined;
  }

  /** The respondent's pick among candidates: category ids, 'else', or undefined (not a pick). */
  private readPick(q: Question, pick: NonNullable<QuestionState['pick']>, text: string): string[] | 'else' | 'dontKnow' | undefined {
    const key = fold(text);
    // The pick buttons' titles as Web Chat sends them back (typed text), in either language.
    const title = (name: string) => LANGS.some((lang) => key === fold(translator(lang)(name)));
    if (title('pickDontKnow')) return 'dontKnow';
    if (title('pickSomethingElse') || key === 'muu' || key === 'other') {
      // "Something else" on a question with an `other` category means exactly that.
      return (q.categories ?? []).includes('other') ? ['other'] : 'else';
    }
    const byLabel = pickByLabels(q, text);
    if (byLabel) return byLabel;
    if (q.type === 'municipality') {
      const hit = pick.candidates.find((c) => fold(c) === key);
      if (hit) return [hit];
      const n = /^\d$/.test(key) ? Number(key) : NaN;
      return n >= 1 && n <= pick.candidates.length ? [pick.candidates[n - 1]!] : undefined;
    }
    return pickByNumbers(q, text);
  }

  /** Stores the answer, says briefly what was noted, and moves on. */
  private async record(
    dc: DialogContext,
    turn: Turn,
    q: Question,
    reading: { categories: string[]; confidence: number; source: Answer['source']; lang: Lang; dontKnow?: boolean; skipped?: boolean },
    normaliser?: Answer['normaliser'],
  ): Promise<DialogTurnResult> {
    const state = this.state(dc);
    const categories = q.type === 'single' || q.type === 'municipality' ? reading.categories.slice(0, 1) : reading.categories;
    const response = await this.deps.service.answer(
      turn.response!,
      {
        question: q.id,
        raw: turn.text,
        categories,
        confidence: reading.confidence,
        source: reading.source,
        lang: reading.lang,
        ...(normaliser ? { normaliser } : {}),
        ...(reading.skipped ? { skipped: true } : {}),
      },
      { advance: state.mode === 'flow' },
    );
    const { t } = turn;
    // How to correct the bot's reading: "back" in the flow; when editing from the summary, the
    // summary that follows shows the change and offers "change an answer" itself.
    const correct = state.mode === 'edit' ? '' : ` ${t('reflectCorrect')}`;
    if (q.type === 'text') {
      if (turn.text.length > 500) await this.say(dc, t('reflectLong', { chars: turn.text.length }));
    } else if (reading.dontKnow || !categories.length) {
      // The bot's reading, not the respondent's click: say how to correct it, as for categories.
      await this.say(dc, reading.source === 'normaliser' ? `${t('dontKnowRecorded')}${correct}` : t('dontKnowRecorded'));
    } else if (reading.source === 'normaliser') {
      const labels = categories.map((c) => categoryLabel(q, c, turn.lang)).join(', ');
      const noted = q.type === 'municipality' ? t('reflectCity', { city: labels }) : t('reflect', { labels });
      await this.say(dc, `${noted}${correct}`);
    }
    return this.next(dc, response);
  }

  private next(dc: DialogContext, response: SurveyResponse): Promise<DialogTurnResult> {
    const state = this.state(dc);
    if (state.mode === 'edit') return dc.replaceDialog(DIALOG.summary, { amend: response.status === 'submitted' });
    const index = state.index + 1;
    if (index >= this.deps.service.total) return dc.replaceDialog(DIALOG.summary, {});
    return dc.replaceDialog(DIALOG.question, { index });
  }
}
