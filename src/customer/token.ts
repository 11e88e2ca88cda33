/**
 * The widget's customer token (docs/widget-protocol.md §1): a secret the browser keeps, of
 * which only a hash is stored. The hash is the customer's key wherever a bare JID would be
 * used for an XMPP-account customer (tickets, notes, blacklist, visits).
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../errors.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,128}$/; // ≥ 128 bits of base64url

export const TOKEN_KEY_PREFIX = 'tok:';

export function customerKeyOfToken(token: string): string {
  if (!TOKEN_SHAPE.test(token)) throw new DomainError('bad-request', 'The customer token must be 22–128 base64url characters');
  return TOKEN_KEY_PREFIX + createHash('sha256').update(token).digest('hex').slice(0, 32);
}

export const isTokenKey = (customerKey: string): boolean => customerKey.startsWith(TOKEN_KEY_PREFIX);
