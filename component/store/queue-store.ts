/**
 * The dispatcher's and the notifiers' side of the store: dispatcher rounds and desk snapshots
 * from the desks' aggregates (lua/includes/operator-loads.lua), one round trip each, whatever
 * the number of operators or of waiting customers.
 */
import type { OperatorStatus } from '../../src/presence.js';
import type { OperatorLoad } from '../../src/queue-policy.js';
import { reply } from '../lib/redis-scripts.js';
import { storeScript, type StorePartContext } from './store-scripts.js';
import { ticketFromHash, type Ticket } from './ticket-record.js';

export interface ReadyAssignment {
  ticket: Ticket;
  buffered: string[];
  operatorLoad: { active: number; max: number };
}
/** What assign-ready did: the assignments in order, and why it stopped ('limit': there may be more to do). */
export interface ReadyOutcome {
  assigned: ReadyAssignment[];
  stop: 'queue-empty' | 'no-operator' | 'limit';
}

const STOPS = { '-1': 'queue-empty', '-2': 'no-operator', '0': 'limit' } as const;

const assignReadyScript = storeScript('assign-ready-3.lua', { changesRoutes: true }, (r): ReadyOutcome => {
  const assigned: ReadyAssignment[] = [];
  let stop: ReadyOutcome['stop'] = 'limit';
  for (const row of reply.array(r, 'assign-ready')) {
    if (typeof row === 'number') {
      const why = STOPS[String(row) as keyof typeof STOPS];
      if (!why) throw new Error(`assign-ready replied stop ${row}`);
      stop = why;
      continue;
    }
    const [id, hash, buffered, active, max] = reply.array(row, 'assign-ready row');
    const ticket = ticketFromHash(reply.hash(hash, 'assign-ready ticket'));
    if (!ticket) throw new Error(`assign-ready returned no ticket for ${String(id)}`);
    assigned.push({
      ticket,
      buffered: reply.strings(buffered, 'buffered'),
      operatorLoad: { active: reply.number(active, 'active'), max: reply.number(max, 'max') },
    });
  }
  return { assigned, stop };
});

const queuePositionsScript = storeScript('queue-positions-1.lua', { changesRoutes: false }, (r): WaitingEntry[] => {
  const flat = reply.strings(r, 'queue-positions');
  const out: WaitingEntry[] = [];
  for (let i = 0; i + 5 < flat.length; i += 6) {
    out.push({
      id: Number(flat[i]),
      position: Number(flat[i + 1]),
      notifiedPosition: num(flat[i + 2]) || 0,
      notifiedWaitMinutes: num(flat[i + 3]),
      notifiedAt: num(flat[i + 4]),
      customer: flat[i + 5] ?? '',
    });
  }
  return out;
});

export interface DeskAggregate {
  loads: OperatorLoad[];
  waiting: number;
  avgHandleMs: number | undefined;
}

export interface WaitingEntry {
  id: number;
  /** Its place in line (1-based) when read. */
  position: number;
  customer: string;
  /** What the customer was last told (0 / NaN when never). */
  notifiedPosition: number;
  notifiedWaitMinutes: number;
  notifiedAt: number;
}

/** A desk:<d>:loads value: 'status active max idleSince'. */
export function parseLoad(jid: string, value: string | undefined, defaultMax: number): OperatorLoad {
  if (!value) return { jid, status: 'offline', active: 0, max: defaultMax, idleSince: 0 };
  const [status = 'offline', active = '0', max = '', idle = '0'] = value.split(' ');
  return { jid, status: status as OperatorStatus, active: Number(active), max: max ? Number(max) : defaultMax, idleSince: Number(idle) };
}

const num = (v: string | undefined) => (v ? Number(v) : Number.NaN);

export function createQueueStore(part: StorePartContext) {
  const { redis, keys, prefix, options, run } = part;
  return {
    /** Dispatcher rounds, up to `max` assignments in one round trip; see assign-ready-3.lua. */
    async assignReady(desk: string, now: number, max = 1): Promise<ReadyOutcome> {
      return run(assignReadyScript, [keys.queue(desk), keys.deskReady(desk), keys.pendingAnnounce()], [prefix, now, max]);
    },

    async queue(desk: string): Promise<number[]> {
      return (await redis.lrange(keys.queue(desk), 0, -1)).map(Number);
    },

    async queueHead(desk: string): Promise<number | undefined> {
      const head = await redis.lindex(keys.queue(desk), 0);
      return head === null ? undefined : Number(head);
    },

    /** Operators taking customers with a free slot at the desk, best first (the ready set's order). */
    async readyOperators(desk: string): Promise<string[]> {
      return redis.zrange(keys.deskReady(desk), 0, -1);
    },

    async queueLength(desk: string): Promise<number> {
      return redis.llen(keys.queue(desk));
    },

    async avgHandleMs(desk: string): Promise<number> {
      const v = await redis.hget(keys.deskStats(desk), 'avgHandleMs');
      return v ? Number(v) : options.defaultAvgHandleMs;
    },

    /** The desk's operators' loads, its queue length and average handle time, in one round trip. */
    async deskAggregate(desk: string, jids: readonly string[], defaultMax: (jid: string) => number): Promise<DeskAggregate> {
      const rows =
        (await redis.multi().hgetall(keys.deskLoads(desk)).llen(keys.queue(desk)).hget(keys.deskStats(desk), 'avgHandleMs').exec()) ?? [];
      for (const [err] of rows) if (err) throw err;
      const loads = (rows[0]?.[1] ?? {}) as Record<string, string>;
      const avg = rows[2]?.[1] as string | null;
      return {
        loads: jids.map((jid) => parseLoad(jid, loads[jid], defaultMax(jid))),
        waiting: Number(rows[1]?.[1] ?? 0),
        avgHandleMs: avg ? Number(avg) : undefined,
      };
    },

    /**
     * The first `head` waiting customers (0: all) and, with `window`, `window.count` more from
     * `window.start` (0-based) on, with what each was last told; see queue-positions-1.lua.
     */
    async waitingEntries(desk: string, head: number, window?: { start: number; count: number }): Promise<WaitingEntry[]> {
      const args = window ? [prefix, head, window.start, window.count] : [prefix, head];
      return run(queuePositionsScript, [keys.queue(desk)], args);
    },

    /** Remembers what was told (single-key writes: a pipeline is enough). */
    async setNotified(updates: readonly { id: number; position: number; waitMinutes: number; at: number }[]): Promise<void> {
      if (updates.length === 0) return;
      const pipe = redis.pipeline();
      for (const u of updates) {
        pipe.hset(
          keys.ticket(u.id),
          'notifiedPosition',
          u.position,
          'notifiedWait',
          Number.isFinite(u.waitMinutes) ? u.waitMinutes : -1,
          'notifiedAt',
          u.at,
        );
      }
      await pipe.exec();
    },
  };
}
export type QueueStore = ReturnType<typeof createQueueStore>;
