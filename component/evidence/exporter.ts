/**
 * Exports a stretch of the chain from Redis into a fresh directory: rotated JSONL files
 * (the same format as the mirror) plus manifest.json, signed, naming the first and last
 * record. The verifier needs nothing else but the public key. The export is verified while
 * it is written, and the manifest is signed only if it verifies: the deployment never signs
 * a stretch that was altered inside Redis.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordJson, type Entry, type HashFn, type Signer, type VerifyFn } from '../../src/evidence/entry.js';
import { MANIFEST_FILE, MANIFEST_PURPOSE, manifestMessage, type Manifest } from '../../src/evidence/manifest.js';
import { createChainVerifier } from '../../src/evidence/verify-chain.js';
import type { EvidenceStore } from './evidence-store.js';
import { createJsonlWriter } from './jsonl-writer.js';
import { listLogFiles } from './log-files.js';

export interface ExportOptions {
  dir: string;
  /** First seq to export (default 1). */
  from?: number;
  /** Last seq to export (default: the head when the export starts). */
  to?: number;
  maxFileBytes?: number;
}

export interface ExportResult {
  dir: string;
  files: string[];
  manifest: Manifest;
}

export interface ExportDeps {
  store: EvidenceStore;
  signer: Signer;
  hash: HashFn;
  verify: VerifyFn;
  clock: () => number;
}

export async function exportLog(deps: ExportDeps, opts: ExportOptions): Promise<ExportResult> {
  const { store, signer } = deps;
  await mkdir(opts.dir, { recursive: true });
  const existing = (await readdir(opts.dir)).filter((n) => n.endsWith('.jsonl') || n === MANIFEST_FILE);
  if (existing.length > 0) throw new Error(`export directory ${opts.dir} is not empty (${existing[0]})`);
  const to = opts.to ?? (await store.head()).seq;
  const from = opts.from ?? 1;
  if (to < from) throw new Error(`nothing to export: seq ${from}..${to}`);

  const writer = createJsonlWriter({ dir: opts.dir, maxFileBytes: opts.maxFileBytes ?? 64 * 1024 * 1024 });
  let first: Entry | undefined;
  let last: Entry | undefined;
  let count = 0;
  const verifier = createChainVerifier({ hash: deps.hash, verify: deps.verify, keyId: signer.keyId });
  try {
    for await (const page of store.iterate(from, to)) {
      first ??= page[0];
      last = page[page.length - 1];
      count += page.length;
      const lines = page.map((e) => ({ seq: e.seq, line: recordJson(e) }));
      for (const { line } of lines) verifier.push(line);
      await writer.append(lines);
    }
  } finally {
    await writer.close();
  }
  if (!first || !last) throw new Error(`nothing to export: no records in seq ${from}..${to}`);
  const check = verifier.finish();
  if (!check.ok) throw new Error(`refusing to sign an export that does not verify: seq ${check.failure?.seq}: ${check.failure?.reason}`);

  const unsigned: Omit<Manifest, 'sig'> = {
    purpose: MANIFEST_PURPOSE,
    firstSeq: first.seq,
    firstPrevHash: first.prevHash,
    lastSeq: last.seq,
    lastHash: last.hash,
    count,
    exportedAt: deps.clock(),
    keyId: signer.keyId,
  };
  const manifest: Manifest = { ...unsigned, sig: signer.sign(manifestMessage(unsigned)) };
  await writeFile(join(opts.dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o644 });
  return { dir: opts.dir, files: await listLogFiles(opts.dir), manifest };
}
