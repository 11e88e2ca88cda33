/** Issue 20: the signed string, the HMAC, the constant-time check and the claim's bounds (src/customer/identity.ts). */
import { describe, expect, it } from 'vitest';
import { checkIdentity, cleanClaim, signIdentity, verifiedKey } from '../../src/customer/identity.js';
import { isTokenKey, isVerifiedKey } from '../../src/customer/token.js';

const SECRET = 'dev-identity-secret-change-me';
const shared = { scope: '*', secret: SECRET };
// Computed with `printf 'u-42\nyuki@example.com' | openssl dgst -sha256 -hmac dev-identity-secret-change-me` (and without the email).
const WITH_EMAIL = 'edbaae51cf15878e9b7e7886e66a4005268eb80aa2cb9333f13a4e97976e6646';
const ID_ONLY = '8e3cdcbbf8dc0080018abe307e8334bd037bf51209167292dda1abe7fc7939f0';

describe('verified identity', () => {
  it('signs userId, or userId + "\\n" + email, as lower-case hex HMAC-SHA256 (as openssl does)', () => {
    expect(signIdentity(SECRET, 'u-42', 'yuki@example.com')).toBe(WITH_EMAIL);
    expect(signIdentity(SECRET, 'u-42')).toBe(ID_ONLY);
  });

  it('verifies a right signature (any hex case) to the user id’s key', () => {
    const ok = checkIdentity({ userId: 'u-42', email: 'yuki@example.com', signature: WITH_EMAIL.toUpperCase() }, shared);
    expect(ok).toMatchObject({ verified: true, key: verifiedKey('*', 'u-42') });
    expect(ok.verified && isVerifiedKey(ok.key) && isTokenKey(ok.key)).toBe(true);
    expect(checkIdentity({ userId: 'u-42', signature: ID_ONLY }, shared).verified).toBe(true);
  });

  it('anything else is unverified, with the reason', () => {
    const check = (claim: Parameters<typeof checkIdentity>[0], ...secret: [Parameters<typeof checkIdentity>[1]] | []) => {
      const r = checkIdentity(claim, secret.length ? secret[0] : shared);
      return r.verified ? 'verified' : r.reason;
    };
    expect(check({ userId: 'u-42', email: 'yuki@example.com' })).toBe('unsigned');
    expect(check({ userId: 'u-42', email: 'yuki@example.com', signature: ID_ONLY })).toBe('bad-signature'); // the email is signed too
    expect(check({ userId: 'u-43', signature: ID_ONLY })).toBe('bad-signature');
    expect(check({ userId: 'u-42', email: 'other@example.com', signature: WITH_EMAIL })).toBe('bad-signature');
    expect(check({ userId: 'u-42', signature: ID_ONLY.slice(0, 62) })).toBe('bad-signature');
    expect(check({ userId: 'u-42', signature: `${ID_ONLY.slice(0, 63)}g` })).toBe('bad-signature');
    expect(check({ userId: 'u-42', signature: ID_ONLY }, undefined)).toBe('no-secret');
    expect(check({ userId: 'u-42', signature: ID_ONLY }, { scope: '*', secret: 'another-secret-0123456789' })).toBe('bad-signature');
  });

  it('keys are scoped by the secret’s scope and never hold the user id', () => {
    expect(verifiedKey('*', 'u-42')).not.toBe(verifiedKey('sales', 'u-42'));
    expect(verifiedKey('*', 'u-42')).toMatch(/^vid:[0-9a-f]{32}$/);
  });

  it('bounds a claim: user id required, lengths, no control characters', () => {
    expect(cleanClaim({ userId: ' u-42 ', name: ' Yuki ', email: '' })).toEqual({ userId: 'u-42', name: 'Yuki' });
    expect(() => cleanClaim({ userId: '' })).toThrow(/user-id/);
    expect(() => cleanClaim({ userId: 'x'.repeat(257) })).toThrow(/userId is longer/);
    expect(() => cleanClaim({ userId: 'u-42', name: 'a\u0000b' })).toThrow(/control/);
    expect(() => cleanClaim({ userId: 'u-42', email: `${'e'.repeat(250)}@x.io` })).toThrow(/email is longer/);
  });
});
