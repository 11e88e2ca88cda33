/**
 * The log's head: the newest signed checkpoint, as a small statement published outside the
 * files (GET /api/evidence/head, the XEP-0060 witness node) so that a verifier can tell where
 * the log really ends. seq and hash name the checkpoint record; the signature is the one the
 * checkpoint carries (over the hash it follows, its seq, ts and key), so a head is checked
 * with the public key alone, and its `hash` is recomputed from the signed fields.
 * Trust model: component/evidence/README.md "What the files prove".
 */
import { canonicalJson } from './canonical-json.js';
import { checkpointMessage, headerJson, RECORD_VERSION, type Entry, type HashFn, type VerifyFn } from './entry.js';

export const HEAD_PURPOSE = 'madoguchi-evidence-head/v1';

/** A signed head: the checkpoint record at `seq`, whose record hash is `hash`. */
export interface SignedHead {
  purpose: typeof HEAD_PURPOSE;
  seq: number;
  hash: string;
  /** The hash of seq - 1, which the checkpoint signs. */
  prevHash: string;
  ts: number;
  keyId: string;
  sig: string;
  /** `ts` for people (ISO 8601, UTC); not signed, must agree with `ts`. */
  time: string;
}

/** What the verifier compares: a signed head, or a bare `seq:hash` an auditor noted. */
export type ExpectedHead = Pick<SignedHead, 'seq' | 'hash'> & Partial<SignedHead>;

const HEX64 = /^[0-9a-f]{64}$/;

export function headOf(checkpoint: Entry): SignedHead {
  if (checkpoint.kind !== 'checkpoint' || !checkpoint.keyId || !checkpoint.sig)
    throw new Error(`seq ${checkpoint.seq} is not a checkpoint`);
  return {
    purpose: HEAD_PURPOSE,
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    prevHash: checkpoint.prevHash,
    ts: checkpoint.ts,
    keyId: checkpoint.keyId,
    sig: checkpoint.sig,
    time: new Date(checkpoint.ts).toISOString(),
  };
}

/** Canonical JSON, one line: the HTTP body and the PubSub item's text. */
export const headJson = (head: SignedHead): string => canonicalJson({ ...head });

/** `<seq>:<hash>` as given to --expect-head. */
export function parseHeadArg(text: string): ExpectedHead | string {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m || !Number.isSafeInteger(Number(m[1])) || Number(m[1]) < 1) return 'expected <seq>:<64 hex digits of the record hash>';
  return { seq: Number(m[1]), hash: m[2] as string };
}

const XML_ENTITIES: Record<string, string> = { '&quot;': '"', '&apos;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/**
 * A signed head from its JSON (the HTTP body), or from the XML of a PubSub item or event that
 * holds it (`<head xmlns="urn:madoguchi:evidence-head:0">{…}</head>`).
 */
export function parseSignedHead(text: string): SignedHead | string {
  let json = text.trim();
  if (json.startsWith('<')) {
    const m = /<head\b[^>]*>([^<]*)<\/head>/.exec(json);
    if (!m) return 'no <head/> element in the XML';
    json = (m[1] as string).replace(/&(quot|apos|lt|gt|amp);/g, (e) => XML_ENTITIES[e] as string).trim();
  }
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return 'head is not valid JSON';
  }
  if (typeof v !== 'object' || v === null) return 'head is not an object';
  const h = v as Record<string, unknown>;
  const fields = ['purpose', 'seq', 'hash', 'prevHash', 'ts', 'keyId', 'sig', 'time'];
  if (Object.keys(h).sort().join() !== [...fields].sort().join()) return 'head has missing or unknown fields';
  if (h.purpose !== HEAD_PURPOSE) return `head purpose is not ${HEAD_PURPOSE}`;
  if (!Number.isSafeInteger(h.seq) || (h.seq as number) < 1 || !Number.isSafeInteger(h.ts)) return 'head seq or ts malformed';
  if (typeof h.hash !== 'string' || !HEX64.test(h.hash) || typeof h.prevHash !== 'string' || !HEX64.test(h.prevHash))
    return 'head hash malformed';
  if (typeof h.keyId !== 'string' || typeof h.sig !== 'string') return 'head keyId or sig malformed';
  if (h.time !== new Date(h.ts as number).toISOString()) return 'head time does not match its ts';
  return h as unknown as SignedHead;
}

/**
 * Checks a signed head with the trusted key: the signature, and that `hash` is the hash of the
 * checkpoint record those signed fields make. Returns the problem, or undefined when valid.
 */
export function headProblem(head: SignedHead, opts: { hash: HashFn; verify: VerifyFn; keyId: string }): string | undefined {
  if (head.keyId !== opts.keyId) return `the witnessed head is signed by key ${head.keyId}, not the given key ${opts.keyId}`;
  if (!opts.verify(checkpointMessage(head.seq, head.prevHash, head.ts, head.keyId), head.sig))
    return "the witnessed head's signature is not valid for the given key";
  const record = headerJson({
    v: RECORD_VERSION,
    seq: head.seq,
    ts: head.ts,
    kind: 'checkpoint',
    ticket: null,
    desk: null,
    direction: null,
    parties: {},
    contentHash: opts.hash('{}'),
    prevHash: head.prevHash,
    keyId: head.keyId,
    sig: head.sig,
  });
  if (opts.hash(record) !== head.hash) return "the witnessed head's hash is not that of the checkpoint it signs";
  return undefined;
}
