import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EvidenceKeyError,
  loadOrCreateKeyPair,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  readPublicKey,
} from '../../component/evidence/key-pair.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const mode = (path: string) => statSync(path).mode & 0o777;

describe('loadOrCreateKeyPair', () => {
  it('generates an Ed25519 key on first start: private 0600 in a 0700 dir, public key beside it', () => {
    const dataDir = join(tempDir(), 'data', 'evidence');
    const pair = loadOrCreateKeyPair({ dataDir });
    expect(pair.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(mode(join(dataDir, PRIVATE_KEY_FILE))).toBe(0o600);
    expect(mode(dataDir)).toBe(0o700);
    expect(readFileSync(join(dataDir, PUBLIC_KEY_FILE), 'utf8')).toBe(pair.publicKeyPem);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('loads the same key on the next start', () => {
    const dataDir = tempDir();
    const first = loadOrCreateKeyPair({ dataDir });
    expect(loadOrCreateKeyPair({ dataDir }).keyId).toBe(first.keyId);
  });

  it('refuses a private key readable by group or others', () => {
    const dataDir = tempDir();
    loadOrCreateKeyPair({ dataDir });
    chmodSync(join(dataDir, PRIVATE_KEY_FILE), 0o644);
    expect(() => loadOrCreateKeyPair({ dataDir })).toThrow(/chmod 600/);
  });

  it('loads a configured PEM file, and refuses keys that are not Ed25519', () => {
    const dir = tempDir();
    const pemPath = join(dir, 'key.pem');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(pemPath, ed, { mode: 0o600 });
    expect(loadOrCreateKeyPair({ pemPath }).keyId).toMatch(/^ed25519:/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(pemPath, rsa, { mode: 0o600 });
    expect(() => loadOrCreateKeyPair({ pemPath })).toThrow(EvidenceKeyError);
    expect(() => loadOrCreateKeyPair({ pemPath: join(dir, 'missing.pem') })).toThrow(/no such key file/);
  });

  it('reads the public key the verifier is given, with the same key id', () => {
    const pair = loadOrCreateKeyPair({ dataDir: tempDir() });
    expect(readPublicKey(pair.publicKeyPem).keyId).toBe(pair.keyId);
    expect(() => readPublicKey('not a key')).toThrow(EvidenceKeyError);
  });
});
