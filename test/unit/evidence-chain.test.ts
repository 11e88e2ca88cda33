import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/evidence/canonical-json.js';
import {
  checkpointMessage,
  contentJsonOf,
  GENESIS_HASH,
  headerJson,
  headerOf,
  joinRecordLine,
  recordJson,
  sealChain,
  splitRecordLine,
  type Entry,
} from '../../src/evidence/entry.js';
import { createSigner, createVerifier, sha256Hex } from '../../component/evidence/crypto.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { buildLog, messageDraft, toBuffer, verifyBuffer } from './evidence-fixture.js';

const keyPair = generateEvidenceKeyPair();
const signer = createSigner(keyPair.privateKey, keyPair.keyId);
const reseal = (e: Entry): Entry => ({ ...e, hash: sha256Hex(headerJson(headerOf(e))) });

describe('sealing', () => {
  it('chains from genesis: seq 1, 2, … each committing to the previous hash', () => {
    const sealed = sealChain({ seq: 0, hash: GENESIS_HASH }, [messageDraft(0, 1), messageDraft(1, 2)], sha256Hex).map((s) => s.entry);
    expect(sealed.map((e) => e.seq)).toEqual([1, 2]);
    expect(sealed[0]?.prevHash).toBe(GENESIS_HASH);
    expect(sealed[1]?.prevHash).toBe(sealed[0]?.hash);
  });

  it('hashes the canonical header only: content enters through contentHash', () => {
    const [s] = sealChain({ seq: 0, hash: GENESIS_HASH }, [messageDraft(0, 1)], sha256Hex);
    const e = s?.entry as Entry;
    expect(e.hash).toBe(sha256Hex(s?.headerJson as string));
    expect(s?.headerJson).not.toContain('stanza');
    expect(e.contentHash).toBe(sha256Hex(canonicalJson(e.content)));
    expect(JSON.parse(recordJson(e))).toEqual(e);
    expect(splitRecordLine(recordJson(e))).toEqual({ headerJson: s?.headerJson, contentJson: s?.contentJson });
    expect(joinRecordLine(s?.contentJson as string, s?.headerJson as string, e.hash)).toBe(recordJson(e));
  });

  it('the hand-written header encoder agrees with the generic canonical encoder', () => {
    const log = buildLog({ records: 30, checkpointEvery: 7, redact: [2], keyPair });
    const odd = { ...headerOf(log.entries[0] as Entry), desk: null, direction: null, ticket: null, parties: {}, kind: 'x"\\u' };
    for (const h of [...log.entries.map(headerOf), odd]) {
      expect(headerJson(h)).toBe(canonicalJson(h as never));
    }
    for (const e of log.entries) {
      expect(joinRecordLine(canonicalJson(e.content), headerJson(headerOf(e)), e.hash)).toBe(recordJson(e));
    }
  });

  it('the content encoder agrees with the generic canonical encoder, odd shapes included', () => {
    const contents = [
      { salt: 's', stanza: '<message to=\'a\'><body>"quoted" \u2028 é</body></message>', customer: 'c@guest.localhost/w' },
      { salt: 's', data: { reason: 'customer-left', n: 3, nested: { z: 1, a: [true, null] } } },
      { stanza: 'x', salt: 's', customer: undefined },
      {},
      { redacted: true, reason: 'erasure', redactionSeq: 9 },
      { salt: 's', other: 'key outside the usual set' },
      Object.assign(Object.create(null) as Record<string, string>, { salt: 's' }),
    ];
    for (const c of contents) expect(contentJsonOf(c as never)).toBe(canonicalJson(c as never));
    expect(() => contentJsonOf({ salt: 's', data: { x: 1.5 } })).toThrow(); // the generic rules still apply inside
    const parties = [{}, { masked: 'm' }, { operator: 'o' }, { operator: 'o', masked: 'm"' }, { masked: undefined, operator: 'o' }];
    const base = headerOf(sealChain({ seq: 0, hash: GENESIS_HASH }, [messageDraft(0, 1)], sha256Hex)[0]?.entry as Entry);
    for (const p of parties) expect(headerJson({ ...base, parties: p })).toBe(canonicalJson({ ...base, parties: p } as never));
  });

  it('rechaining the same drafts onto another head gives other hashes, same content hashes', () => {
    const drafts = [messageDraft(0, 1), messageDraft(1, 2)];
    const a = sealChain({ seq: 0, hash: GENESIS_HASH }, drafts, sha256Hex).map((s) => s.entry);
    const b = sealChain({ seq: 7, hash: 'a'.repeat(64) }, drafts, sha256Hex).map((s) => s.entry);
    expect(b.map((e) => e.seq)).toEqual([8, 9]);
    expect(b[0]?.hash).not.toBe(a[0]?.hash);
    expect(b.map((e) => e.contentHash)).toEqual(a.map((e) => e.contentHash));
  });

  it('signs a checkpoint over (seq, prevHash, ts, keyId) with Ed25519', () => {
    const log = buildLog({ records: 3, checkpointEvery: 3, keyPair });
    const cp = log.entries.find((e) => e.kind === 'checkpoint') as Entry;
    expect(cp.keyId).toBe(keyPair.keyId);
    expect(createVerifier(keyPair.publicKey)(checkpointMessage(cp.seq, cp.prevHash, cp.ts, keyPair.keyId), cp.sig as string)).toBe(true);
    expect(
      createVerifier(generateEvidenceKeyPair().publicKey)(checkpointMessage(cp.seq, cp.prevHash, cp.ts, keyPair.keyId), cp.sig as string),
    ).toBe(false);
    expect(signer.keyId).toMatch(/^ed25519:[0-9a-f]{16}$/);
  });
});

