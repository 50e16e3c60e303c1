import { afterEach, describe, expect, it } from 'vitest';
import { responseId } from '../../src/core/ids.js';
import { askedQuestion, buttonsOf, createHarness, removeDir, runTable, textOf, type Harness } from '../helpers/surveyHarness.js';

const open: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  for (const d of dirs.splice(0)) await removeDir(d);
});

async function harness(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  const h = await createHarness(options);
  open.push(h);
  if (!dirs.includes(h.dir)) dirs.push(h.dir);
  return h;
}

describe('a whole interview in English', () => {
  it('takes free-text answers, reflects what it noted, and submits', async () => {
    const h = await harness({ locale: 'en-US', userId: 'cio-espoo' });
    const greeting = await h.say('Hello');
    expect(textOf(greeting)).toContain('Good day');
    expect(textOf(greeting)).toContain('Privacy');
    expect(buttonsOf(greeting)).toEqual(['Yes', 'No', 'Suomeksi']);

    await runTable(h, [
      ['yes', { asks: 'city', says: ['Question 1/10'] }],
      ['City of Espoo', { asks: 'role', says: ['Noted as your city: Espoo', 'write "back"'] }],
      ['Chief information officer (CIO)', { asks: 'strategy' }],
      ['It is one of the main goals of our city strategy', { asks: 'responsibility' }],
      ['back', { asks: 'strategy', says: ['Your earlier answer'] }],
      ['1', { asks: 'responsibility' }],
      ['status', { asks: 'responsibility', says: ['Answered 3/10'] }],
      ['skip', { asks: 'rpa', says: ['Skipped'] }],
      ['2', { asks: 'challenges' }],
      ["I don't know", { asks: 'projects', says: ["don't know"] }],
      ['3, 4', { asks: 'sote_impact' }],
      ['5', { asks: 'goals' }],
      ['Better services for residents, Data-driven management', { asks: 'comments' }],
      // Nothing to add: stored as skipped (a comment count is not a count of "no comments"), shown as written.
      [
        'Nothing to add, thanks.',
        { asks: 'submit', says: ['A summary of your answers', '1. City: Espoo', '4. Responsibility for digitalisation: (skipped)', '10. Other comments: Nothing to add, thanks.'] },
      ],
      // At the summary, the answers are shown once (the summary itself), not listed twice.
      ['show my answers', { asks: 'submit', says: [/^(?![\s\S]*1\. City[\s\S]*1\. City)[\s\S]*A summary of your answers/] }],
      ['yes', { asks: 'submitted', says: ['Thank you!', 'compare'] }],
    ]);

    const stored = await h.data.responses.get(responseId('2026', { channel: 'test', userId: 'cio-espoo' }));
    expect(stored?.language).toBe('en');
    expect(stored?.answers.city).toMatchObject({ categories: ['Espoo'], source: 'normaliser' });
    expect(stored?.answers.role?.categories).toEqual(['cio']);
    expect(stored?.answers.strategy?.categories).toEqual(['main_goal']);
    expect(stored?.answers.responsibility?.skipped).toBe(true);
    expect(stored?.answers.comments).toMatchObject({ skipped: true, raw: 'Nothing to add, thanks.' });
    expect(stored?.answers.challenges).toMatchObject({ categories: [], raw: "I don't know" });
    expect(stored?.answers.goals?.categories).toEqual(['citizen_services', 'data_driven']);
    expect(stored?.status).toBe('submitted');

    // The respondent's mirror: published aggregates only.
    await runTable(h, [
      [
        'compare',
        {
          says: [
            'In 2016, 75 % of cities said IT management leads digitalisation; you said: no answer.',
            'In 2018, 57 % of cities (8 of 14) said IT management leads digitalisation',
            'In 2018, 7 % of cities (1 of 14) said of software robotics: "Not considered in the strategy"; you said: Planned or being assessed.',
          ],
          not: ['Espoo'],
        },
      ],
    ]);
  });
});

