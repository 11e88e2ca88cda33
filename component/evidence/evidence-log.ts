/**
 * The evidence log (issue 5): every relayed or desk-sent stanza, timestamped, hash-chained in
 * Redis, checkpoint-signed with the deployment's Ed25519 key, mirrored to JSONL files.
 * Owns its timers and mirror files; the Redis connection belongs to the caller.
 * Semantics (unsigned tail, persistence, redaction): ./README.md.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Json } from '../../src/evidence/canonical-json.js';
import { headOf, type SignedHead } from '../../src/evidence/head.js';
import {
  isRedactionMarker,
  joinRecordLine,
  makeDraft,
  type Direction,
  type Draft,
  type Entry,
  type EntryKind,
  type Parties,
} from '../../src/evidence/entry.js';
import { createAppender, EvidenceError } from './appender.js';
import { createArchive } from './archive.js';
import { buildBundle } from './bundle.js';
import { createSaltSource, createSigner, createVerifier, sha256Hex } from './crypto.js';
import { createEvidenceStore } from './evidence-store.js';
import { exportLog, type ExportOptions, type ExportResult } from './exporter.js';
import type { EvidenceKeyPair } from './key-pair.js';
import { createMirror, type Mirror } from './mirror.js';
import { claimMirrorDir } from './mirror-owner.js';
import { recoverFromMirror } from './recovery.js';
import { reindexIfMissing } from './reindex.js';

export { EvidenceError };

export interface EvidenceLogOptions {
  redis: Redis;
  /** Key prefix (the component's redis.prefix); keys are `<prefix>evidence:*`. */
  prefix: string;
  keyPair: EvidenceKeyPair;
  /** Directory of the JSONL mirror; none when omitted. */
  mirrorDir?: string;
  mirrorMaxFileBytes?: number;
  mirrorFsync?: boolean;
  /** Sign a checkpoint after this many records of this writer … */
  checkpointEvery?: number;
  /** … or this long after the first unsigned one, whichever comes first. */
  checkpointMs?: number;
  clock?: () => number;
  maxBatch?: number;
  maxQueue?: number;
  retryForMs?: number;
  /** Appends wait up to this long to go out together (appender.ts); 0 (default): next turn. */
  batchWindowMs?: number;
  /**
   * Retention in Redis: keep about this many newest records there (0 or absent: keep all).
   * Older ones are dropped from Redis only once this instance's mirror holds them; reads
   * (transcripts, bundles, redaction) then come from the mirror.
   */
  redisKeepRecords?: number;
  /** How often to trim (default 60 s). */
  trimEveryMs?: number;
  onError?: (err: Error) => void;
  /** Each checkpoint this writer signs, as a head to witness outside the files (never blocks). */
  onCheckpoint?: (head: SignedHead) => void;
}

export interface EvidenceInput {
  kind: Exclude<EntryKind, 'redaction' | 'checkpoint'> | (string & {});
  ticket?: number | null;
  desk?: string | null;
  direction?: Direction | null;
  /** `customer` (the real JID) is stored with the redactable content; masked and operator in the header. */
  parties?: { customer?: string; masked?: string; operator?: string };
  /** The stanza as sent, serialized (Element#toString()). */
  stanza?: string;
  /** Event details (e.g. { reason: 'customer-left' }); integers, strings, booleans only. */
  data?: { [key: string]: Json };
}

const RESERVED = new Set(['redaction', 'checkpoint']);

/** An instance whose mirror has not reported for this many trim passes is gone (its range no longer holds trimming back). */
const MIRROR_STALE_PASSES = 3;

