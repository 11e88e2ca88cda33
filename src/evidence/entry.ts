/**
 * The evidence record and how it is sealed into the hash chain. Pure: the SHA-256 and
 * Ed25519 functions come from the caller (component/evidence/crypto.ts).
 *
 * A record is one canonical JSON line. Its `hash` is SHA-256 of the canonical *header*
 * (every field except `hash` and `content`); the header commits to the previous record's
 * hash (`prevHash`) and to the content only through `contentHash`. So the content (the
 * stanza and the customer's real address, salted) can later be replaced by a redaction
 * marker without breaking the chain. Checkpoint records carry an Ed25519 signature over
 * the chain head they follow. See component/evidence/README.md for the semantics.
 */
import { canonicalJson, type Json } from './canonical-json.js';

export const RECORD_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);
export const CHECKPOINT_PURPOSE = 'madoguchi-evidence-checkpoint/v1';

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text`. */
export type HashFn = (text: string) => string;
/** Base64 Ed25519 signature of the UTF-8 bytes of `message`. */
export type SignFn = (message: string) => string;
export type VerifyFn = (message: string, signature: string) => boolean;

export type EntryKind = 'message' | 'system' | 'join' | 'assign' | 'transfer' | 'end' | 'ban' | 'rating' | 'redaction' | 'checkpoint';
export type Direction =
  | 'customer->operator'
  | 'operator->customer'
  | 'desk->customer'
  | 'desk->operator'
  | 'customer->desk'
  | 'operator->desk';

/** Pseudonymous and staff parties, committed directly. The customer's real JID lives in the (redactable) content. */
export interface Parties {
  masked?: string;
  operator?: string;
}

export type Content = { readonly [key: string]: Json };

export interface RedactionMarker {
  redacted: true;
  reason: string;
  /** The seq of the 'redaction' record that committed this removal. */
  redactionSeq: number;
}

export interface EntryHeader {
  v: typeof RECORD_VERSION;
  seq: number;
  ts: number;
  kind: EntryKind | (string & {});
  ticket: number | null;
  desk: string | null;
  direction: Direction | (string & {}) | null;
  parties: Parties;
  contentHash: string;
  prevHash: string;
  /** Checkpoints only: which key signed, and the signature over checkpointMessage(). */
  keyId?: string;
  sig?: string;
}

export interface Entry extends EntryHeader {
  hash: string;
  content: Content;
}

/** Everything of a record that does not depend on its place in the chain. */
export interface Draft {
  ts: number;
  kind: EntryHeader['kind'];
  ticket: number | null;
  desk: string | null;
  direction: EntryHeader['direction'];
  parties: Parties;
  content: Content;
  contentJson: string;
  contentHash: string;
}

export function makeDraft(fields: Omit<Draft, 'contentJson' | 'contentHash'>, hash: HashFn): Draft {
  const contentJson = contentJsonOf(fields.content);
  // Written out rather than spread: this runs once per relayed message (BENCHMARKS.md F9).
  return {
    ts: fields.ts,
    kind: fields.kind,
    ticket: fields.ticket,
    desk: fields.desk,
    direction: fields.direction,
    parties: fields.parties,
    content: fields.content,
    contentJson,
    contentHash: hash(contentJson),
  };
}

export const isRedactionMarker = (content: Content): boolean => content.redacted === true;

export function redactionMarker(reason: string, redactionSeq: number): RedactionMarker {
  return { redacted: true, reason, redactionSeq };
}

export function headerOf(entry: Entry): EntryHeader {
  const { hash: _hash, content: _content, ...header } = entry;
  return header;
}

/**
 * canonicalJson(header), written out field by field in sorted key order (the hot path of
 * every append); test/unit/evidence-chain.test.ts holds it equal to the generic encoder.
 */
export function headerJson(h: EntryHeader): string {
  const str = JSON.stringify;
  return (
    '{"contentHash":' +
    str(h.contentHash) +
    ',"desk":' +
    (h.desk === null ? 'null' : str(h.desk)) +
    ',"direction":' +
    (h.direction === null ? 'null' : str(h.direction)) +
    (h.keyId === undefined ? '' : `,"keyId":${str(h.keyId)}`) +
    ',"kind":' +
    str(h.kind) +
    ',"parties":' +
    partiesJson(h.parties) +
    ',"prevHash":' +
    str(h.prevHash) +
    ',"seq":' +
    int(h.seq) +
    (h.sig === undefined ? '' : `,"sig":${str(h.sig)}`) +
    ',"ticket":' +
    (h.ticket === null ? 'null' : int(h.ticket)) +
    ',"ts":' +
    int(h.ts) +
    ',"v":' +
    int(h.v) +
    '}'
  );
}

/** canonicalJson(n) for a number: safe integers only (-0 is 0). */
function int(n: number): string {
  return Number.isSafeInteger(n) && n !== 0 ? String(n) : canonicalJson(n);
}
export const recordJson = (entry: Entry): string => canonicalJson(entry as unknown as Json);

/** A record's content keys in canonical (sorted) order, as component/evidence/evidence-log.ts writes them. */
const CONTENT_KEYS = ['customer', 'data', 'salt', 'stanza'] as const;
const CONTENT_KEY_SET: ReadonlySet<string> = new Set(CONTENT_KEYS);

/**
 * canonicalJson(content), without sorting keys, for the usual shape (those four keys, strings
 * but `data`); anything else (markers, checkpoints, other keys) goes the generic way.
 * test/unit/evidence-chain.test.ts holds the two equal.
 */
export function contentJsonOf(content: Content): string {
  if (Object.getPrototypeOf(content) !== Object.prototype) return canonicalJson(content);
  for (const key in content) if (!CONTENT_KEY_SET.has(key)) return canonicalJson(content);
  let out = '{';
  for (const key of CONTENT_KEYS) {
    const value = content[key];
    if (value === undefined) continue;
    if (out.length > 1) out += ',';
    out += `"${key}":${typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value)}`;
  }
  return `${out}}`;
}

/** canonicalJson(parties) for the usual shape (masked and/or operator, strings); anything else goes the generic way. */
function partiesJson(p: Parties): string {
  for (const key in p) {
    if ((key !== 'masked' && key !== 'operator') || typeof p[key] !== 'string') return canonicalJson(p as unknown as Json);
  }
  const masked = p.masked === undefined ? '' : `"masked":${JSON.stringify(p.masked)}`;
  const operator = p.operator === undefined ? '' : `"operator":${JSON.stringify(p.operator)}`;
  return `{${masked}${masked && operator ? ',' : ''}${operator}}`;
}

/**
 * The header and content bytes of a record line that is already known to be canonical, by
 * slicing instead of re-encoding: "content" is always the first key, and after it only
 * header fields follow, whose strings cannot hold an unescaped quote.
 */
export function splitRecordLine(line: string): { contentJson: string; headerJson: string } | undefined {
  const prefix = '{"content":';
  const at = line.lastIndexOf(',"contentHash":"');
  const h = line.indexOf(',"hash":"', at);
  if (!line.startsWith(prefix) || at === -1 || h === -1) return undefined;
  return { contentJson: line.slice(prefix.length, at), headerJson: `{${line.slice(at + 1, h)}${line.slice(h + 9 + 64 + 1)}` };
}

/** The record line from its parts, without re-encoding (the inverse of splitRecordLine). */
export function joinRecordLine(contentJson: string, headerJson: string, hash: string): string {
  const keyId = headerJson.indexOf(',"keyId":"');
  const at = keyId !== -1 ? keyId : headerJson.indexOf(',"kind":"');
  return `{"content":${contentJson},${headerJson.slice(1, at)},"hash":"${hash}"${headerJson.slice(at)}`;
}

/** The exact bytes a checkpoint signs: the head it follows, when, and by which key. */
export function checkpointMessage(seq: number, prevHash: string, ts: number, keyId: string): string {
  return canonicalJson({ purpose: CHECKPOINT_PURPOSE, seq, prevHash, ts, keyId });
}

export interface Sealed {
  entry: Entry;
  /** The canonical header: exactly the bytes `hash` is computed over (stored as is). */
  headerJson: string;
  /** The canonical content: exactly the bytes `contentHash` is computed over. */
  contentJson: string;
}

export interface Signer {
  keyId: string;
  sign: SignFn;
}

/** Places a draft at `seq` after `prevHash`; a checkpoint draft is signed here. */
export function sealDraft(draft: Draft, seq: number, prevHash: string, hash: HashFn, signer?: Signer): Sealed {
  const header: EntryHeader = {
    v: RECORD_VERSION,
    seq,
    ts: draft.ts,
    kind: draft.kind,
    ticket: draft.ticket,
    desk: draft.desk,
    direction: draft.direction,
    parties: draft.parties,
    contentHash: draft.contentHash,
    prevHash,
  };
  if (draft.kind === 'checkpoint') {
    if (!signer) throw new Error('a checkpoint needs a signer');
    header.keyId = signer.keyId;
    header.sig = signer.sign(checkpointMessage(seq, prevHash, draft.ts, signer.keyId));
  }
  const json = headerJson(header);
  const entry = header as Entry; // the header object becomes the entry (no copy per record)
  entry.hash = hash(json);
  entry.content = draft.content;
  return { entry, headerJson: json, contentJson: draft.contentJson };
}

/** Chains drafts onto a head: seq head.seq+1, +2, … each pointing at the one before. */
export function sealChain(head: { seq: number; hash: string }, drafts: readonly Draft[], hash: HashFn, signer?: Signer): Sealed[] {
  const out: Sealed[] = [];
  let prev = head;
  for (const draft of drafts) {
    const sealed = sealDraft(draft, prev.seq + 1, prev.hash, hash, signer);
    out.push(sealed);
    prev = sealed.entry;
  }
  return out;
}

export function checkpointDraft(ts: number, hash: HashFn): Draft {
  return makeDraft({ ts, kind: 'checkpoint', ticket: null, desk: null, direction: null, parties: {}, content: {} }, hash);
}
