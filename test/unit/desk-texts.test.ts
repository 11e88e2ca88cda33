/** A desk's own texts (src/desk-texts.ts): by the customer's language, with the other as fallback. */
import { describe, expect, it } from 'vitest';
import { deskText } from '../../src/desk-texts.js';
import { texts } from '../../src/texts.js';

describe('desk texts', () => {
  const own = { welcome: { en: 'Hi from {desk}!', ja: '{desk}です。' }, ended: { ja: 'ありがとうございました。' } };

  it('picks Japanese for ja… languages, English otherwise, the other one when only one is given', () => {
    expect(deskText(own, 'welcome', 'ja-JP', 'Support')).toBe('Supportです。');
    expect(deskText(own, 'welcome', 'en', 'Support')).toBe('Hi from Support!');
    expect(deskText(own, 'welcome', undefined, 'Support')).toBe('Hi from Support!');
    expect(deskText(own, 'ended', 'en', 'Support')).toBe('ありがとうございました。');
    expect(deskText(own, 'busy', 'ja', 'Support')).toBeUndefined();
    expect(deskText(undefined, 'closed', 'ja', 'Support')).toBeUndefined();
  });

  it('replaces only its part of the built-in replies; without one they read as before', () => {
    expect(texts.queued('Support', 4, 2, 60_000)).toMatch(/^Welcome to Support\. Your ticket is #4\./);
    expect(texts.queued('Support', 4, 2, 60_000, 'Hi!')).toMatch(/^Hi! Your ticket is #4\./);
    expect(texts.endedByOperator('Alice')).toBe('Alice has ended the chat. Thank you for contacting us.');
    expect(texts.endedByOperator('Alice', 'Bye!')).toBe('Alice has ended the chat. Bye!');
    expect(texts.closedByHours('Sales', 'Closed', 3)).toBe(
      'Sorry, Sales is closed right now (Closed). Your message is kept as #3; an operator will answer it here.',
    );
    expect(texts.closedByHours('Sales', 'Closed', 3, 'We are out.')).toBe(
      'We are out. (Closed) Your message is kept as #3; an operator will answer it here.',
    );
    expect(texts.closedLeaveMessage('Sales', 'Closed')).toBe('Sorry, Sales is closed right now (Closed). Please leave a message.');
  });
});
