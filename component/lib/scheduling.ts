/** Small concurrency helpers shared by the services. */
import type { Logger } from 'pino';

/**
 * Runs fn once per key per window: calls while one is scheduled join it; a call while it runs
 * schedules one more run after it finishes (runs of one key never overlap). With minGapMs,
 * a run starts at least that long after the previous run of the key started (throttle).
 * Used for desk presence and position updates ("not more than needed").
 */
export function createCoalescer(log: Logger) {
  interface Slot {
    timer?: NodeJS.Timeout;
    running: boolean;
    again: boolean;
    fn: () => Promise<void>;
  }
  const slots = new Map<string, Slot>();
  const lastStart = new Map<string, number>();

  function arm(key: string, delayMs: number, minGapMs: number, fn: () => Promise<void>): void {
    const slot: Slot = { running: false, again: false, fn };
    const wait = Math.max(delayMs, (lastStart.get(key) ?? -Infinity) + minGapMs - Date.now());
    slot.timer = setTimeout(() => {
      slot.running = true;
      lastStart.set(key, Date.now());
      slot
        .fn()
        .catch((err: Error) => log.warn({ key, err: err.message }, 'scheduled task failed'))
        .finally(() => {
          if (slots.get(key) !== slot) return; // cancelled meanwhile
          slots.delete(key);
          if (slot.again) arm(key, delayMs, minGapMs, slot.fn);
        });
    }, wait);
    slots.set(key, slot);
  }

  return {
    schedule(key: string, delayMs: number, fn: () => Promise<void>, minGapMs = 0): void {
      const slot = slots.get(key);
      if (!slot) return arm(key, delayMs, minGapMs, fn);
      slot.fn = fn;
      if (slot.running) slot.again = true;
    },
    cancelAll(): void {
      for (const slot of slots.values()) clearTimeout(slot.timer);
      slots.clear();
    },
  };
}

/** Runs tasks with the same key one after another (per-sender ordering), different keys concurrently. */
export function createKeyedSerializer() {
  const tails = new Map<string, Promise<void>>();
  return function serialize(key: string, task: () => Promise<void>): Promise<void> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

/** What a pipelined task does once it is its turn: the part that must run in order. */
export type Continuation = () => Promise<void>;

/**
 * Shares reads per key without serving stale data: a caller joins the read that will start
 * next (after the one in flight), never one that started before it asked. At most one read
 * runs and one waits per key, however many callers.
 */
export function createSharedRead<T>() {
  const running = new Map<string, Promise<T>>();
  const next = new Map<string, Promise<T>>();
  const start = (key: string, fn: () => Promise<T>): Promise<T> => {
    const p: Promise<T> = fn().finally(() => {
      if (running.get(key) === p) running.delete(key);
    });
    running.set(key, p);
    return p;
  };
  return function read(key: string, fn: () => Promise<T>): Promise<T> {
    const waiting = next.get(key);
    if (waiting) return waiting;
    const current = running.get(key);
    if (!current) return start(key, fn);
    const queued = current
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next.delete(key);
        return start(key, fn);
      });
    next.set(key, queued);
    return queued;
  };
}
