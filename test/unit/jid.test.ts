import { describe, expect, it } from 'vitest';
import { bareJid, joinJid, parseJid, resourceOf } from '../../src/jid.js';

describe('parseJid', () => {
  it('splits local, domain and resource', () => {
    expect(parseJid('Alice@Example.COM/Phone')).toEqual({ local: 'Alice', domain: 'example.com', resource: 'Phone' });
  });

  it('handles a domain-only JID and a missing resource', () => {
    expect(parseJid('support.localhost')).toEqual({ local: '', domain: 'support.localhost', resource: '' });
    expect(parseJid('bob@localhost')).toEqual({ local: 'bob', domain: 'localhost', resource: '' });
    expect(parseJid('localhost/admin')).toEqual({ local: '', domain: 'localhost', resource: 'admin' });
  });

  it('splits at the first slash, so resources may hold slashes and @', () => {
    expect(parseJid('a@b/c/d@e')).toEqual({ local: 'a', domain: 'b', resource: 'c/d@e' });
  });
});

describe('bareJid', () => {
  it('drops the resource and lower-cases local and domain', () => {
    expect(bareJid('Alice@Example.COM/Phone')).toBe('alice@example.com');
    expect(bareJid('LOCALHOST/x')).toBe('localhost');
  });
});

describe('resourceOf', () => {
  it('keeps slashes inside the resource', () => {
    expect(resourceOf('user@host/res/with/slashes')).toBe('res/with/slashes');
    expect(resourceOf('user@host')).toBe('');
  });
});

describe('joinJid', () => {
  it('builds bare and full JIDs', () => {
    expect(joinJid('support', 'support.localhost')).toBe('support@support.localhost');
    expect(joinJid('support', 'support.localhost', 'Alice')).toBe('support@support.localhost/Alice');
    expect(joinJid('', 'support.localhost', 'r')).toBe('support.localhost/r');
  });
});
