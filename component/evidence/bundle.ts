/**
 * Builds a ticket's signed evidence bundle (format: src/evidence/bundle.ts): the stretch of
 * the chain from the ticket's first record to its last, extended to the next checkpoint,
 * other tickets' content elided, verified before it is signed (the deployment never signs a
 * bundle that does not verify), as one JSONL text that `verify-log` accepts.
 */
import { BUNDLE_PURPOSE, bundleMessage, bundleRecord, type BundleManifest } from '../../src/evidence/bundle.js';
import { recordJson, type Entry, type HashFn, type Signer, type VerifyFn } from '../../src/evidence/entry.js';
import { createChainVerifier } from '../../src/evidence/verify-chain.js';
import { EvidenceError } from './appender.js';

export interface BundleDeps {
  /** Records by seq (Redis, else the archive), chain order. */
  records: (seqs: readonly number[]) => Promise<Entry[]>;
  head: () => Promise<{ seq: number }>;
  signer: Signer;
  hash: HashFn;
  verify: VerifyFn;
  clock: () => number;
}

const seqRange = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
/** How far past the ticket's last record to look for the checkpoint that signs it. */
const CHECKPOINT_LOOKAHEAD = 5000;

export async function buildBundle(
  deps: BundleDeps,
  ticket: number,
  ticketSeqs: readonly number[],
): Promise<{ text: string; manifest: BundleManifest }> {
  const first = ticketSeqs[0];
  const last = ticketSeqs[ticketSeqs.length - 1];
  if (first === undefined || last === undefined) throw new EvidenceError('not-found', `no evidence records for ticket ${ticket}`);
  const head = (await deps.head()).seq;
  let end = last;
  for (let from = last + 1; from <= Math.min(head, last + CHECKPOINT_LOOKAHEAD) && end === last; from += 500) {
    const page = await deps.records(seqRange(from, Math.min(head, from + 499)));
    const checkpoint = page.find((e) => e.kind === 'checkpoint');
    if (checkpoint) end = checkpoint.seq;
  }
  const entries = await deps.records(seqRange(first, end));
  if (entries.length !== end - first + 1)
    throw new EvidenceError('not-found', `records of ticket ${ticket} are no longer available (seq ${first}-${end})`);

  const lines = entries.map((e) => recordJson(bundleRecord(e, ticket)));
  const ticketRecords = entries.filter((e) => e.ticket === ticket).length;
  const lastEntry = entries[entries.length - 1] as Entry;
  const unsigned: Omit<BundleManifest, 'sig'> = {
    purpose: BUNDLE_PURPOSE,
    ticket,
    firstSeq: first,
    firstPrevHash: (entries[0] as Entry).prevHash,
    lastSeq: lastEntry.seq,
    lastHash: lastEntry.hash,
    count: entries.length,
    ticketRecords,
    exportedAt: deps.clock(),
    keyId: deps.signer.keyId,
  };
  const manifest: BundleManifest = { ...unsigned, sig: deps.signer.sign(bundleMessage(unsigned)) };
  const verifier = createChainVerifier({ hash: deps.hash, verify: deps.verify, keyId: deps.signer.keyId, manifest });
  for (const line of lines) verifier.push(line);
  const check = verifier.finish();
  if (!check.ok) throw new Error(`refusing to sign a bundle that does not verify: seq ${check.failure?.seq}: ${check.failure?.reason}`);
  return { text: `${JSON.stringify(manifest)}\n${lines.join('\n')}\n`, manifest };
}
