/**
 * One key's work in two classes, never overlapping across classes (BENCHMARKS.md F26):
 * - `first` tasks run alone, before the batched tasks waiting (a desk's dispatch run: an
 *   operator who frees a slot must not wait behind a burst of joins, which only wait anyway);
 * - `batched` tasks run together, up to `batch` at once, started in the order they came (a
 *   desk's joins: their round trips overlap, so a burst costs a few round trips per batch, not
 *   a few per join, one after another).
 * A `first` task never runs twice in a row while a batch waits, so neither class starves: a
 * dispatch waits at most one batch, a batch at most one dispatch. Tasks of one class and key
 * start in order; different keys are independent.
 */

interface Job {
  run: () => Promise<void>;
  done: (err?: unknown) => void;
}

interface Lane {
  first: Job[];
  batched: Job[];
  running: boolean;
  /** The last thing run was a `first` task (the next turn goes to a waiting batch). */
  ranFirst: boolean;
}

export function createPrioritySerializer(o: { batch: number }) {
  const lanes = new Map<string, Lane>();

  function runJob(job: Job): Promise<void> {
    let p: Promise<void>;
    try {
      p = job.run();
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.then(
      () => job.done(),
      (err: unknown) => job.done(err ?? new Error('task failed')),
    );
  }

  function pump(key: string, lane: Lane): void {
    if (lane.running) return;
    const takeFirst = lane.first.length > 0 && !(lane.ranFirst && lane.batched.length > 0);
    let work: Promise<unknown>;
    if (takeFirst) {
      lane.ranFirst = true;
      work = runJob(lane.first.shift() as Job);
    } else if (lane.batched.length > 0) {
      lane.ranFirst = false;
      work = Promise.all(lane.batched.splice(0, o.batch).map(runJob));
    } else {
      if (lanes.get(key) === lane) lanes.delete(key);
      return;
    }
    lane.running = true;
    void work.then(() => {
      lane.running = false;
      pump(key, lane);
    });
  }

  function enqueue(key: string, kind: 'first' | 'batched', run: () => Promise<void>): Promise<void> {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { first: [], batched: [], running: false, ranFirst: false }));
    const l = lane;
    return new Promise<void>((resolve, reject) => {
      l[kind].push({ run, done: (err) => (err === undefined ? resolve() : reject(err)) });
      // Never within the caller's turn (as a promise chain would not): the caller may still be
      // keeping the returned promise, and tasks asked for in the same turn join one batch.
      queueMicrotask(() => pump(key, l));
    });
  }

  return {
    first: (key: string, task: () => Promise<void>) => enqueue(key, 'first', task),
    batched: (key: string, task: () => Promise<void>) => enqueue(key, 'batched', task),
    /** Keys with work queued or running (tests: nothing is left behind). */
    size: () => lanes.size,
  };
}
export type PrioritySerializer = ReturnType<typeof createPrioritySerializer>;
