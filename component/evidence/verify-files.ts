/**
 * Verifies exported or mirrored log files with nothing but the public key: expands
 * directories (their *.jsonl in name order, and manifest.json when present), streams
 * every line through the pure chain verifier, stops at the first bad record.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../../src/evidence/manifest.js';
import { createChainVerifier, type VerifySummary } from '../../src/evidence/verify-chain.js';
import { createVerifier, sha256Hex } from './crypto.js';
import { readPublicKey } from './key-pair.js';
import { listLogFiles, readLogLines } from './log-files.js';

export interface FileVerifyResult extends VerifySummary {
  files: string[];
  keyId: string;
  manifestPath?: string;
}

export interface FileVerifyOptions {
  /** A manifest to enforce; by default a directory's own manifest.json, if it has one. */
  manifestPath?: string;
}

export async function verifyLogFiles(paths: readonly string[], publicKeyPem: string, opts: FileVerifyOptions = {}): Promise<FileVerifyResult> {
  const { publicKey, keyId } = readPublicKey(publicKeyPem);
  const files: string[] = [];
  let manifestPath = opts.manifestPath;
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      files.push(...(await listLogFiles(path)));
      if (!manifestPath && existsSync(join(path, MANIFEST_FILE))) manifestPath = join(path, MANIFEST_FILE);
    } else files.push(path);
  }
  const base = { files, keyId, ...(manifestPath ? { manifestPath } : {}) };
  let manifest: Manifest | undefined;
  if (manifestPath) {
    const parsed = parseManifest(await readFile(manifestPath, 'utf8'));
    if (typeof parsed === 'string') {
      return {
        ...base, ok: false, failure: { seq: null, reason: parsed, where: manifestPath }, records: 0, fromGenesis: false, checkpoints: 0,
        unsignedTail: 0, redacted: 0, redactionsOutsideRange: 0, redactionsNotApplied: 0, manifest: 'none',
      };
    }
    manifest = parsed;
  }
  const verifier = createChainVerifier({ hash: sha256Hex, verify: createVerifier(publicKey), keyId, manifest });
  outer: for (const file of files) {
    for await (const { text, line, terminated } of readLogLines(file)) {
      const where = `${basename(file)}:${line}`;
      const ok = terminated ? verifier.push(text, where) : verifier.torn(where);
      if (!ok) break outer;
    }
  }
  return { ...base, ...verifier.finish() };
}
