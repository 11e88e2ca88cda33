/**
 * Verifies exported or mirrored log files with nothing but the public key: expands
 * directories (their *.jsonl in name order, and manifest.json when present), streams
 * every line through the pure chain verifier, stops at the first bad record.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { looksLikeBundle, parseBundleManifest, type BundleManifest } from '../../src/evidence/bundle.js';
import { headProblem, type ExpectedHead } from '../../src/evidence/head.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../../src/evidence/manifest.js';
import { createChainVerifier, emptySummary, type VerifySummary } from '../../src/evidence/verify-chain.js';
import { createVerifier, sha256Hex } from './crypto.js';
import { readPublicKey } from './key-pair.js';
import { listLogFiles, readLogLines } from './log-files.js';

export interface FileVerifyResult extends VerifySummary {
  files: string[];
  keyId: string;
  manifestPath?: string;
  /** Set when the file was a ticket's bundle (its first line is the signed bundle manifest). */
  bundle?: { ticket: number };
}

export interface FileVerifyOptions {
  /** A manifest to enforce; by default a directory's own manifest.json, if it has one. */
  manifestPath?: string;
  /**
   * The head witnessed outside the files (--expect-head*). A signed head (with `sig`) is
   * checked with the public key first; a bare seq:hash is taken on the auditor's word.
   */
  expectHead?: ExpectedHead;
}

export async function verifyLogFiles(
  paths: readonly string[],
  publicKeyPem: string,
  opts: FileVerifyOptions = {},
): Promise<FileVerifyResult> {
  const { publicKey, keyId } = readPublicKey(publicKeyPem);
  const files: string[] = [];
  let manifestPath = opts.manifestPath;
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      files.push(...(await listLogFiles(path)));
      if (!manifestPath && existsSync(join(path, MANIFEST_FILE))) manifestPath = join(path, MANIFEST_FILE);
    } else files.push(path);
  }
  const bundleLine = files.length === 1 ? await firstLine(files[0] as string) : undefined;
  const isBundle = bundleLine !== undefined && looksLikeBundle(bundleLine);
  const base = { files, keyId, ...(manifestPath ? { manifestPath } : {}) };
  let manifest: Manifest | BundleManifest | undefined;
  if (manifestPath || isBundle) {
    const parsed = isBundle ? parseBundleManifest(bundleLine) : parseManifest(await readFile(manifestPath as string, 'utf8'));
    if (typeof parsed === 'string') {
      return { ...base, ...emptySummary({ seq: null, reason: parsed, where: manifestPath }) };
    }
    manifest = parsed;
  }
  const bundle = manifest && 'ticket' in manifest ? { ticket: manifest.ticket } : undefined;
  const verify = createVerifier(publicKey);
  const head = opts.expectHead;
  const problem = head?.sig !== undefined ? headProblem(head as Required<ExpectedHead>, { hash: sha256Hex, verify, keyId }) : undefined;
  if (problem) {
    return { ...base, ...emptySummary({ seq: head?.seq ?? null, reason: problem }) };
  }
  // An unsigned seq:hash cannot vouch for the hash before it.
  const expectHead = head && (head.sig !== undefined ? head : { seq: head.seq, hash: head.hash });
  const verifier = createChainVerifier({ hash: sha256Hex, verify, keyId, manifest, expectHead });
  outer: for (const file of files) {
    for await (const { text, line, terminated } of readLogLines(file)) {
      if (isBundle && line === 1) continue; // the manifest
      const where = `${basename(file)}:${line}`;
      const ok = terminated ? verifier.push(text, where) : verifier.torn(where);
      if (!ok) break outer;
    }
  }
  return { ...base, ...(bundle ? { bundle } : {}), ...verifier.finish() };
}

async function firstLine(path: string): Promise<string | undefined> {
  for await (const { text } of readLogLines(path, 64 * 1024)) return text;
  return undefined;
}
