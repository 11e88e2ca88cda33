import { describe, expect, it } from 'vitest';
import { maskedLocal, parseMaskedLocal } from '../../src/masked-jid.js';

describe('maskedLocal', () => {
  it('has the form t<ticket>-<4 lower-case alphanumerics>', () => {
    for (let i = 0; i < 200; i++) expect(maskedLocal(i + 1)).toMatch(/^t\d+-[0-9a-z]{4}$/);
  });

  it('uses the random source for the suffix, including both alphabet ends', () => {
    expect(maskedLocal(42, () => 0)).toBe('t42-0000');
    expect(maskedLocal(7, () => 0.9999)).toBe('t7-zzzz');
    const seq = [0, 10 / 36, 35 / 36, 0.5];
    let i = 0;
    expect(maskedLocal(3, () => seq[i++] ?? 0)).toBe('t3-0azi');
  });
});

describe('parseMaskedLocal', () => {
  it('round-trips the ticket number', () => {
    for (const ticket of [1, 42, 123456]) expect(parseMaskedLocal(maskedLocal(ticket))).toEqual({ ticket });
  });

  it.each(['support', 't1-ABCD', 't-abcd', 't1-abc', 't1-abcde', 'x1-abcd', 't1abcd', '', 't1-ab_d'])('rejects %j', (local) => {
    expect(parseMaskedLocal(local)).toBeUndefined();
  });
});
