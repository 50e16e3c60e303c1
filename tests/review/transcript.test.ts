import { describe, expect, it } from 'vitest';
import { toItem } from '../../src/review/transcript.js';

describe('transcript items', () => {
  it('reads a Teams hero card reply without a role, and a button click with its value', () => {
    const reply = toItem('c1', {
      type: 'message',
      from: { id: '28:bot-app-id', name: 'Digikysely' },
      recipient: { id: '29:user', name: 'Anna' },
      timestamp: '2026-11-02T09:00:01.000Z',
      text: 'Kuka johtaa digitalisaatiota?',
      channelData: { question: 'responsibility' },
      attachments: [{
        contentType: 'application/vnd.microsoft.card.hero',
        content: { text: 'Kuka johtaa digitalisaatiota?', buttons: [{ type: 'messageBack', title: 'Tietohallinto', value: { dk: 1, q: 'responsibility', c: 'it_management' } }] },
      }],
    }, '29:user');
    expect(reply).toMatchObject({
      role: 'bot',
      question: 'responsibility',
      buttons: ['Tietohallinto'],
      attachments: [{ contentType: 'application/vnd.microsoft.card.hero', text: 'Kuka johtaa digitalisaatiota?' }],
    });
    const click = toItem('c1', {
      type: 'message',
      from: { id: '29:user', name: 'Anna' },
      timestamp: '2026-11-02T09:00:05.000Z',
      text: 'Tietohallinto',
      value: { dk: 1, q: 'responsibility', c: 'it_management' },
    }, '29:user');
    expect(click).toMatchObject({ role: 'user', text: 'Tietohallinto', value: '{"dk":1,"q":"responsibility","c":"it_management"}' });
    const adaptive = toItem('c1', {
      type: 'message', from: { id: 'b', role: 'bot' },
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [{ type: 'TextBlock', text: 'Yhteenveto' }, { type: 'Container', items: [{ type: 'TextBlock', text: 'Rivi' }] }] } }],
    });
    expect(adaptive.attachments[0]!.text).toBe('Yhteenveto\nRivi');
    expect(toItem('c1', { type: 'typing' })).toMatchObject({ type: 'typing', role: 'unknown', text: null, timestamp: null });
  });
});
