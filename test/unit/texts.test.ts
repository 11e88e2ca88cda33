import { describe, expect, it } from 'vitest';
import { customerName, formatDuration, texts } from '../../src/texts.js';

describe('texts', () => {
  it('phrases the wait for a queued customer', () => {
    expect(texts.position(7, 2, 0)).toBe('Ticket #7: you are now number 2 in line (an operator will be with you shortly).');
    expect(texts.position(7, 2, 150_000)).toBe('Ticket #7: you are now number 2 in line (estimated wait about 3 min).');
    expect(texts.position(7, 2, Number.POSITIVE_INFINITY)).toBe(
      'Ticket #7: you are now number 2 in line (no operator is online right now; you keep your place).',
    );
  });
});

describe('formatDuration', () => {
  it('uses seconds below a minute, then minutes and seconds', () => {
    expect(formatDuration(-10)).toBe('0 s');
    expect(formatDuration(59_400)).toBe('59 s');
    expect(formatDuration(59_600)).toBe('1 min 0 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});

describe('customerName', () => {
  it('is the name the customer gave, or their ticket', () => {
    expect(customerName({ id: 7, name: 'Yuki' })).toBe('Yuki');
    expect(customerName({ id: 7, name: '' })).toBe('Customer #7');
  });
});
