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

export type EntryKind =
  | 'message' | 'system' | 'join' | 'assign' | 'transfer' | 'end' | 'ban' | 'rating' | 'redaction' | 'checkpoint';
export type Direction =
  | 'customer->operator' | 'operator->customer' | 'desk->customer' | 'desk->operator' | 'customer->desk' | 'operator->desk';

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
  const contentJson = canonicalJson(fields.content);
  return { ...fields, contentJson, contentHash: hash(contentJson) };
}

export const isRedactionMarker = (content: Content): boolean => content.redacted === true;

export function redactionMarker(reason: string, redactionSeq: number): RedactionMarker {
  return { redacted: true, reason, redactionSeq };
}

export function headerOf(entry: Entry): EntryHeader {
  const { hash: _hash, content: _content, ...header } = entry;
  return header;
}

export const headerJson = (header: EntryHeader): string => canonicalJson(header as unknown as Json);
export const recordJson = (entry: Entry): string => canonicalJson(entry as unknown as Json);

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
    v: RECORD_VERSION, seq, ts: draft.ts, kind: draft.kind, ticket: draft.ticket, desk: draft.desk,
    direction: draft.direction, parties: draft.parties, contentHash: draft.contentHash, prevHash,
  };
  if (draft.kind === 'checkpoint') {
    if (!signer) throw new Error('a checkpoint needs a signer');
    header.keyId = signer.keyId;
    header.sig = signer.sign(checkpointMessage(seq, prevHash, draft.ts, signer.keyId));
  }
  const json = headerJson(header);
  return { entry: { ...header, hash: hash(json), content: draft.content }, headerJson: json, contentJson: draft.contentJson };
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