describe('verifying', () => {
  const log = buildLog({ records: 40, checkpointEvery: 10, redact: [3, 17], keyPair, tail: 4 });

  it('accepts the intact log and summarizes it', () => {
    const r = verifyBuffer(toBuffer(log.lines), keyPair, log.manifest);
    expect(r).toMatchObject({
      ok: true,
      records: log.entries.length,
      firstSeq: 1,
      fromGenesis: true,
      checkpoints: 5,
      redacted: 2,
      manifest: 'verified',
      unsignedTail: 0,
    });
  });

  it('without a manifest, reports the records after the last checkpoint as the unsigned tail', () => {
    const r = verifyBuffer(toBuffer(log.lines), keyPair);
    expect(r).toMatchObject({ ok: true, manifest: 'none', unsignedTail: 4, signedThrough: log.entries.length - 5 });
    const truncated = verifyBuffer(toBuffer(log.lines.slice(0, -2)), keyPair);
    expect(truncated).toMatchObject({ ok: true, unsignedTail: 2 }); // undetectable without the manifest: by design
  });

  it('names the first checkpoint when verified with another key', () => {
    const r = verifyBuffer(toBuffer(log.lines), generateEvidenceKeyPair());
    expect(r.ok).toBe(false);
    expect(r.failure?.seq).toBe(11);
    expect(r.failure?.reason).toMatch(/signed by key/);
  });

  it('rejects a manifest signed by another key or altered', () => {
    expect(verifyBuffer(toBuffer(log.lines), generateEvidenceKeyPair(), log.manifest).failure).toMatchObject({ seq: null });
    expect(verifyBuffer(toBuffer(log.lines), keyPair, { ...log.manifest, lastSeq: 10 }).failure).toMatchObject({
      seq: null,
      reason: /signature/,
    });
  });

  it('verifies a stretch that does not start at genesis (anchored by its first prevHash)', () => {
    const r = verifyBuffer(toBuffer(log.lines.slice(20)), keyPair);
    expect(r).toMatchObject({ ok: true, firstSeq: 21, fromGenesis: false });
  });

  it('catches content altered with a recomputed contentHash and header hash, at the next record', () => {
    const entries = [...log.entries];
    const e = entries[4] as Entry;
    const content = { ...e.content, stanza: '<message><body>forged</body></message>' };
    entries[4] = reseal({ ...e, content, contentHash: sha256Hex(canonicalJson(content)) });
    const r = verifyBuffer(toBuffer(entries.map(recordJson)), keyPair, log.manifest);
    expect(r.failure).toMatchObject({ seq: 6, reason: /prevHash/ });
  });

  it('catches a rewritten chain at the checkpoint whose signature no longer matches', () => {
    const entries = log.entries.slice(0, 11).map((e) => ({ ...e }));
    entries[4] = { ...(entries[4] as Entry), ts: 1 };
    for (let i = 4; i < entries.length; i++) {
      if (i > 4) entries[i] = { ...(entries[i] as Entry), prevHash: (entries[i - 1] as Entry).hash };
      entries[i] = reseal(entries[i] as Entry);
    }
    const r = verifyBuffer(toBuffer(entries.map(recordJson)), keyPair);
    expect(r.failure).toMatchObject({ seq: 11, reason: /checkpoint signature/ });
  });

  it('a redacted record still verifies; a marker without its redaction record does not', () => {
    expect(log.entries[2]?.content).toMatchObject({ redacted: true, reason: 'erasure request' });
    const withoutRedactions = log.lines.filter((l) => !l.includes('"kind":"redaction"'));
    expect(verifyBuffer(toBuffer(log.lines.slice(0, 30)), keyPair).failure).toMatchObject({ seq: 3, reason: /not in these files/ });
    expect(verifyBuffer(toBuffer(withoutRedactions), keyPair).ok).toBe(false);
  });

  it('a redaction marker cannot be copied onto another record (to hide its content)', () => {
    const entries = [...log.entries];
    entries[4] = { ...(entries[4] as Entry), content: log.entries[2]?.content as Entry['content'] };
    const r = verifyBuffer(toBuffer(entries.map(recordJson)), keyPair, log.manifest);
    expect(r.failure).toMatchObject({ seq: 5, reason: /not its redaction record/ });
  });
});
