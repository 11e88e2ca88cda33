/**
 * The cryptography of the evidence log, on node:crypto: SHA-256 for the chain, Ed25519 for
 * checkpoints and export manifests. The chain logic itself is pure (src/evidence/).
 * References: https://www.rfc-editor.org/rfc/rfc8032 (Ed25519)
 */
import { createHash, hash, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { HashFn, Signer, VerifyFn } from '../../src/evidence/entry.js';

/** One-shot crypto.hash (Node ≥ 20.12) is ~40% cheaper than a Hash object for a record's ~1 KB, hashed twice per record. */
export const sha256Hex: HashFn =
  typeof hash === 'function' ? (text) => hash('sha256', text, 'hex') : (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A short, stable name for a public key: `ed25519:` + 16 hex digits of SHA-256 over its SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

export function createSigner(privateKey: KeyObject, keyId: string): Signer {
  return { keyId, sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64') };
}

export function createVerifier(publicKey: KeyObject): VerifyFn {
  return (message, signature) => {
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64 || bytes.toString('base64') !== signature) return false; // one spelling only
    try {
      return verify(null, Buffer.from(message, 'utf8'), publicKey, bytes);
    } catch {
      return false;
    }
  };
}

/** 128-bit random salts (base64url) from a pooled buffer: one randomBytes call per 256 salts. */
export function createSaltSource(): () => string {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 16 > pool.length) {
      pool = randomBytes(16 * 256);
      offset = 0;
    }
    offset += 16;
    return pool.toString('base64url', offset - 16, offset);
  };
}