export function createEvidenceLog(opts: EvidenceLogOptions) {
  const instance = randomUUID();
  const clock = opts.clock ?? Date.now;
  const store = createEvidenceStore(opts.redis, opts.prefix);
  const signer = createSigner(opts.keyPair.privateKey, opts.keyPair.keyId);
  const verify = createVerifier(opts.keyPair.publicKey);
  const salt = createSaltSource();
  const report = (err: Error) => opts.onError?.(err);
  const mirror: Mirror | undefined = opts.mirrorDir
    ? createMirror({
        dir: opts.mirrorDir,
        maxFileBytes: opts.mirrorMaxFileBytes ?? 64 * 1024 * 1024,
        fsync: opts.mirrorFsync,
        fetch: (from, to) => store.iterate(from, to),
        // Trimming: a new mirror starts at the oldest record Redis has, so any instance can read any record.
        ...(opts.redisKeepRecords ? { oldest: () => store.firstSeq() } : {}),
        onError: report,
        now: clock,
      })
    : undefined;
  const appender = createAppender({
    store,
    hash: sha256Hex,
    signer,
    clock,
    checkpointEvery: opts.checkpointEvery ?? 1000,
    checkpointMs: opts.checkpointMs ?? 5000,
    maxBatch: opts.maxBatch,
    maxQueue: opts.maxQueue,
    retryForMs: opts.retryForMs,
    batchWindowMs: opts.batchWindowMs,
    onAppended: (sealed) => {
      if (mirror) {
        const entries: Entry[] = [];
        const lines: string[] = [];
        for (const s of sealed) {
          entries.push(s.entry);
          lines.push(joinRecordLine(s.contentJson, s.headerJson, s.entry.hash));
        }
        mirror.write(entries, lines);
      }
      if (!opts.onCheckpoint) return;
      for (let i = sealed.length - 1; i >= 0; i--) {
        // the newest checkpoint of the batch is the head
        const e = (sealed[i] as (typeof sealed)[number]).entry;
        if (e.kind === 'checkpoint') return opts.onCheckpoint(headOf(e));
      }
    },
    onError: report,
  });

  const archive = opts.mirrorDir ? createArchive(opts.mirrorDir) : undefined;

  /** Records by seq: from Redis, or from the mirror for those trimmed from Redis. */
  async function records(wanted: readonly number[]): Promise<Entry[]> {
    const seqs = [...new Set(wanted)];
    const live = await store.entries(seqs);
    if (live.length === seqs.length || !archive) return live;
    const found = new Set(live.map((e) => e.seq));
    const old = await archive.entries(seqs.filter((s) => !found.has(s)));
    return [...old, ...live].sort((a, b) => a.seq - b.seq);
  }

  /**
   * This instance's mirror catches up with the chain in Redis (what other instances appended) and
   * reports what it holds, so that no instance trims a record another live one lacks (issue 19 §3).
   */
  async function follow(): Promise<{ first: number; last: number } | undefined> {
    if (!mirror) return undefined;
    await mirror.follow((await store.head()).seq);
    const [last, first] = [await mirror.lastRecord(), await mirror.firstSeq()];
    const range = { first: first ?? 0, last: last?.seq ?? 0 };
    await store.reportMirror(instance, { ...range, at: clock() });
    return range;
  }

  /** Drops records from Redis that every live instance's mirror holds and that are older than the retention. */
  async function trim(): Promise<{ removed: number; firstSeq: number }> {
    const keep = opts.redisKeepRecords ?? 0;
    if (!keep || !mirror || !opts.mirrorDir) return { removed: 0, firstSeq: await store.firstSeq() };
    const own = await follow();
    const [head, first, mirrored, firstMirrored] = [
      await store.head(),
      await store.firstSeq(),
      await mirror.lastRecord(),
      await mirror.firstSeq(),
    ];
    if (!own || !mirrored || firstMirrored === undefined || first < firstMirrored) return { removed: 0, firstSeq: first }; // not ours to drop
    const fresh = clock() - MIRROR_STALE_PASSES * (opts.trimEveryMs ?? 60_000);
    const others = [...(await store.mirrorRanges())].filter(([id, r]) => id !== instance && r.at >= fresh).map(([, r]) => r);
    if (others.some((r) => r.first > first || r.last === 0)) return { removed: 0, firstSeq: first }; // one lacks the oldest
    const keepFrom = Math.min(head.seq - keep + 1, mirrored.seq + 1, ...others.map((r) => r.last + 1));
    let removed = 0;
    let firstSeq = first;
    while (firstSeq > 0 && firstSeq < keepFrom) {
      const r = await store.trim(keepFrom);
      removed += r.removed;
      firstSeq = r.firstSeq;
      if (r.removed === 0) break;
    }
    return { removed, firstSeq };
  }
  let releaseDir: (() => Promise<void>) | undefined;
  let catchingUp: Promise<void> = Promise.resolve();
  const trimTimer = opts.redisKeepRecords ? setInterval(() => void trim().catch(report), opts.trimEveryMs ?? 60_000) : undefined;
  trimTimer?.unref();

  return {
    keyId: opts.keyPair.keyId,
    publicKeyPem: (): string => opts.keyPair.publicKeyPem,

    /** Start-up: puts back records the mirror holds but Redis lost (e.g. no appendfsync always). */
    async open(): Promise<{ recovered: number }> {
      if (opts.mirrorDir) releaseDir = await claimMirrorDir(opts.mirrorDir); // before the mirror reads its files
      await reindexIfMissing(opts.redis, store).catch(report);
      if (!mirror || !opts.mirrorDir) return { recovered: 0 };
      const last = await mirror.lastRecord();
      const recovered = last ? await recoverFromMirror(store, opts.mirrorDir, last, report) : { recovered: 0 };
      if (opts.redisKeepRecords) {
        // The others see this mirror before they trim again: "holds nothing yet" (last 0) holds
        // their trimming back until it has caught up. Copying up to redisKeepRecords records takes
        // tens of seconds, and the instance serves meanwhile: start-up must not wait for it (a
        // second instance started after a busy hour was not live within 20 s: BENCHMARKS F27).
        await store.reportMirror(instance, { first: 0, last: 0, at: clock() });
        catchingUp = follow().then(
          () => undefined,
          (err: Error) => report(err),
        );
      }
      return recovered;
    },

    /** Resolves once the mirror has caught up with the chain it found at open(). */
    caughtUp: (): Promise<void> => catchingUp,

    /** Queues one record; order of calls is order in the chain. Resolves once it is in Redis. */
    append(input: EvidenceInput): Promise<Entry> {
      if (RESERVED.has(input.kind)) return Promise.reject(new Error(`kind "${input.kind}" is written by the log itself`));
      const content: { [key: string]: Json } = { salt: salt() };
      if (input.stanza !== undefined) content.stanza = input.stanza;
      if (input.parties?.customer !== undefined) content.customer = input.parties.customer;
      if (input.data !== undefined) content.data = input.data;
      const parties: Parties = {};
      if (input.parties?.masked !== undefined) parties.masked = input.parties.masked;
      if (input.parties?.operator !== undefined) parties.operator = input.parties.operator;
      let draft: Draft;
      try {
        draft = makeDraft(
          {
            ts: clock(),
            kind: input.kind,
            ticket: input.ticket ?? null,
            desk: input.desk ?? null,
            direction: input.direction ?? null,
            parties,
            content,
          },
          sha256Hex,
        );
      } catch (err) {
        return Promise.reject(err as Error);
      }
      return appender.append(draft);
    },

    /** Resolves once every record appended so far is in Redis (no checkpoint): read-your-writes for the log's readers. */
    settled: (): Promise<void> => appender.settled(),

    /** Signs a checkpoint after everything appended so far; the mirror is written too. */
    async flush(): Promise<void> {
      await appender.flush();
      await mirror?.idle();
    },

    /** Replaces a record's content by a marker and appends the 'redaction' record, atomically. */
    async redact(seq: number, reason: string): Promise<Entry> {
      let target = await store.entry(seq);
      const archived = !target && archive !== undefined && seq < (await store.firstSeq());
      if (archived) target = (await archive.entries([seq]))[0];
      if (!target) throw new EvidenceError('not-found', `no evidence record ${seq}`);
      if (target.kind === 'redaction' || target.kind === 'checkpoint')
        throw new EvidenceError('not-redactable', `record ${seq} is a ${target.kind}`);
      if (isRedactionMarker(target.content)) throw new EvidenceError('already-redacted', `record ${seq} is already redacted`);
      const draft = makeDraft(
        {
          ts: clock(),
          kind: 'redaction',
          ticket: target.ticket,
          desk: target.desk,
          direction: null,
          parties: {},
          content: { salt: salt(), reason, target: seq, targetContentHash: target.contentHash },
        },
        sha256Hex,
      );
      const entry = await appender.append(draft, { target: seq, reason, archived });
      await mirror?.idle();
      return entry;
    },

    /** Exports [from, to] (default: all, up to the head after a checkpoint) with a signed manifest. */
    async export(options: ExportOptions): Promise<ExportResult> {
      await appender.flush();
      return exportLog({ store, signer, hash: sha256Hex, verify, clock }, options);
    },

    /** The newest signed checkpoint in Redis (any writer's) as a head; undefined before the first. */
    async latestHead(): Promise<SignedHead | undefined> {
      const checkpoint = await store.lastCheckpoint();
      return checkpoint && headOf(checkpoint);
    },

    /** The chain as stored (for transcripts, tests). */
    store,
    records,
    trim,

    /** A ticket's signed bundle (its records' seqs from the index), after a checkpoint that covers them. */
    async bundle(ticket: number, seqs: readonly number[]) {
      await appender.flush();
      return buildBundle({ records, head: () => store.head(), signer, hash: sha256Hex, verify, clock }, ticket, seqs);
    },
    stats: () => appender.stats(),
    /** The newest seq in this instance's JSONL mirror (undefined: no mirror, or nothing written yet). */
    mirroredSeq: (): number | undefined => mirror?.writtenSeq(),

    async close(): Promise<void> {
      clearInterval(trimTimer);
      await catchingUp;
      await appender.close();
      await mirror?.close();
      if (opts.redisKeepRecords) await store.forgetMirror(instance).catch(report); // a clean stop no longer holds trimming back
      await releaseDir?.();
    },
  };
}
export type EvidenceLog = ReturnType<typeof createEvidenceLog>;
