/**
 * Streaming verifier: feed it the record lines in order, it stops at the first bad one and
 * names it by sequence number. Checks, per line: canonical encoding, shape, seq continuity,
 * prevHash link, header hash, content hash (or a redaction marker matched by a later
 * 'redaction' record), checkpoint signatures with the trusted key; at the end, the signed
 * export manifest's bounds (truncation at either end) and, when given, the witnessed head
 * (truncation of the newest records, or a rewritten chain). Naming rule: a line that does not
 * extend the verified chain is named by the seq that should stand there (previous + 1);
 * if it repeats the previous line's seq, that seq is named (inserted or forked record).
 */
import { parseCanonical } from './canonical-json.js';
import { checkpointMessage, GENESIS_HASH, isRedactionMarker, splitRecordLine, type Entry, type HashFn, type VerifyFn } from './entry.js';
import { isElided, type BundleManifest } from './bundle.js';
import type { ExpectedHead } from './head.js';
import { manifestMessage, type Manifest } from './manifest.js';
import { markerProblem, redactionTarget, toEntry } from './record-shape.js';

export interface Failure {
  /** The first bad entry; null only when no position can be given (e.g. a bad manifest). */
  seq: number | null;
  reason: string;
  where?: string;
}

export interface VerifySummary {
  ok: boolean;
  failure?: Failure;
  records: number;
  firstSeq?: number;
  lastSeq?: number;
  fromGenesis: boolean;
  checkpoints: number;
  /** Highest seq covered by a valid signature (a checkpoint or the manifest). */
  signedThrough?: number;
  /** Records after the last checkpoint: intact as far as the chain goes, but nobody signed them. */
  unsignedTail: number;
  redacted: number;
  redactionsOutsideRange: number;
  redactionsNotApplied: number;
  manifest: 'verified' | 'none';
  /** Bundles: records of other tickets whose content was elided, and the ticket's own records. */
  elided?: number;
  ticketRecords?: number;
  /** The witnessed head, when one was given (absent: the end of the log is not witnessed). */
  head?: HeadCheck;
}

export interface HeadCheck {
  seq: number;
  /**
   * matched: the files hold the head's record with its hash; signed-prev: they end just before
   * it, on the hash its signature covers; before-files: the head lies before the files' first
   * record (it says nothing about their end).
   */
  status: 'matched' | 'signed-prev' | 'before-files';
  /** Records of the files after the head (their end is not witnessed). */
  after: number;
  /** Records after the files' last checkpoint that the head vouches for instead of a signature. */
  tailVouched: number;
}

export interface VerifierOptions {
  hash: HashFn;
  /** Checks a signature with the trusted public key. */
  verify: VerifyFn;
  /** Key id of the trusted public key. */
  keyId: string;
  /** An export manifest, or a ticket bundle's (then other tickets' content may be elided). */
  manifest?: Manifest | BundleManifest;
  /**
   * The head witnessed outside the files: the record at its seq must have its hash, and the
   * files must reach it. A signed head's `prevHash` counts only once its signature is checked.
   */
  expectHead?: ExpectedHead;
}

interface Pending {
  redactionSeq: number;
  contentHash: string;
  reason: string;
}

/** A summary before any record is read: ok, or failed before reading (e.g. a bad manifest or head). */
export function emptySummary(failure?: Failure): VerifySummary {
  return {
    ok: failure === undefined,
    ...(failure ? { failure } : {}),
    records: 0,
    fromGenesis: false,
    checkpoints: 0,
    unsignedTail: 0,
    redacted: 0,
    redactionsOutsideRange: 0,
    redactionsNotApplied: 0,
    manifest: 'none',
  };
}

