/**
 * The widget's customer token (docs/widget-protocol.md §1): a secret the browser keeps, of
 * which only a hash is stored. The hash is the customer's key wherever a bare JID would be
 * used for an XMPP-account customer (tickets, notes, blacklist, visits).
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../errors.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,128}$/; // ≥ 128 bits of base64url

export const TOKEN_KEY_PREFIX = 'tok:';
/** A verified user id's key (src/customer/identity.ts): bound by <session/> like a token's. */
export const VERIFIED_KEY_PREFIX = 'vid:';

export function customerKeyOfToken(token: string): string {
  if (!TOKEN_SHAPE.test(token)) throw new DomainError('bad-request', 'The customer token must be 22–128 base64url characters');
  return TOKEN_KEY_PREFIX + createHash('sha256').update(token).digest('hex').slice(0, 32);
}

/** A key bound by the widget's <session/>: a token's, or a verified user id's (acks, reattach, tabs). */
export const isTokenKey = (customerKey: string): boolean =>
  customerKey.startsWith(TOKEN_KEY_PREFIX) || customerKey.startsWith(VERIFIED_KEY_PREFIX);
export const isVerifiedKey = (customerKey: string): boolean => customerKey.startsWith(VERIFIED_KEY_PREFIX);
