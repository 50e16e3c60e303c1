import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, removeDir, runTable, textOf, askedQuestion, type Harness } from '../helpers/surveyHarness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.close();
    await removeDir(h.dir);
  }
});

function heroCard(replies: any[]): any {
  return replies.flatMap((r) => r.attachments ?? []).find((a: any) => a.contentType === 'application/vnd.microsoft.card.hero');
}

describe('Teams-shaped activities', () => {
  it('uses hero-card buttons, strips @mentions, takes card clicks and refuses stale ones', async () => {
    const h = await createHarness({ channelId: 'msteams', locale: 'fi-FI', userId: '29:teams-user' });
    open.push(h);
    const greet = await h.say({ type: 'installationUpdate', action: 'add' } as never);
    expect(askedQuestion(greet)).toBe('consent');
    const card = heroCard(greet);
    expect(card.content.buttons.map((b: any) => b.type)).toEqual(['messageBack', 'messageBack', 'messageBack']);
    expect(greet.some((r) => r.suggestedActions)).toBe(false);

    // A click on the consent card's "Kyllä".
    const yes = card.content.buttons[0];
    const city = await h.say({ type: 'message', text: yes.text, value: yes.value });
    expect(askedQuestion(city)).toBe('city');

    // "@Digikysely Tampere" with a mention entity: the mention is stripped.
    const role = await h.say({
      type: 'message',
      text: '<at>Digikysely</at> Tampere',
      entities: [{ type: 'mention', text: '<at>Digikysely</at>', mentioned: { id: 'bot', name: 'Digikysely' } }],
    } as never);
    expect(askedQuestion(role)).toBe('role');
    expect(textOf(role)).toContain('Tampere');
    const roleCard = heroCard(role);

    // Answer role by clicking "Tietohallintojohtaja (CIO)".
    const cio = roleCard.content.buttons.find((b: any) => b.value.c === 'cio');
    const strategy = await h.say({ type: 'message', text: cio.text, value: cio.value });
    expect(askedQuestion(strategy)).toBe('strategy');

    // A click on the stale role card while strategy is asked: answered politely, not recorded.
    const mayor = roleCard.content.buttons.find((b: any) => b.value.c === 'mayor');
    const stale = await h.say({ type: 'message', text: mayor.text, value: mayor.value });
    expect(textOf(stale)).toContain('kuului aiempaan kysymykseen');
    expect(askedQuestion(stale)).toBe('strategy');
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.role?.categories).toEqual(['cio']);
    expect(stored?.answers.strategy).toBeUndefined();
    expect(stored?.answers.city?.categories).toEqual(['Tampere']);

    await runTable(h, [['1', { asks: 'responsibility' }]]);
  });
});

describe('Teams card clicks on a pick', () => {
  it('takes a candidate city and "Jotain muuta" from the pick card', async () => {
    const h = await createHarness({ channelId: 'msteams', locale: 'fi-FI', userId: '29:teams-picker' });
    open.push(h);
    const greet = await h.say({ type: 'installationUpdate', action: 'add' } as never);
    const yes = heroCard(greet).content.buttons[0];
    expect(askedQuestion(await h.say({ type: 'message', text: yes.text, value: yes.value }))).toBe('city');

    // Two cities named: a pick card. "Jotain muuta" asks again in other words.
    const pick = await h.say('Vantaa ja Espoo');
    const buttons = heroCard(pick).content.buttons;
    const elseButton = buttons.find((b: any) => b.title === 'Jotain muuta');
    const again = await h.say({ type: 'message', text: elseButton.text, value: elseButton.value });
    expect(textOf(again)).not.toContain('kuului aiempaan kysymykseen');
    expect(askedQuestion(again)).toBe('city');

    // Named again, and this time a candidate is clicked: recorded as the respondent's choice.
    const second = await h.say('Vantaa ja Espoo');
    const vantaa = heroCard(second).content.buttons.find((b: any) => b.title === 'Vantaa');
    const role = await h.say({ type: 'message', text: vantaa.text, value: vantaa.value });
    expect(textOf(role)).not.toContain('kuului aiempaan kysymykseen');
    expect(askedQuestion(role)).toBe('role');
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.city).toMatchObject({ categories: ['Vantaa'], source: 'respondent' });
  });
});

describe('Teams card clicks on a pick of a question with an `other` option', () => {
  it('"Jotain muuta" means other, "En osaa sanoa" a don\'t-know, as when typed', async () => {
    const h = await createHarness({ channelId: 'msteams', locale: 'fi-FI', userId: '29:teams-other' });
    open.push(h);
    const greet = await h.say({ type: 'installationUpdate', action: 'add' } as never);
    const yes = heroCard(greet).content.buttons[0];
    await h.say({ type: 'message', text: yes.text, value: yes.value });
    await runTable(h, [['Oulu', { asks: 'role' }]]);
    const pick = await h.say('vähän kaikkea');
    // "Jotain muuta" is the other option here: the pick does not list "Muu tehtävä" beside it.
    expect(heroCard(pick).content.buttons.map((b: any) => b.title)).not.toContain('Muu tehtävä');
    const elseButton = heroCard(pick).content.buttons.find((b: any) => b.title === 'Jotain muuta');
    expect(askedQuestion(await h.say({ type: 'message', text: elseButton.text, value: elseButton.value }))).toBe('strategy');
    const unplaced = await h.say('Tampereelta');
    const dk = heroCard(unplaced).content.buttons.find((b: any) => b.title === 'En osaa sanoa');
    expect(askedQuestion(await h.say({ type: 'message', text: dk.text, value: dk.value }))).toBe('responsibility');
    const [stored] = await h.data.responses.list('2026');
    expect(stored?.answers.role).toMatchObject({ categories: ['other'], source: 'respondent' });
    expect(stored?.answers.strategy).toMatchObject({ raw: 'Tampereelta', categories: [], source: 'respondent' });
  });
});