export function createChainVerifier(opts: VerifierOptions) {
  const { hash, manifest, expectHead } = opts;
  const bundleTicket = manifest && 'ticket' in manifest ? manifest.ticket : undefined;
  const s: VerifySummary = { ...emptySummary(), manifest: manifest ? 'verified' : 'none' };
  let prev: Entry | undefined;
  let lastCheckpointSeq = 0;
  let headMatched = false;
  const pending = new Map<number, Pending>(); // redacted seq → what its redaction record must say
  const claims = new Map<number, number[]>(); // redaction seq → the seqs whose markers name it

  const fail = (seq: number | null, reason: string, where?: string): false => {
    s.ok = false;
    s.failure = { seq, reason, ...(where ? { where } : {}) };
    return false;
  };

  if (manifest) {
    if (manifest.keyId !== opts.keyId) fail(null, `manifest signed by key ${manifest.keyId}, not the given key ${opts.keyId}`);
    else if (!opts.verify(manifestMessage(manifest as Manifest), manifest.sig))
      fail(null, 'manifest signature is not valid for the given key');
    if (bundleTicket !== undefined) {
      s.elided = 0;
      s.ticketRecords = 0;
    }
  }

  function checkLink(e: Entry, where: string): boolean {
    const expected = prev ? prev.seq + 1 : manifest?.firstSeq;
    if (expected !== undefined && e.seq !== expected) {
      if (prev && e.seq === prev.seq) return fail(e.seq, `seq ${e.seq} appears twice (inserted or forked record)`, where);
      return fail(expected, `expected seq ${expected}, found ${e.seq} (record missing, inserted or out of order)`, where);
    }
    if (!prev) {
      s.firstSeq = e.seq;
      s.fromGenesis = e.seq === 1;
      if (manifest && e.prevHash !== manifest.firstPrevHash)
        return fail(e.seq, 'first record does not follow the hash the manifest names', where);
      if (e.seq === 1 && e.prevHash !== GENESIS_HASH) return fail(e.seq, 'seq 1 does not start from the genesis hash', where);
    } else if (e.prevHash !== prev.hash) {
      return fail(e.seq, `prevHash does not match the hash of seq ${prev.seq}`, where);
    }
    if (manifest && e.seq > manifest.lastSeq) return fail(e.seq, `record beyond the export's last seq ${manifest.lastSeq}`, where);
    return true;
  }

  function checkContent(e: Entry, contentJson: string, where: string): boolean {
    if (bundleTicket !== undefined && e.ticket === bundleTicket) s.ticketRecords = (s.ticketRecords ?? 0) + 1;
    if (bundleTicket !== undefined && isElided(e.content)) {
      if (e.ticket === bundleTicket || e.kind === 'checkpoint')
        return fail(e.seq, `content of a record of ticket ${bundleTicket} is missing (elided)`, where);
      s.elided = (s.elided ?? 0) + 1;
      return true;
    }
    if (isRedactionMarker(e.content)) {
      const problem = markerProblem(e.content, e.seq);
      if (problem) return fail(e.seq, problem, where);
      const redactionSeq = e.content.redactionSeq as number;
      pending.set(e.seq, { redactionSeq, contentHash: e.contentHash, reason: e.content.reason as string });
      claims.set(redactionSeq, [...(claims.get(redactionSeq) ?? []), e.seq]);
      s.redacted++;
      return true;
    }
    if (hash(contentJson) !== e.contentHash) return fail(e.seq, 'content does not match contentHash', where);
    return true;
  }

  function checkKind(e: Entry, where: string): boolean {
    if (e.kind === 'checkpoint') {
      if (e.keyId !== opts.keyId) return fail(e.seq, `checkpoint signed by key ${e.keyId}, not the given key ${opts.keyId}`, where);
      if (!opts.verify(checkpointMessage(e.seq, e.prevHash, e.ts, e.keyId), e.sig ?? '')) {
        return fail(e.seq, 'checkpoint signature is not valid for the given key', where);
      }
      s.checkpoints++;
      s.signedThrough = e.seq - 1;
      lastCheckpointSeq = e.seq;
    } else if (e.kind === 'redaction' && !isRedactionMarker(e.content) && !(bundleTicket !== undefined && isElided(e.content))) {
      const r = redactionTarget(e.content);
      if (!r || r.target >= e.seq) return fail(e.seq, 'malformed redaction record', where);
      const p = pending.get(r.target);
      if (s.firstSeq !== undefined && r.target < s.firstSeq) s.redactionsOutsideRange++;
      else if (!p)
        s.redactionsNotApplied++; // content still present: nothing was hidden
      else if (p.redactionSeq !== e.seq || p.contentHash !== r.targetContentHash || p.reason !== r.reason) {
        return fail(r.target, `redaction marker does not match redaction record ${e.seq}`, where);
      } else pending.delete(r.target);
    }
    const unmatched = (claims.get(e.seq) ?? []).filter((seq) => pending.has(seq));
    claims.delete(e.seq);
    if (unmatched.length > 0) {
      return fail(Math.min(...unmatched), `marked as redacted by seq ${e.seq}, which is not its redaction record`, where);
    }
    return true;
  }

  /** At the end: do the files reach the witnessed head? */
  function checkHead(last: Entry, head: ExpectedHead): void {
    const first = s.firstSeq as number;
    let through = head.seq;
    let status: HeadCheck['status'];
    if (headMatched)
      status = 'matched'; // head.seq within [first, last] was matched or failed in push()
    else if (head.seq < first) status = 'before-files';
    else if (last.seq === head.seq - 1 && head.prevHash !== undefined && last.hash === head.prevHash) {
      status = 'signed-prev'; // only the checkpoint record itself is missing: it holds no content
      through = last.seq;
    } else {
      const missing = last.seq + 1 === head.seq ? `record ${head.seq} is` : `records ${last.seq + 1}..${head.seq} are`;
      fail(last.seq + 1, `log ends at seq ${last.seq} but the witnessed head is seq ${head.seq}: ${missing} missing`);
      return;
    }
    const signedEnd = Math.max(lastCheckpointSeq, first - 1);
    const tailVouched = status === 'before-files' ? 0 : Math.min(s.unsignedTail, Math.max(0, Math.min(through, last.seq) - signedEnd));
    s.head = { seq: head.seq, status, after: status === 'before-files' ? s.records : last.seq - Math.min(through, last.seq), tailVouched };
  }

  return {
    /** Feeds one line (without its newline). Returns false once the log has failed. */
    push(text: string, where = ''): boolean {
      if (!s.ok) return false;
      const expected = prev ? prev.seq + 1 : (manifest?.firstSeq ?? null);
      const parsed = parseCanonical(text);
      if (!parsed.ok) return fail(expected, `malformed record: ${parsed.reason}`, where);
      const e = toEntry(parsed.value);
      if (typeof e === 'string') return fail(expected, `malformed record: ${e}`, where);
      const bytes = splitRecordLine(text);
      if (!bytes) return fail(expected, 'malformed record: layout', where);
      // A record that does not match its own hash is named by its place, not by the seq it claims.
      if (hash(bytes.headerJson) !== e.hash) return fail(expected ?? e.seq, 'record does not match its hash', where);
      if (!checkLink(e, where)) return false;
      if (!checkContent(e, bytes.contentJson, where) || !checkKind(e, where)) return false;
      if (expectHead && e.seq === expectHead.seq) {
        if (e.hash !== expectHead.hash)
          return fail(
            e.seq,
            `head hash mismatch at seq ${e.seq}: the files' record has hash ${e.hash.slice(0, 16)}…, the witnessed head ${expectHead.hash.slice(0, 16)}… (rewritten or replaced log)`,
            where,
          );
        headMatched = true;
      }
      s.records++;
      s.unsignedTail = e.kind === 'checkpoint' ? 0 : s.unsignedTail + 1;
      s.lastSeq = e.seq;
      prev = e;
      return true;
    },

    /** A line cut short (no final newline): never a complete record. */
    torn(where = ''): false {
      if (!s.ok) return false;
      return fail(prev ? prev.seq + 1 : (manifest?.firstSeq ?? null), 'record cut short (no final newline)', where);
    },

    finish(): VerifySummary {
      if (!s.ok) return s;
      if (!prev) {
        fail(manifest?.firstSeq ?? null, 'no records');
        return s;
      }
      if (manifest) {
        if (prev.seq < manifest.lastSeq)
          fail(prev.seq + 1, `truncated: the export ends at seq ${manifest.lastSeq}, the files at ${prev.seq}`);
        else if (prev.hash !== manifest.lastHash) fail(prev.seq, 'last record is not the one the manifest signed');
        else if ('ticketRecords' in manifest && s.ticketRecords !== manifest.ticketRecords) {
          fail(
            null,
            `the bundle holds ${s.ticketRecords} records of ticket ${manifest.ticket}, its manifest says ${manifest.ticketRecords}`,
          );
        } else {
          s.signedThrough = prev.seq;
          s.unsignedTail = 0;
        }
      }
      if (s.ok && expectHead) checkHead(prev, expectHead);
      const left = [...pending.entries()].sort((a, b) => a[0] - b[0])[0];
      if (s.ok && left) fail(left[0], `redaction record ${left[1].redactionSeq} is not in these files; the removal cannot be verified`);
      return s;
    },
  };
}
