/**
 * The deployment's Ed25519 evidence key: generated on first start into the data dir (private
 * key 0600 in a 0700 dir, public key next to it), or loaded from a configured PEM file. A
 * private key readable by group or others is refused, as ssh does.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf } from './crypto.js';

export const PRIVATE_KEY_FILE = 'evidence-key.pem';
export const PUBLIC_KEY_FILE = 'evidence-key.pub.pem';

export interface EvidenceKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  publicKeyPem: string;
  /** Where the private key came from (a path), for logs. */
  source: string;
}

export type KeySource = { dataDir: string } | { pemPath: string };

export class EvidenceKeyError extends Error {
  override name = 'EvidenceKeyError';
}

function fromPrivatePem(pem: string, source: string): EvidenceKeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new EvidenceKeyError(`${source}: not a PEM private key (${(err as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new EvidenceKeyError(`${source}: expected an Ed25519 key, found ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    source,
  };
}

function checkPermissions(path: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077)
    throw new EvidenceKeyError(`${path}: private key is accessible by group/others (mode ${mode.toString(8)}); run chmod 600 on it`);
}

function load(path: string): EvidenceKeyPair {
  checkPermissions(path);
  return fromPrivatePem(readFileSync(path, 'utf8'), path);
}

/** Writes the new key under a temporary name, then links it into place: exclusive and atomic. */
function create(dataDir: string): EvidenceKeyPair {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, PRIVATE_KEY_FILE);
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, pem, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600); // in case of a restrictive-but-odd umask
  try {
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return load(path); // another process won the race: use its key
  } finally {
    unlinkSync(tmp);
  }
  const pair = fromPrivatePem(pem, path);
  writeFileSync(join(dataDir, PUBLIC_KEY_FILE), pair.publicKeyPem, { mode: 0o644 });
  return pair;
}

/** A fresh key pair that lives in memory only (tests, tools). */
export function generateEvidenceKeyPair(): EvidenceKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  return fromPrivatePem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'memory');
}

export function loadOrCreateKeyPair(source: KeySource): EvidenceKeyPair {
  if ('pemPath' in source) {
    if (!existsSync(source.pemPath)) throw new EvidenceKeyError(`${source.pemPath}: no such key file`);
    return load(source.pemPath);
  }
  const path = join(source.dataDir, PRIVATE_KEY_FILE);
  return existsSync(path) ? load(path) : create(source.dataDir);
}

/** A public key for verification (SPKI PEM; a private key PEM is accepted and reduced to its public half). */
export function readPublicKey(pem: string, source = 'public key'): { publicKey: KeyObject; keyId: string } {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch (err) {
    throw new EvidenceKeyError(`${source}: not a PEM public key (${(err as Error).message})`);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519')
    throw new EvidenceKeyError(`${source}: expected an Ed25519 key, found ${publicKey.asymmetricKeyType}`);
  return { publicKey, keyId: keyIdOf(publicKey) };
}
