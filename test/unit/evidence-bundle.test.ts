/**
 * Ticket bundles (src/evidence/bundle.ts): others' content elided, the ticket's own complete.
 * The verifier accepts exactly that and names the entry on a change: a flipped byte in any
 * record line (seeded, hundreds), an elided record of the ticket, a dropped record, a forged
 * manifest.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLE_PURPOSE, bundleMessage, bundleRecord, ELIDED, type BundleManifest } from '../../src/evidence/bundle.js';
import { recordJson, type Entry } from '../../src/evidence/entry.js';
import { createSigner } from '../../component/evidence/crypto.js';
import { buildLog, memoizedVerifier, toBuffer, verifyBuffer } from './evidence-fixture.js';

const TICKET = 3; // the fixture's records rotate over tickets 1-5
const log = buildLog({ records: 60, checkpointEvery: 10, redact: [14] }); // seq 14 is a message of ticket 3
const signer = createSigner(log.keyPair.privateKey, log.keyPair.keyId);
const verify = memoizedVerifier(log.keyPair);

function bundleOf(entries: readonly Entry[], overrides: Partial<BundleManifest> = {}) {
  const first = entries[0] as Entry;
  const last = entries[entries.length - 1] as Entry;
  const unsigned: Omit<BundleManifest, 'sig'> = {
    purpose: BUNDLE_PURPOSE,
    ticket: TICKET,
    firstSeq: first.seq,
    firstPrevHash: first.prevHash,
    lastSeq: last.seq,
    lastHash: last.hash,
    count: entries.length,
    ticketRecords: entries.filter((e) => e.ticket === TICKET).length,
    exportedAt: 1,
    keyId: signer.keyId,
    ...overrides,
  };
  const manifest: BundleManifest = { ...unsigned, sig: signer.sign(bundleMessage(unsigned)) };
  return { manifest, lines: entries.map((e) => recordJson(bundleRecord(e, TICKET))) };
}
const check = (lines: string[], manifest: BundleManifest) => verifyBuffer(toBuffer(lines), log.keyPair, manifest as never, verify);

describe('ticket bundles', () => {
  const stretch = log.entries.slice(1); // from seq 2 (mid-chain) to the end: the redaction record of seq 14 included
  const { manifest, lines } = bundleOf(stretch);

  it("verify with other tickets elided, and count the ticket's records", () => {
    expect(lines.some((l) => l.includes('"elided":true'))).toBe(true);
    const r = check(lines, manifest);
    expect(log.entries[13]).toMatchObject({ seq: 14, ticket: TICKET, content: { redacted: true } });
    expect(r).toMatchObject({ ok: true, manifest: 'verified', ticketRecords: manifest.ticketRecords, unsignedTail: 0, redacted: 1 });
    expect(r.elided).toBeGreaterThan(20);
  });

  it('names a record of the ticket whose content was elided', () => {
    const i = stretch.findIndex((e) => e.ticket === TICKET && e.kind === 'message');
    const bad = [...lines];
    bad[i] = recordJson({ ...(stretch[i] as Entry), content: ELIDED });
    expect(check(bad, manifest).failure).toMatchObject({ seq: stretch[i]?.seq, reason: expect.stringMatching(/elided/) });
  });

  it('refuses a forged manifest and a dropped record', () => {
    expect(check(lines, { ...manifest, ticket: 2 }).failure?.reason).toMatch(/manifest signature/);
    const dropped = [...lines];
    dropped.splice(5, 1);
    expect(check(dropped, manifest).failure?.seq).toBe(stretch[5]?.seq);
    const fewer = bundleOf(stretch, { ticketRecords: 1 });
    expect(check(fewer.lines, fewer.manifest).failure?.reason).toMatch(/holds \d+ records of ticket 3/);
  });

  it('names the entry of every flipped byte in a record line', () => {
    let a = 7;
    const rand = (n: number) => {
      a = (a * 1103515245 + 12345) % 2147483648;
      return a % n;
    };
    for (let k = 0; k < 400; k++) {
      const i = rand(lines.length);
      const line = lines[i] as string;
      const at = rand(line.length);
      const flipped = line.slice(0, at) + String.fromCharCode(line.charCodeAt(at) ^ (1 << rand(7))) + line.slice(at + 1);
      if (flipped === line) continue;
      const bad = [...lines];
      bad[i] = flipped;
      const r = check(bad, manifest);
      expect(r.ok, `line ${i} byte ${at}`).toBe(false);
      expect(r.failure?.seq, `line ${i} byte ${at}: ${r.failure?.reason}`).toBe(stretch[i]?.seq);
    }
  });
});
