import { describe, expect, it } from 'vitest';
import { escapeMarkdown, markdownLink, plainText } from '../../src/interview/markdown.js';
import { toItem } from '../../src/review/transcript.js';

describe('the bot\'s Markdown', () => {
  it.each([
    'Hyvää päivää. Tämä on digikysely (10 kysymystä) – vastaaminen vie *noin* 10 min!',
    'Write "delete my data" [any time] #1 <b>not html</b> a_b c-d e|f ~g` h\\i',
    '',
  ])('reads back as written: %j', (text) => {
    expect(plainText(escapeMarkdown(text))).toBe(text);
  });

  it('shows a link as its text, with the address when they differ', () => {
    const url = 'https://www.example.fi/tietosuoja (uusi)/';
    expect(plainText(`${escapeMarkdown('Lisätietoja: ')}${markdownLink(url)}${escapeMarkdown('.')}`)).toBe(`Lisätietoja: ${url}.`);
    expect(plainText('[Tietosuoja](https://example.fi/p)')).toBe('Tietosuoja (https://example.fi/p)');
  });

  it('is shown as plain text in the staff transcript, the respondent\'s words as they were sent', () => {
    const bot = toItem('c1', { type: 'message', textFormat: 'markdown', from: { id: 'bot', role: 'bot' }, text: escapeMarkdown('Hyvää päivää. Kiitos!') }, 'u1');
    expect(bot.text).toBe('Hyvää päivää. Kiitos!');
    const user = toItem('c1', { type: 'message', textFormat: 'markdown', from: { id: 'u1', role: 'user' }, text: 'a\\.b' }, 'u1');
    expect(user.text).toBe('a\\.b');
  });
});
