import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { foldReplies } from '../../dialogs/outbox.js';
import { askedQuestion, createHarness, removeDir, type Harness } from '../helpers/surveyHarness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.close();
    await removeDir(h.dir);
  }
});

const text = (t: string): Partial<Activity> => ({ type: 'message', text: t, textFormat: 'plain' });
const prompt = (t: string, question: string): Partial<Activity> => ({
  type: 'message',
  text: t,
  textFormat: 'plain',
  channelData: { question },
  suggestedActions: { to: ['u'], actions: [{ type: 'imBack', title: 'A', value: 'A' }] },
});

describe('folding a turn’s replies', () => {
  it('folds plain texts into the prompt that follows them, keeping its buttons and channelData', () => {
    const [only, ...rest] = foldReplies([text('Kirjasin: rahoitus'), text('Kysymys 7/10'), prompt('Mitkä hankkeet?', 'projects')]);
    expect(rest).toEqual([]);
    expect(only?.text).toBe('Kirjasin: rahoitus\n\nKysymys 7/10\n\nMitkä hankkeet?');
    expect(only?.channelData).toEqual({ question: 'projects' });
    expect(only?.suggestedActions?.actions).toHaveLength(1);
  });

  it('puts folded text above a Teams card and never merges two prompts or crosses other activities', () => {
    const card: Partial<Activity> = {
      type: 'message',
      textFormat: 'plain',
      attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { text: 'Q?' } }],
    };
    const folded = foldReplies([text('a'), card, prompt('p1', 'q1'), { type: 'typing' }, text('b'), text('c')]);
    expect(folded.map((a) => a.type)).toEqual(['message', 'message', 'typing', 'message']);
    expect(folded[0]).toMatchObject({ text: 'a', attachments: card.attachments });
    expect(folded[1]?.text).toBe('p1');
    expect(folded[3]?.text).toBe('b\n\nc');
  });

  it('never folds plain text into Markdown (a respondent’s words must not become markup)', () => {
    const markdown: Partial<Activity> = { ...prompt('**Tervetuloa**', 'consent'), textFormat: 'markdown' };
    const folded = foldReplies([text('*not bold*'), markdown]);
    expect(folded).toHaveLength(2);
    expect(folded[0]).toMatchObject({ text: '*not bold*', textFormat: 'plain' });
    expect(folded[1]).toBe(markdown);
  });
});

describe('the greeting', () => {
  it('is Markdown with the privacy page as a link outside Teams, and everything else escaped', async () => {
    const h = await createHarness({ locale: 'fi-FI' });
    open.push(h);
    const [greeting, ...rest] = await h.join();
    expect(rest).toEqual([]);
    expect(greeting?.textFormat).toBe('markdown');
    expect(greeting?.text).toContain('[https://example\\.com/privacy](https://example.com/privacy)');
    expect(greeting?.text).toContain('Hyvää päivää\\.');
  });

  it('stays plain text in Teams, where the card links the address itself', async () => {
    const h = await createHarness({ locale: 'fi-FI', channelId: 'msteams' });
    open.push(h);
    const [greeting] = await h.join();
    expect(greeting?.textFormat).toBe('plain');
    const card = greeting?.attachments?.[0]?.content as { text: string };
    expect(card.text).toContain('Lisätietoja: https://example.com/privacy');
  });
});

describe('a turn of the real bot', () => {
  it('sends one activity when it reflects an answer and asks the next question', async () => {
    const h = await createHarness({ locale: 'fi-FI' });
    open.push(h);
    await h.join();
    await h.say('kyllä');
    const replies = await h.say('Lahdessa');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(/^Kirjasin kaupungiksi: Lahti[\s\S]*Kysymys 2\/10/);
    expect(askedQuestion(replies)).toBe('role');
  });
});

describe('a turn that fails after its dialog spoke', () => {
  it('still sends what was said before the failure, then the error reaches the adapter', async () => {
    const h = await createHarness();
    open.push(h);
    await h.join();
    await h.say('kyllä');
    // The state write of the next turn fails once (a full disk, say): the dialog has already
    // queued its reflection and the next question.
    const write = h.data.state.write.bind(h.data.state);
    let failures = 0;
    h.data.state.write = async (changes) => {
      if (failures++ === 0) throw new Error('disk full');
      return write(changes);
    };
    const errors: string[] = [];
    h.adapter.onTurnError = async (context, error) => {
      errors.push(String(error));
      await context.sendActivity('virhe');
    };
    const replies = await h.say('Helsinki');
    expect(errors).toEqual(['Error: disk full']);
    expect(replies.map((r) => r.text).at(-1)).toBe('virhe');
    // The queued replies went out before the apology, folded into one message.
    expect(replies).toHaveLength(2);
    expect(replies[0]?.text?.length).toBeGreaterThan(0);
  });
});
