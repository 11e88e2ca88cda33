/** XEP-0313 query parsing (form fields, RSM) and paging, pure. */
import { describe, expect, it } from 'vitest';
import { MAM_DEFAULT_MAX, MAM_MAX, pageOf, parseMamQuery } from '../../src/evidence/mam-query.js';

const form = (...fields: [string, ...string[]][]) => ({
  fields: [['FORM_TYPE', 'urn:xmpp:mam:2'] as [string, string], ...fields].map(([v, ...values]) => ({ var: v, values })),
});
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ seq: (i + 1) * 10 }));

describe('MAM query', () => {
  it('reads with, start, end and the RSM set', () => {
    expect(parseMamQuery({})).toEqual({ max: MAM_DEFAULT_MAX });
    expect(
      parseMamQuery({
        ...form(['with', 't4-ab12@support.localhost'], ['start', '2026-01-01T00:00:00Z'], ['end', '2026-01-02T00:00:00.5+09:00']),
        rsm: { max: '5', after: '42' },
      }),
    ).toEqual({
      with: 't4-ab12@support.localhost',
      start: Date.UTC(2026, 0, 1),
      end: Date.UTC(2026, 0, 1, 15, 0, 0, 500),
      max: 5,
      after: 42,
    });
    expect(parseMamQuery({ rsm: { before: '' } })).toEqual({ max: MAM_DEFAULT_MAX, before: null });
    expect(parseMamQuery({ rsm: { max: '100000' } }).max).toBe(MAM_MAX);
  });

  it.each([
    [form(['start', 'yesterday'])],
    [form(['end', '2026-01-01'])],
    [form(['with', 'not a jid'])],
    [form(['with', 'a@b', 'c@d'])],
    [form(['color', 'blue'])],
    [{ fields: [{ var: 'FORM_TYPE', values: ['urn:xmpp:mam:1'] }] }],
    [{ rsm: { max: 'ten' } }],
    [{ rsm: { after: '1', before: '2' } }],
  ])('refuses a bad form with bad-request: %j', (req) => {
    expect(() => parseMamQuery(req)).toThrow(expect.objectContaining({ condition: 'bad-request' }));
  });

  it('answers item-not-found for an id that cannot exist', () => {
    expect(() => parseMamQuery({ rsm: { after: 'abc' } })).toThrow(expect.objectContaining({ condition: 'item-not-found' }));
  });

  it('pages forwards from the start or after an id, and backwards with before', () => {
    const all = items(7);
    expect(pageOf(all, { max: 3 })).toEqual({ items: all.slice(0, 3), complete: false, firstIndex: 0, count: 7 });
    expect(pageOf(all, { max: 3, after: 30 })).toEqual({ items: all.slice(3, 6), complete: false, firstIndex: 3, count: 7 });
    expect(pageOf(all, { max: 3, after: 60 })).toEqual({ items: all.slice(6), complete: true, firstIndex: 6, count: 7 });
    expect(pageOf(all, { max: 3, after: 70 }).items).toEqual([]);
    expect(pageOf(all, { max: 3, before: null })).toEqual({ items: all.slice(4), complete: false, firstIndex: 4, count: 7 });
    expect(pageOf(all, { max: 3, before: 40 })).toEqual({ items: all.slice(0, 3), complete: true, firstIndex: 0, count: 7 });
    expect(pageOf([], { max: 3 })).toEqual({ items: [], complete: true, firstIndex: 0, count: 0 });
  });
});
