/**
 * Puts drafts on the chain. Appends queued while a script call is in flight (or within the
 * same tick) go together in the next call, chained onto the head this writer believes in;
 * when another writer moved the head, the script says where it is and the batch is rechained
 * and resent. One call in flight per writer, so order of append() = order in the chain.
 * Checkpoints are inserted every `checkpointEvery` records of this writer or after
 * `checkpointMs` with unsigned records, whichever first, and on flush().
 */
import { canonicalJson } from '../../src/evidence/canonical-json.js';
import {
  checkpointDraft,
  redactionMarker,
  sealChain,
  type Draft,
  type Entry,
  type HashFn,
  type Sealed,
  type Signer,
} from '../../src/evidence/entry.js';
import { type AppendReply, EMPTY_HEAD, type EvidenceStore, type Head } from './evidence-store.js';

export class EvidenceError extends Error {
  constructor(
    readonly code: 'unavailable' | 'closed' | 'overloaded' | 'not-found' | 'already-redacted' | 'not-redactable' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'EvidenceError';
  }
}

export interface AppenderOptions {
  store: EvidenceStore;
  hash: HashFn;
  signer: Signer;
  clock: () => number;
  checkpointEvery: number;
  checkpointMs: number;
  maxBatch?: number;
  maxQueue?: number;
  /**
   * Appends wait up to this long (ms) to go out together, unless the batch is full or a flush
   * asks: fewer, bigger batches cost Redis and this process less per record (BENCHMARKS.md F25).
   * 0 (default): at the next turn. Only for callers that do not wait on appends (the relay does
   * not, unless redis.waitReplicas asks; setup.ts).
   */
  batchWindowMs?: number;
  /** How long a batch is retried while Redis is unreachable before its appends fail. */
  retryForMs?: number;
  /** Called with each appended batch, in chain order (the mirror). */
  onAppended?: (sealed: Sealed[]) => void;
  onError?: (err: Error) => void;
}

