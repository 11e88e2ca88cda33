/**
 * Fair scheduling of the component's work over senders (issue 14 item 5; BENCHMARKS.md F20).
 *
 * Each sender (bare JID) has a lane with its own backlog, kept in order (RFC 6120 §10.1: a
 * sender's stanzas are handled in the order they came). Lanes take turns: a round robin over
 * the lanes that can start something picks the next task whenever fewer than `maxRunning`
 * tasks are running, one task per lane per turn. So a sender with a thousand stanzas waiting
 * gets one start per turn like a sender with one: a flooder queues behind the others, not in
 * front of them. A lane's backlog is bounded (`maxQueuedPerKey`); past it a stanza is refused
 * by the caller (`wait`/`resource-constraint`, RFC 6120 §8.3.3.18), so memory stays bounded
 * however fast Prosody hands a flood over. The component keeps reading its socket: refusing a
 * stanza costs less than anything else, and a stalled component makes Prosody buffer without
 * bound in front of everyone's stanzas (DESIGN §5).
 *
 * Within a lane, per-sender order without a round trip per message (BENCHMARKS.md F8: a burst
 * waiting for each Redis reply left for Prosody one stanza at a time): a `pipelined` task's first
 * part (its lookups) may run while up to `maxInFlightPerKey` earlier tasks of the sender are in
 * flight, its continuation (what it sends, what it changes) strictly after theirs; a `barrier`
 * starts when everything before it has finished, and nothing after it starts before it has.
 * Only tasks whose lookups an earlier continuation cannot invalidate belong in `pipelined`.
 */
import type { Continuation } from './scheduling.js';

export interface FairSchedulerOptions {
  /** Tasks started and not finished, over all senders. */
  maxRunning: number;
  /** Pipelined tasks of one sender in flight at once. */
  maxInFlightPerKey: number;
  /** Tasks of one sender waiting to start; one more is refused. */
  maxQueuedPerKey: number;
}

/** `overflow`: refused, the first time since the sender's backlog last emptied; `overflow-again`: refused since. */
export type Enqueued = 'queued' | 'overflow' | 'overflow-again';

type Job = { barrier: true; run: () => Promise<void> } | { barrier: false; run: () => Promise<Continuation> };

interface Lane {
  key: string;
  queue: Job[];
  inFlight: number;
  barrierRunning: boolean;
  /** Settles when the lane's last started task has finished (continuations chain on it). */
  tail: Promise<void>;
  /** In the round robin. */
  ready: boolean;
  overflowed: boolean;
}

const ignore = () => undefined;
const settled = Promise.resolve();

/** Calls fn; a synchronous throw becomes a rejection. */
function attempt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err);
  }
}

export function createFairScheduler(o: FairSchedulerOptions) {
  const lanes = new Map<string, Lane>();
  /** Lanes that can start their next task, in turn order (a queue: head index, compacted now and then). */
  let ring: Lane[] = [];
  let ringHead = 0;
  let running = 0;
  let pumping = false;

  const canStart = (lane: Lane): boolean => {
    const next = lane.queue[0];
    if (!next || lane.barrierRunning) return false;
    return next.barrier ? lane.inFlight === 0 : lane.inFlight < o.maxInFlightPerKey;
  };

  function markReady(lane: Lane): void {
    if (lane.ready || !canStart(lane)) return;
    lane.ready = true;
    ring.push(lane);
  }

  function finished(lane: Lane, barrier: boolean): void {
    running--;
    lane.inFlight--;
    if (barrier) lane.barrierRunning = false;
    if (lane.inFlight === 0 && lane.queue.length === 0) {
      if (lanes.get(lane.key) === lane) lanes.delete(lane.key);
    } else {
      markReady(lane);
    }
    pump();
  }

  function start(lane: Lane, job: Job): void {
    running++;
    lane.inFlight++;
    let run: Promise<void>;
    if (job.barrier) {
      lane.barrierRunning = true;
      run = attempt(job.run); // everything before it has finished (inFlight was 0)
    } else {
      const started = attempt(job.run);
      started.catch(ignore); // the continuation's rejection is the caller's to report
      run = lane.tail.then(() => started).then((finish) => finish());
    }
    lane.tail = run.then(ignore, ignore);
    void lane.tail.then(() => finished(lane, job.barrier));
  }

  function pump(): void {
    if (pumping) return;
    pumping = true;
    try {
      while (running < o.maxRunning && ringHead < ring.length) {
        const lane = ring[ringHead++] as Lane;
        lane.ready = false;
        if (!canStart(lane)) continue;
        start(lane, lane.queue.shift() as Job);
        markReady(lane); // back of the line: one start per lane per turn
      }
      if (ringHead === ring.length) {
        ring.length = 0;
        ringHead = 0;
      } else if (ringHead > 1024 && ringHead * 2 > ring.length) {
        ring = ring.slice(ringHead);
        ringHead = 0;
      }
    } finally {
      pumping = false;
    }
  }

  function enqueue(key: string, job: Job): Enqueued {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { key, queue: [], inFlight: 0, barrierRunning: false, tail: settled, ready: false, overflowed: false };
      lanes.set(key, lane);
    }
    if (lane.queue.length >= o.maxQueuedPerKey) {
      const again = lane.overflowed;
      lane.overflowed = true;
      return again ? 'overflow-again' : 'overflow';
    }
    if (lane.queue.length === 0) lane.overflowed = false;
    lane.queue.push(job);
    markReady(lane);
    pump();
    return 'queued';
  }

  return {
    /** A task whose first part may overlap the sender's earlier tasks (see above). */
    pipelined: (key: string, start: () => Promise<Continuation>): Enqueued => enqueue(key, { barrier: false, run: start }),
    /** A task that runs alone in its sender's lane. */
    barrier: (key: string, task: () => Promise<void>): Enqueued => enqueue(key, { barrier: true, run: task }),
    /** Senders with unfinished tasks (tests: nothing is left behind). */
    size: () => lanes.size,
    /** Tasks started and not finished. */
    running: () => running,
  };
}
export type FairScheduler = ReturnType<typeof createFairScheduler>;
