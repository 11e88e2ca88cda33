import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson, parseCanonical } from '../../src/evidence/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every level, omits undefined, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
  });

  it('sorts by UTF-16 code units (RFC 8785), not by locale', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '\u{1F600}': 4, '\uFFFF': 5 })).toBe('{"Z":3,"z":2,"é":1,"😀":4,"\uFFFF":5}');
  });

  it('escapes strings exactly as JSON.stringify does', () => {
    const s = 'quote " backslash \\ nl \n ctrl \u0001 del \u007f 東京 😀 lone \ud800';
    expect(canonicalJson(s)).toBe(JSON.stringify(s));
    expect(JSON.parse(canonicalJson(s))).toBe(s);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])('refuses the number %s', (n) => {
    expect(() => canonicalJson({ n })).toThrow(CanonicalJsonError);
  });

  it('writes -0 as 0', () => {
    expect(canonicalJson(-0)).toBe('0');
  });

  it('refuses non-plain objects', () => {
    expect(() => canonicalJson(new Date() as never)).toThrow(CanonicalJsonError);
  });
});

describe('parseCanonical', () => {
  it('accepts exactly the canonical spelling', () => {
    expect(parseCanonical('{"a":1,"b":"\\u0001"}')).toEqual({ ok: true, value: { a: 1, b: '\u0001' } });
  });

  it.each([
    ['{"b":1,"a":1}', 'keys out of order'],
    ['{"a": 1}', 'whitespace'],
    ['{"a":1}\r', 'trailing carriage return'],
    ['{"a":"\\u001F"}', 'upper-case escape'],
    ['{"a":"\\/"}', 'escaped solidus'],
    ['{"a":1e0}', 'exponent'],
    ['{"a":1,"a":1}', 'duplicate key'],
  ])('rejects %s (%s)', (text) => {
    expect(parseCanonical(text).ok).toBe(false);
  });

  it('rejects what is not JSON', () => {
    expect(parseCanonical('{"a":')).toEqual({ ok: false, reason: 'not valid JSON' });
  });
});
