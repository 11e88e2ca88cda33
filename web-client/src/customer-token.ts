/**
 * The customer token (docs/widget-protocol.md §1): 144 random bits from
 * crypto.getRandomValues, base64url, kept in localStorage. A secret that recognises the
 * customer across visits; never shown, never a name.
 */
import type { KeyValue } from './storage.js';

export const TOKEN_KEY = 'mdg:token';
const TOKEN_BYTES = 18; // 144 bits → 24 base64url characters
const VALID = /^[A-Za-z0-9_-]{22,128}$/;

export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function customerToken(
  store: KeyValue,
  random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
): string {
  const kept = store.getItem(TOKEN_KEY);
  if (kept && VALID.test(kept)) return kept;
  const token = base64url(random(TOKEN_BYTES));
  store.setItem(TOKEN_KEY, token);
  return token;
}
