import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.js';
import { checkBodyLength, isRelayedPayload } from '../../src/relay-policy.js';

describe('isRelayedPayload', () => {
  it.each([
    ['active', 'http://jabber.org/protocol/chatstates'],
    ['request', 'urn:xmpp:receipts'],
    ['displayed', 'urn:xmpp:chat-markers:0'],
    ['replace', 'urn:xmpp:message-correct:0'],
    ['x', 'jabber:x:oob'],
    ['origin-id', 'urn:xmpp:sid:0'],
    ['rtt', 'urn:xmpp:rtt:0'],
  ])('relays <%s xmlns=%j>', (name, xmlns) => {
    expect(isRelayedPayload(name, xmlns)).toBe(true);
  });

  it('never relays a client-supplied stanza-id', () => {
    expect(isRelayedPayload('stanza-id', 'urn:xmpp:sid:0')).toBe(false);
  });

  it.each([
    ['addresses', 'http://jabber.org/protocol/address'],
    ['nick', 'http://jabber.org/protocol/nick'],
    ['x', 'jabber:x:conference'],
    ['active', undefined],
  ])('strips <%s xmlns=%j>', (name, xmlns) => {
    expect(isRelayedPayload(name, xmlns)).toBe(false);
  });
});

describe('checkBodyLength', () => {
  const codeOf = (fn: () => void): string | undefined => {
    try {
      fn();
    } catch (err) {
      return err instanceof DomainError ? err.code : `not a DomainError: ${String(err)}`;
    }
    return undefined;
  };

  it('accepts a missing body and one at the limit', () => {
    expect(codeOf(() => checkBodyLength(undefined, 1))).toBeUndefined();
    expect(codeOf(() => checkBodyLength('abcde', 5))).toBeUndefined();
  });

  it('counts code points, not UTF-16 units', () => {
    const emoji = '😀'.repeat(5); // 10 code units, 5 code points
    expect(emoji.length).toBe(10);
    expect(codeOf(() => checkBodyLength(emoji, 5))).toBeUndefined();
    expect(codeOf(() => checkBodyLength(`${emoji}😀`, 5))).toBe('body-too-long');
  });

  it('throws body-too-long with the limit in the message', () => {
    expect(() => checkBodyLength('abcdef', 5)).toThrow(new DomainError('body-too-long', 'Message too long: at most 5 characters'));
    expect(codeOf(() => checkBodyLength('abcdef', 5))).toBe('body-too-long');
  });
});