describe('conversation, not just answers', () => {
  it('takes "sure, go ahead" as consent and repeats the question when asked back, noting nothing', async () => {
    const h = await harness({ locale: 'en-GB' });
    await h.join();
    await runTable(h, [
      ['Sure, go ahead', { asks: 'city' }],
      ['Espoo', { asks: 'role' }],
      ['What was the question again?', { asks: 'role', says: ['What is your role'], not: ["don't know"] }],
      ["Sorry, I don't understand the question", { asks: 'role', says: ['What is your role'], not: ["don't know"] }],
      ['CIO', { asks: 'strategy' }],
    ]);
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.role?.categories).toEqual(['cio']);
  });
});

describe('resume', () => {
  it('continues at the same question after the storage is reopened (a server restart)', async () => {
    const first = await harness({ locale: 'fi-FI', userId: 'resumer' });
    await first.join();
    await runTable(first, [
      ['kyllä', { asks: 'city' }],
      ['Oulu', { asks: 'role' }],
      ['3', { asks: 'strategy' }],
    ]);
    await first.close();
    open.splice(open.indexOf(first), 1);

    // Same conversation after the restart: the dialog continues where it was.
    const second = await harness({ dir: first.dir, locale: 'fi-FI', userId: 'resumer' });
    await runTable(second, [['1', { asks: 'responsibility', says: ['Kysymys 4/10'] }]]);
    await second.close();
    open.splice(open.indexOf(second), 1);

    // Days later in a new conversation (Web Chat opened anew): a reminder, then the question.
    const third = await harness({ dir: first.dir, locale: 'fi-FI', userId: 'resumer', conversationId: 'conv-2' });
    await runTable(third, [['Hei, jatketaan', { asks: 'responsibility', says: ['Tervetuloa takaisin', 'kysymys 4/10'] }]]);
    await runTable(third, [['Tietohallinto', { asks: 'rpa' }]]);
    const [stored] = await third.data.responses.list('2026');
    expect(stored?.conversations).toEqual(['conv-1', 'conv-2']);
    expect(stored?.answers.responsibility?.categories).toEqual(['it_management']);
  });

  it('after a long silence in the same conversation, reminds before asking again', async () => {
    let clock = Date.now();
    const h = await harness({ locale: 'fi-FI', resumeAfterMs: 60 * 60_000, now: () => clock });
    await h.join();
    await runTable(h, [
      ['kyllä', { asks: 'city' }],
      ['Porista', { asks: 'role' }],
    ]);
    clock += 2 * 60 * 60_000; // two hours later
    // The first message after the silence is not taken as an answer: the question is re-asked.
    await runTable(h, [['hei', { asks: 'role', says: ['Tervetuloa takaisin', 'kysymys 2/10'] }]]);
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.role).toBeUndefined();
  });
});

describe('bad input', () => {
  it('never crashes and never loses an answer', async () => {
    const h = await harness({ locale: 'fi-FI' });
    await h.join();
    await runTable(h, [['kyllä', { asks: 'city' }]]);

    const empty = await h.say('   ');
    expect(askedQuestion(empty)).toBe('city');
    expect(textOf(empty)).toContain('tyhjä');

    const attachment = await h.say({ type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/x.png' }] });
    expect(textOf(attachment)).toContain('vain tekstiä');

    const emoji = await h.say('🚀🚀');
    expect(askedQuestion(emoji)).toBe('city');

    const typing = await h.say({ type: 'typing' });
    expect(typing).toEqual([]);

    const unknownCommand = await h.say('/reset-all');
    expect(askedQuestion(unknownCommand)).toBe('city');

    await runTable(h, [['Jyväskylä', { asks: 'role' }]]);
    const huge = 'x'.repeat(10_000);
    const replies = await h.say(huge);
    expect(textOf(replies).length).toBeLessThan(2000);
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.city?.categories).toEqual(['Jyväskylä']);
  });
});
