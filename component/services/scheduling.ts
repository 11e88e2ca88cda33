/** Small concurrency helpers shared by the services. */
import type { Logger } from 'pino';

/**
 * Runs fn once per key per window: calls while one is scheduled join it.
 * Used for desk presence and position updates ("not more than needed").
 */
export function createCoalescer(log: Logger) {
  const pending = new Map<string, NodeJS.Timeout>();
  return {
    schedule(key: string, delayMs: number, fn: () => Promise<void>): void {
      if (pending.has(key)) return;
      pending.set(key, setTimeout(() => {
        pending.delete(key);
        fn().catch((err: Error) => log.warn({ key, err: err.message }, 'scheduled task failed'));
      }, delayMs));
    },
    cancelAll(): void {
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
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
