/** The impression beacon's body (src/widget-impressions.ts): counts only, an error names the field. */
import { describe, expect, it } from 'vitest';
import { MAX_PER_BEACON, parseImpressions } from '../../src/widget-impressions.js';

const parse = (v: unknown) => parseImpressions(typeof v === 'string' ? v : JSON.stringify(v));

describe('parseImpressions', () => {
  it('reads the contract body; missing states and opened count 0', () => {
    expect(parse({ desk: 'support', shown: { open: 2, busy: 0, closed: 1 }, opened: 1 })).toEqual({
      ok: true,
      value: { desk: 'support', shown: { open: 2, busy: 0, closed: 1 }, opened: 1 },
    });
    expect(parse({ desk: 'sales', shown: { busy: 3 } })).toEqual({
      ok: true,
      value: { desk: 'sales', shown: { open: 0, busy: 3, closed: 0 }, opened: 0 },
    });
  });

  it('refuses anything else, naming the field', () => {
    const error = (v: unknown) => {
      const r = parse(v);
      return r.ok ? 'accepted' : r.error;
    };
    expect(error('not json')).toBe('body: JSON expected');
    expect(error([1])).toBe('body: a JSON object expected');
    expect(error({ shown: {} })).toBe('desk: a desk id expected');
    expect(error({ desk: '../x' })).toBe('desk: a desk id expected');
    expect(error({ desk: 'support', shown: [] })).toMatch(/^shown: /);
    expect(error({ desk: 'support', shown: { away: 1 } })).toMatch(/^shown\.away: unknown state/);
    expect(error({ desk: 'support', shown: { open: -1 } })).toMatch(/^shown\.open: a whole number/);
    expect(error({ desk: 'support', shown: { open: 1.5 } })).toMatch(/^shown\.open: /);
    expect(error({ desk: 'support', shown: { open: '2' } })).toMatch(/^shown\.open: /);
    expect(error({ desk: 'support', shown: { open: MAX_PER_BEACON + 1 } })).toMatch(/^shown\.open: /);
    expect(error({ desk: 'support', opened: 1e9 })).toMatch(/^opened: /);
    // Nothing about the visitor is taken: an extra field is refused, not stored.
    expect(error({ desk: 'support', shown: { open: 1 }, email: 'a@b.c' })).toBe('email: unknown field');
  });
});
