import { describe, expect, it } from 'vitest';
import { cleanPageViews, formSummary, validateJoinForm } from '../../src/customer/join-form.js';
import { customerKeyOfToken, isTokenKey } from '../../src/customer/token.js';

const spec = [
  { var: 'name', label: 'Name', required: true },
  { var: 'email', label: 'Email', required: false },
  { var: 'question', label: 'Your question', required: true },
];

describe('validateJoinForm', () => {
  it('keeps trimmed values, context and custom fields, drops empty ones and FORM_TYPE', () => {
    const v = validateJoinForm({ FORM_TYPE: 'x', name: ' Yuki ', email: '', question: 'fire', order: 'A-1', language: 'ja' }, spec);
    expect(v).toEqual({ name: 'Yuki', question: 'fire', order: 'A-1', language: 'ja' });
  });
  it('names the missing required field', () => {
    expect(() => validateJoinForm({ name: 'Yuki', question: '  ' }, spec)).toThrow('Field "Your question" (question) is required');
  });
  it('refuses a value over 1000 characters, naming it', () => {
    expect(() => validateJoinForm({ name: 'Y', question: 'q', email: 'e'.repeat(1001) }, spec)).toThrow('Field "email" is too long');
  });
  it('accepts only the listed values of a select field', () => {
    const withTopic = [...spec, { var: 'topic', label: 'Topic', required: false, options: [{ value: 'billing' }, { value: 'delivery' }] }];
    expect(validateJoinForm({ name: 'Y', question: 'q', topic: 'delivery' }, withTopic)).toMatchObject({ topic: 'delivery' });
    expect(() => validateJoinForm({ name: 'Y', question: 'q', topic: 'hacking' }, withTopic)).toThrow(
      'Field "Topic" (topic) must be one of: billing, delivery',
    );
  });

  it('refuses more than 20 custom fields and odd field names', () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`c${i}`, 'v']));
    expect(() => validateJoinForm({ name: 'Y', question: 'q', ...many }, spec)).toThrow('Too many custom fields');
    expect(() => validateJoinForm({ name: 'Y', question: 'q', '<script>': 'v' }, spec)).toThrow('invalid name');
  });
});

describe('cleanPageViews', () => {
  it('keeps http(s) pages only, the newest 50, with parsed times never in the future', () => {
    const now = Date.parse('2026-11-22T06:00:00Z');
    const pages = [
      { url: 'javascript:alert(1)', title: 'x', at: '2026-11-22T05:00:00Z' },
      { url: 'https://shop.example/', title: ' Shop ', at: '2026-11-22T05:58:00Z' },
      { url: 'http://shop.example/cart', title: 'Cart', at: '2099-01-01T00:00:00Z' },
    ];
    expect(cleanPageViews(pages, now)).toEqual([
      { url: 'https://shop.example/', title: 'Shop', at: Date.parse('2026-11-22T05:58:00Z') },
      { url: 'http://shop.example/cart', title: 'Cart', at: now },
    ]);
    const many = Array.from({ length: 60 }, (_, i) => ({ url: `https://s.example/${i}`, title: '', at: now }));
    const kept = cleanPageViews(many, now);
    expect(kept).toHaveLength(50);
    expect(kept[0]?.url).toBe('https://s.example/10');
  });
});

describe('formSummary', () => {
  it('lists what the intro does not show already', () => {
    expect(formSummary({ name: 'Yuki', question: 'q', email: 'y@example.com', order: 'A-1', page_url: 'https://x' })).toBe(
      'email: y@example.com · order: A-1',
    );
  });
});

describe('customer token', () => {
  it('hashes a well-formed token into a stable key, never containing the token', () => {
    const token = 'Q2xhc3NpYy10b2tlbi0xMjM0NTY3ODkw';
    const key = customerKeyOfToken(token);
    expect(key).toMatch(/^tok:[0-9a-f]{32}$/);
    expect(customerKeyOfToken(token)).toBe(key);
    expect(key).not.toContain(token);
    expect(isTokenKey(key)).toBe(true);
    expect(isTokenKey('yuki@example.com')).toBe(false);
  });
  it('refuses short or non-base64url tokens', () => {
    expect(() => customerKeyOfToken('short')).toThrow('22–128 base64url');
    expect(() => customerKeyOfToken(`${'a'.repeat(30)}/`)).toThrow('22–128 base64url');
  });
});
