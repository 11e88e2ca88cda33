/** Builds evidence logs in memory (pure chain code + real crypto) and verifies byte buffers as the CLI does. */
import { canonicalJson } from '../../src/evidence/canonical-json.js';
import {
  checkpointDraft,
  makeDraft,
  recordJson,
  redactionMarker,
  sealDraft,
  GENESIS_HASH,
  type Draft,
  type Entry,
  type VerifyFn,
} from '../../src/evidence/entry.js';
import { MANIFEST_PURPOSE, manifestMessage, type Manifest } from '../../src/evidence/manifest.js';
import { createChainVerifier, type VerifySummary } from '../../src/evidence/verify-chain.js';
import { createSigner, createVerifier, sha256Hex } from '../../component/evidence/crypto.js';
import { generateEvidenceKeyPair, type EvidenceKeyPair } from '../../component/evidence/key-pair.js';

export interface BuiltLog {
  entries: Entry[];
  lines: string[];
  manifest: Manifest;
  keyPair: EvidenceKeyPair;
}

const STANZAS = [
  (i: number) => `<message from="t${i}-ab12@support.localhost" to="alice@localhost" type="chat"><body>hello ${i}</body></message>`,
  (i: number) => `<message type="chat"><body>Grüße, 東京 ${i} — "quoted" \\ back\u0001slash\ttab\nnewline</body></message>`,
  (i: number) => `<message type="chat"><body>emoji 🎫 ${i}</body><active xmlns="http://jabber.org/protocol/chatstates"/></message>`,
];

export function messageDraft(i: number, ts: number): Draft {
  return makeDraft(
    {
      ts,
      kind: i % 7 === 0 ? 'system' : 'message',
      ticket: 1 + (i % 5),
      desk: 'support',
      direction: i % 2 ? 'customer->operator' : 'operator->customer',
      parties: { masked: `t${1 + (i % 5)}-ab12@support.localhost`, operator: 'alice@localhost' },
      content: {
        salt: `salt-${i}`,
        customer: `c${i % 5}@guest.localhost/web`,
        stanza: (STANZAS[i % STANZAS.length] as (n: number) => string)(i),
      },
    },
    sha256Hex,
  );
}

/** `records` messages, a checkpoint after every `checkpointEvery`, redactions of `redact` appended at the end. */
export function buildLog(opts: {
  records: number;
  checkpointEvery: number;
  redact?: number[];
  keyPair?: EvidenceKeyPair;
  tail?: number;
}): BuiltLog {
  const keyPair = opts.keyPair ?? generateEvidenceKeyPair();
  const signer = createSigner(keyPair.privateKey, keyPair.keyId);
  const entries: Entry[] = [];
  let ts = 1_700_000_000_000;
  const add = (draft: Draft) => {
    const prev = entries[entries.length - 1];
    entries.push(sealDraft(draft, (prev?.seq ?? 0) + 1, prev?.hash ?? GENESIS_HASH, sha256Hex, signer).entry);
  };
  for (let i = 0; i < opts.records; i++) {
    add(messageDraft(i, (ts += 3)));
    if ((i + 1) % opts.checkpointEvery === 0) add(checkpointDraft((ts += 1), sha256Hex));
  }
  for (const target of opts.redact ?? []) {
    const victim = entries[target - 1] as Entry;
    add(
      makeDraft(
        {
          ts: (ts += 1),
          kind: 'redaction',
          ticket: victim.ticket,
          desk: victim.desk,
          direction: null,
          parties: {},
          content: { salt: `r${target}`, reason: 'erasure request', target, targetContentHash: victim.contentHash },
        },
        sha256Hex,
      ),
    );
    entries[target - 1] = { ...victim, content: { ...redactionMarker('erasure request', entries.length) } };
  }
  add(checkpointDraft((ts += 1), sha256Hex));
  for (let i = 0; i < (opts.tail ?? 0); i++) add(messageDraft(opts.records + i, (ts += 3)));
  const first = entries[0] as Entry;
  const last = entries[entries.length - 1] as Entry;
  const unsigned: Omit<Manifest, 'sig'> = {
    purpose: MANIFEST_PURPOSE,
    firstSeq: first.seq,
    firstPrevHash: first.prevHash,
    lastSeq: last.seq,
    lastHash: last.hash,
    count: entries.length,
    exportedAt: ts,
    keyId: keyPair.keyId,
  };
  const manifest = { ...unsigned, sig: signer.sign(manifestMessage(unsigned)) };
  return { entries, lines: entries.map(recordJson), manifest, keyPair };
}

export const toBuffer = (lines: readonly string[]): Buffer => Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');

/** Verifies a file's bytes exactly as verify-files does (split on "\n" only, torn last line). */
export function verifyBuffer(
  buf: Buffer,
  keyPair: EvidenceKeyPair,
  manifest?: Manifest,
  verify = createVerifier(keyPair.publicKey),
): VerifySummary {
  const v = createChainVerifier({ hash: sha256Hex, verify, keyId: keyPair.keyId, manifest });
  let start = 0;
  for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
    if (!v.push(buf.toString('utf8', start, nl))) return v.finish();
    start = nl + 1;
  }
  if (start < buf.length) v.torn();
  return v.finish();
}

/** Ed25519 verification is deterministic: a cache keeps thousands of re-verifications of one log fast. */
export function memoizedVerifier(keyPair: EvidenceKeyPair): VerifyFn {
  const inner = createVerifier(keyPair.publicKey);
  const seen = new Map<string, boolean>();
  return (message, sig) => {
    const key = `${sig}\n${message}`;
    let ok = seen.get(key);
    if (ok === undefined) seen.set(key, (ok = inner(message, sig)));
    return ok;
  };
}

export { canonicalJson };