interface Job {
  draft: Draft;
  redaction?: { target: number; reason: string; archived?: boolean };
  resolve: (entry: Entry) => void;
  reject: (err: Error) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createAppender(opts: AppenderOptions) {
  const { store, hash, signer, clock } = opts;
  const maxBatch = opts.maxBatch ?? 256;
  const maxQueue = opts.maxQueue ?? 100_000;
  const retryForMs = opts.retryForMs ?? 30_000;
  const batchWindowMs = opts.batchWindowMs ?? 0;
  let windowTimer: NodeJS.Timeout | undefined;
  const report = (err: Error) => opts.onError?.(err);
  const queue: Job[] = [];
  let head: Head = EMPTY_HEAD;
  let sinceCheckpoint = 0;
  let lastWasCheckpoint = false;
  let wanted: 'none' | 'timer' | 'forced' = 'none';
  let flushWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let scheduled = false;
  let closed = false;
  /** Settles with the newest append (either way), for settled(). */
  let tail: Promise<unknown> = Promise.resolve();
  /** A reader waits for what was appended so far: the batching window is cut short. */
  let hurry = false;
  const stats = { records: 0, batches: 0, checkpoints: 0, rechains: 0 };

  /** Sends now (next turn), or after the batching window while the batch is small and nobody waits for it. */
  function kick(): void {
    if (running) return;
    const now = !batchWindowMs || hurry || queue.length >= maxBatch || wanted === 'forced' || queue[0]?.redaction !== undefined;
    if (scheduled) {
      if (!now || !windowTimer) return;
      clearTimeout(windowTimer); // the batch filled up, or a flush came: go now
      windowTimer = undefined;
    }
    scheduled = true;
    const go = () => {
      scheduled = false;
      hurry = false;
      windowTimer = undefined;
      if (running) return;
      running = pump().finally(() => {
        running = undefined;
        if (queue.length > 0 || wanted !== 'none') kick(); // work that arrived during the call
      });
    };
    if (now) setImmediate(go);
    else windowTimer = setTimeout(go, batchWindowMs);
  }

  function armTimer(): void {
    if (sinceCheckpoint === 0) {
      clearTimeout(timer);
      timer = undefined;
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        if (wanted === 'none') wanted = 'timer';
        kick();
      }, opts.checkpointMs);
      timer.unref();
    }
  }

  /** Next batch: a redaction travels alone (its script call may be refused on its own). */
  function takeBatch(): { jobs: Job[]; drafts: Draft[]; owners: (Job | undefined)[]; count: number; waiters: typeof flushWaiters } {
    const jobs = queue[0]?.redaction ? queue.splice(0, 1) : [];
    if (jobs.length === 0) while (jobs.length < maxBatch && queue[0] && !queue[0].redaction) jobs.push(queue.shift() as Job);
    const drafts: Draft[] = [];
    const owners: (Job | undefined)[] = [];
    let count = sinceCheckpoint;
    const addCheckpoint = () => {
      drafts.push(checkpointDraft(clock(), hash));
      owners.push(undefined);
      count = 0;
    };
    for (const job of jobs) {
      drafts.push(job.draft);
      owners.push(job);
      if (++count >= opts.checkpointEvery) addCheckpoint();
    }
    let waiters: typeof flushWaiters = [];
    if (queue.length === 0 && wanted !== 'none' && !jobs[0]?.redaction) {
      // a refused redaction must not fail a flush
      const endsSigned = owners.length > 0 ? owners[owners.length - 1] === undefined : lastWasCheckpoint;
      if ((wanted === 'forced' && !endsSigned) || (wanted === 'timer' && count > 0)) addCheckpoint();
      waiters = flushWaiters;
      flushWaiters = [];
      wanted = 'none';
    }
    return { jobs, drafts, owners, count, waiters };
  }

  async function pump(): Promise<void> {
    // Without a window, everything queued meanwhile goes in the next call at once; with one,
    // a batch that is not full waits for the window again (kick() after this call).
    while (queue.length > 0 || wanted !== 'none') {
      const batch = takeBatch();
      let failure: Error | undefined;
      if (batch.drafts.length > 0) failure = await send(batch.drafts, batch.owners);
      if (!failure) {
        if (batch.drafts.length > 0) sinceCheckpoint = batch.count;
        for (const w of batch.waiters) w.resolve();
      } else {
        for (const job of batch.jobs) job.reject(failure);
        for (const w of batch.waiters) w.reject(failure);
      }
      armTimer();
      if (batchWindowMs && queue.length < maxBatch && wanted !== 'forced' && !queue[0]?.redaction) return;
    }
  }

  /** Sends one batch until it is on the chain; returns the error that made it fail, if any. */
  async function send(drafts: Draft[], owners: (Job | undefined)[]): Promise<Error | undefined> {
    const started = Date.now();
    let uncertain: Sealed | undefined; // last record of an attempt whose reply was lost
    for (let attempt = 0; attempt < 1000; attempt++) {
      const sealed = sealChain(head, drafts, hash, signer);
      const redactionJob = owners[0]?.redaction;
      const redaction =
        redactionJob && sealed[0]
          ? {
              target: redactionJob.target,
              markerJson: canonicalJson({ ...redactionMarker(redactionJob.reason, sealed[0].entry.seq) }),
              archived: redactionJob.archived,
            }
          : undefined;
      let reply: AppendReply;
      try {
        reply = await store.append(head, sealed, redaction);
      } catch (err) {
        if ((err as Error).name === 'ReplyError') return err as Error; // Redis answered: retrying will not help
        if (Date.now() - started > retryForMs)
          return new EvidenceError('unavailable', `evidence log unavailable: ${(err as Error).message}`);
        report(err as Error);
        uncertain = sealed[sealed.length - 1];
        await sleep(Math.min(100 * 2 ** Math.min(attempt, 5), 2000));
        continue;
      }
      if (reply.kind === 'moved' && uncertain && (await store.entry(uncertain.entry.seq))?.hash === uncertain.entry.hash) {
        reply = { kind: 'appended' as const, lastSeq: uncertain.entry.seq }; // the lost reply had succeeded
      }
      if (reply.kind === 'moved') {
        head = reply.head;
        uncertain = undefined;
        stats.rechains++;
        continue;
      }
      if (reply.kind === 'target-missing') return new EvidenceError('not-found', `no evidence record ${reply.target}`);
      if (reply.kind === 'already-redacted')
        return new EvidenceError('already-redacted', `evidence record ${reply.target} is already redacted`);
      const end = (sealed[sealed.length - 1] as Sealed).entry;
      head = { seq: end.seq, hash: end.hash };
      lastWasCheckpoint = end.kind === 'checkpoint';
      stats.batches++;
      stats.records += sealed.length;
      for (let i = 0; i < sealed.length; i++) {
        const e = (sealed[i] as Sealed).entry;
        if (e.kind === 'checkpoint') stats.checkpoints++;
        owners[i]?.resolve(e);
      }
      try {
        opts.onAppended?.(sealed);
      } catch (err) {
        report(err as Error);
      }
      return undefined;
    }
    return new EvidenceError('conflict', 'evidence append lost 1000 races in a row');
  }

  return {
    append(draft: Draft, redaction?: { target: number; reason: string; archived?: boolean }): Promise<Entry> {
      if (closed) return Promise.reject(new EvidenceError('closed', 'evidence log is closed'));
      if (queue.length >= maxQueue) return Promise.reject(new EvidenceError('overloaded', 'evidence queue is full'));
      const appended = new Promise<Entry>((resolve, reject) => {
        queue.push({ draft, redaction, resolve, reject });
        kick();
      });
      tail = appended.catch(() => undefined);
      return appended;
    },
    /**
     * Resolves once everything appended so far is in the store (or failed), without the
     * checkpoint a flush() adds: a reader of the log (MAM, transcripts) sees every record of a
     * stanza already sent, though the batching window still held it.
     */
    settled(): Promise<void> {
      if (queue.length > 0) {
        hurry = true; // now, or as soon as the call in flight ends
        kick();
      }
      return tail.then(() => undefined);
    },
    /** Appends a checkpoint after everything queued so far (unless the chain already ends with ours). */
    flush(): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        flushWaiters.push({ resolve, reject });
        wanted = 'forced';
        kick();
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      await this.flush();
      closed = true;
      clearTimeout(timer);
      clearTimeout(windowTimer);
      await running;
    },
    head: () => head,
    stats: () => ({ ...stats, queued: queue.length }),
  };
}
export type Appender = ReturnType<typeof createAppender>;
