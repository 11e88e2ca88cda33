/**
 * Issue 14 item 6: cutting the newest records off the log so that it ends on an earlier
 * checkpoint verifies as intact from the files alone; a head witnessed outside the files
 * (src/evidence/head.ts) must expose it, and a rewritten or re-keyed log with it.
 */
import { describe, expect, it } from 'vitest';
import { checkpointDraft, recordJson, sealDraft, GENESIS_HASH, type Draft, type Entry } from '../../src/evidence/entry.js';
import { headJson, headOf, headProblem, parseHeadArg, parseSignedHead, type ExpectedHead } from '../../src/evidence/head.js';
import { createChainVerifier, type VerifySummary } from '../../src/evidence/verify-chain.js';
import { createSigner, createVerifier, sha256Hex } from '../../component/evidence/crypto.js';
import { generateEvidenceKeyPair, type EvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { messageDraft } from './evidence-fixture.js';

const keyPair = generateEvidenceKeyPair();

/** `rounds` × (30 messages + a checkpoint), continuing `from` (salted by `variant`). */
function chain(rounds: number, opts: { from?: Entry[]; variant?: number; key?: EvidenceKeyPair } = {}): Entry[] {
  const key = opts.key ?? keyPair;
  const signer = createSigner(key.privateKey, key.keyId);
  const entries = [...(opts.from ?? [])];
  const add = (d: Draft) => {
    const prev = entries[entries.length - 1];
    entries.push(sealDraft(d, (prev?.seq ?? 0) + 1, prev?.hash ?? GENESIS_HASH, sha256Hex, signer).entry);
  };
  let ts = 1_700_000_000_000 + entries.length * 10;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 30; i++) add(messageDraft(entries.length * 7 + (opts.variant ?? 0), (ts += 3)));
    add(checkpointDraft((ts += 1), sha256Hex));
  }
  return entries;
}

function verify(entries: readonly Entry[], expectHead?: ExpectedHead, key = keyPair): VerifySummary {
  const v = createChainVerifier({ hash: sha256Hex, verify: createVerifier(key.publicKey), keyId: key.keyId, expectHead });
  for (const e of entries) if (!v.push(recordJson(e))) break;
  return v.finish();
}

const full = chain(3); // seq 1..93: checkpoints at 31, 62, 93
const truncated = full.slice(0, -31); // the probe's case: the newest 31 records dropped, ends on checkpoint 62
const head = headOf(full[92] as Entry);
const trust = { hash: sha256Hex, verify: createVerifier(keyPair.publicKey), keyId: keyPair.keyId };

describe('truncation of the newest records', () => {
  it('goes unnoticed from the files alone: they verify, and nothing claims to have checked the end', () => {
    const r = verify(truncated);
    expect(r).toMatchObject({ ok: true, lastSeq: 62, unsignedTail: 0 });
    expect(r.head).toBeUndefined();
  });

  it('is detected with the signed head, naming the missing records', () => {
    expect(headProblem(head, trust)).toBeUndefined();
    const r = verify(truncated, head);
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ seq: 63, reason: 'log ends at seq 62 but the witnessed head is seq 93: records 63..93 are missing' });
  });

  it('is detected with a bare seq:hash as well', () => {
    const bare = parseHeadArg(`93:${head.hash}`);
    expect(bare).toEqual({ seq: 93, hash: head.hash });
    expect(verify(truncated, bare as ExpectedHead).failure?.reason).toMatch(/records 63\.\.93 are missing/);
    expect(verify(full.slice(0, -1), bare as ExpectedHead).failure?.reason).toBe(
      'log ends at seq 92 but the witnessed head is seq 93: record 93 is missing',
    );
  });

  it('the whole log ending at the head verifies as complete through it', () => {
    expect(verify(full, head)).toMatchObject({ ok: true, head: { seq: 93, status: 'matched', after: 0, tailVouched: 0 } });
  });
});

describe('a head the files disagree with', () => {
  it('a rewritten and re-signed newest segment: head hash mismatch at the head seq', () => {
    const rewritten = chain(1, { from: full.slice(0, 62), variant: 3 });
    expect(verify(rewritten)).toMatchObject({ ok: true, lastSeq: 93 }); // the files alone cannot tell
    const r = verify(rewritten, head);
    expect(r.failure?.seq).toBe(93);
    expect(r.failure?.reason).toMatch(/^head hash mismatch at seq 93/);
  });

  it('a whole log replaced under a new key: the kept head is not signed by the key now offered', () => {
    const other = generateEvidenceKeyPair();
    const replaced = chain(3, { key: other, variant: 5 });
    expect(verify(replaced, undefined, other).ok).toBe(true);
    expect(headProblem(head, { ...trust, verify: createVerifier(other.publicKey), keyId: other.keyId })).toMatch(
      /signed by key .* not the given key/,
    );
  });

  it('a forged head fails its own check', () => {
    expect(headProblem({ ...head, seq: 94 }, trust)).toMatch(/signature is not valid/);
    expect(headProblem({ ...head, hash: (full[91] as Entry).hash }, trust)).toMatch(/hash is not that of the checkpoint/);
  });
});

describe('heads and unsigned records', () => {
  it('files cut just before the head checkpoint: the signed head vouches for the unsigned tail', () => {
    const r = verify(full.slice(0, -1), head);
    expect(r).toMatchObject({ ok: true, unsignedTail: 30, head: { seq: 93, status: 'signed-prev', after: 0, tailVouched: 30 } });
  });

  it('a bare seq:hash inside the unsigned tail vouches for the records up to it', () => {
    const tail = full.slice(0, -1); // 63..92 unsigned
    const at = tail[79] as Entry;
    expect(verify(tail, { seq: at.seq, hash: at.hash })).toMatchObject({
      ok: true,
      head: { seq: 80, status: 'matched', after: 12, tailVouched: 18 },
    });
  });

  it('records after an older head: counted as not witnessed', () => {
    expect(verify(full, headOf(full[61] as Entry))).toMatchObject({ ok: true, head: { seq: 62, status: 'matched', after: 31 } });
  });

  it('a head older than the files says nothing about their end', () => {
    const later = full.slice(62); // a stretch starting at 63
    expect(verify(later, headOf(full[30] as Entry))).toMatchObject({ ok: true, head: { seq: 31, status: 'before-files', after: 31 } });
  });
});

describe('head formats', () => {
  it('JSON (HTTP) and a PubSub item both parse to the same signed head', () => {
    const json = headJson(head);
    expect(parseSignedHead(json)).toEqual(head);
    const item = `<item id="93"><head xmlns="urn:madoguchi:evidence-head:0">${json.replace(/"/g, '&quot;')}</head></item>`;
    expect(parseSignedHead(item)).toEqual(head);
    expect(parseSignedHead(json.replace('"seq":93', '"seq":"93"'))).toMatch(/seq or ts malformed/);
    expect(parseSignedHead(JSON.stringify({ ...head, extra: 1 }))).toMatch(/unknown fields/);
    expect(parseHeadArg('93:abc')).toMatch(/expected <seq>:/);
  });
});
