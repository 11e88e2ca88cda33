/**
 * Verified identity (issue 20): the host site's backend signs the user id, and the email when it
 * sends one, with the desk's secret (config `identity`), HMAC-SHA256 in lower-case hex:
 *
 *   signature = hex(HMAC-SHA256(secret, email ? userId + "\n" + email : userId))
 *
 * A valid signature makes the customer's key the user id's (`vid:…`), so notes, earlier visits
 * and `!ban` follow the person across browsers and devices. Anything else is only a claim: the
 * customer stays the anonymous visitor of its token, and the claim is shown as unverified.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../errors.js';
import { VERIFIED_KEY_PREFIX } from './token.js';

export interface IdentityClaim {
  userId: string;
  name?: string;
  email?: string;
  signature?: string;
}

/** The secret that signs a desk's identities; `scope` names whose user ids they are ('*': every desk sharing it). */
export interface IdentitySecret {
  scope: string;
  secret: string;
}

export type IdentityCheck =
  | { verified: true; key: string; claim: IdentityClaim }
  | { verified: false; reason: 'unsigned' | 'bad-signature' | 'no-secret'; claim: IdentityClaim };

const LIMITS = { userId: 256, name: 100, email: 254 } as const;
const CONTROL = /\p{Cc}/u; // control characters (a newline would change what was signed)
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** What the site signs: the user id, or the user id, a newline and the email. */
export const signedString = (userId: string, email?: string): string => (email ? `${userId}\n${email}` : userId);

/** What the site's backend computes (also used by tests and the README's examples). */
export const signIdentity = (secret: string, userId: string, email?: string): string =>
  createHmac('sha256', secret).update(signedString(userId, email), 'utf8').digest('hex');

/** The customer key of a verified user id: hashed, so Redis keys never hold the site's ids. */
export const verifiedKey = (scope: string, userId: string): string =>
  VERIFIED_KEY_PREFIX + createHash('sha256').update(`${scope}\n${userId}`, 'utf8').digest('hex').slice(0, 32);

/** A claim as received, bounded; throws bad-request naming what is wrong. */
export function cleanClaim(raw: { userId?: string; name?: string; email?: string; signature?: string }): IdentityClaim {
  const field = (name: keyof typeof LIMITS, value: string | undefined): string | undefined => {
    const v = (value ?? '').trim();
    if (v.length > LIMITS[name]) throw new DomainError('bad-request', `identity ${name} is longer than ${LIMITS[name]} characters`);
    if (CONTROL.test(v)) throw new DomainError('bad-request', `identity ${name} contains control characters`);
    return v || undefined;
  };
  const userId = field('userId', raw.userId);
  if (!userId) throw new DomainError('bad-request', 'identity needs a user-id');
  const name = field('name', raw.name);
  const email = field('email', raw.email);
  const signature = (raw.signature ?? '').trim();
  return { userId, ...(name ? { name } : {}), ...(email ? { email } : {}), ...(signature ? { signature } : {}) };
}

/** Checks the signature in constant time; never throws for a wrong one (that is only "unverified"). */
export function checkIdentity(claim: IdentityClaim, secret: IdentitySecret | undefined): IdentityCheck {
  if (!claim.signature) return { verified: false, reason: 'unsigned', claim };
  if (!secret) return { verified: false, reason: 'no-secret', claim };
  if (!HEX_SHA256.test(claim.signature)) return { verified: false, reason: 'bad-signature', claim };
  const expected = Buffer.from(signIdentity(secret.secret, claim.userId, claim.email), 'hex');
  const given = Buffer.from(claim.signature, 'hex');
  if (!timingSafeEqual(expected, given)) return { verified: false, reason: 'bad-signature', claim };
  return { verified: true, key: verifiedKey(secret.scope, claim.userId), claim };
}
