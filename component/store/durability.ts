/**
 * WAIT-based durability (issue 19 §4). Redis replicates asynchronously: a primary that dies
 * can take its last writes with it, and Sentinel promotes a replica without them. `sync()`
 * sends `WAIT <replicas> <timeout>` on the connection that made the writes, so it resolves
 * once that many replicas have every write this connection issued before it
 * (https://redis.io/docs/latest/commands/wait/). It is sent after the caller's turn (setImmediate),
 * so after the writes that turn made, and one WAIT serves everyone who asked before it was sent.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface Durability {
  /** Replicas required; 0: off (`sync` resolves at once). */
  readonly replicas: number;
  /** Resolves true when the replicas have this connection's earlier writes, false when WAIT timed out short; rejects when Redis is unreachable. */
  sync(): Promise<boolean>;
  stats(): { waits: number; short: number; failed: number };
}

/** While too few replicas are connected, WAIT is skipped (each would block the connection for the whole timeout); ROLE is asked this often. */
const RECHECK_MS = 1000;

export function createDurability(
  redis: Redis,
  opts: { replicas: number; timeoutMs: number },
  log: Pick<Logger, 'warn' | 'info'>,
): Durability {
  let short = false; // the last WAIT timed out: replies leave at once until ROLE shows enough replicas again
  let recheckAt = 0;
  const stats = { waits: 0, short: 0, failed: 0 };

  /** ROLE (never blocks): how many replicas the primary has now. */
  async function replicasNow(): Promise<number> {
    const role = (await redis.call('ROLE')) as [string, number, unknown[]];
    return role[0] === 'master' ? role[2].length : 0;
  }
  async function wait(): Promise<boolean> {
    if (short) {
      if (Date.now() < recheckAt) return false;
      recheckAt = Date.now() + RECHECK_MS;
      if ((await replicasNow().catch(() => 0)) < opts.replicas) return false;
    }
    stats.waits += 1;
    let acked: number;
    try {
      acked = (await redis.call('WAIT', opts.replicas, opts.timeoutMs)) as number;
    } catch (err) {
      stats.failed += 1;
      throw err;
    }
    const ok = acked >= opts.replicas;
    if (!ok) {
      stats.short += 1;
      recheckAt = Date.now() + RECHECK_MS;
      if (!short)
        log.warn(
          { acked, required: opts.replicas },
          'WAIT timed out: replies leave without waiting for replicas until enough are connected',
        );
    } else if (short) log.info('replicas acknowledge writes again: replies wait for them');
    short = !ok;
    return ok;
  }
  let onWire: Promise<boolean> | undefined; // the WAIT Redis is working on
  let following: Promise<boolean> | undefined; // the one after it, shared by everyone asking meanwhile
  return {
    replicas: opts.replicas,
    sync() {
      if (opts.replicas === 0) return Promise.resolve(true);
      if (following) return following;
      // One WAIT at a time: WAIT blocks the connection, so pipelined ones would each block it for
      // up to the timeout in turn. Askers while one runs share the next, sent when it returns.
      const before = onWire;
      const self: { p?: Promise<boolean> } = {};
      const p: Promise<boolean> = (async () => {
        await new Promise((r) => setImmediate(r)); // after this turn's own writes
        if (before) await before.catch(() => undefined);
        following = undefined;
        onWire = self.p;
        try {
          return await wait();
        } finally {
          if (onWire === self.p) onWire = undefined;
        }
      })();
      self.p = p;
      following = p;
      return p;
    },
    stats: () => ({ ...stats }),
  };
}
