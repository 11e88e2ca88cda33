/** Operators' side of the store: presence, load, grace, transfers, capacity. */
import type { OperatorStatus } from '../../src/presence.js';
import type { OperatorLoad } from '../../src/queue-policy.js';
import { reply } from '../lib/redis-scripts.js';
import { failureOf, type Outcome } from './script-failures.js';
import { storeScript, type StorePartContext } from './store-scripts.js';
import { ticketFromHash, type Ticket } from './ticket-record.js';

const STATUSES: ReadonlySet<string> = new Set(['offline', 'dnd', 'xa', 'away', 'available', 'chat']);
const status = (r: unknown, what: string): OperatorStatus => {
  const s = reply.string(r, what);
  if (!STATUSES.has(s)) throw new Error(`${what}: not a status: ${s}`);
  return s as OperatorStatus;
};

/** A moved ticket (transfer, requeue), or the script's refusal. */
const movedTicket =
  (what: string) =>
  (r: unknown): Outcome<{ ticket: Ticket }> => {
    const failure = failureOf(r);
    if (failure) return { ok: false, failure };
    const ticket = ticketFromHash(reply.hash(r, what));
    if (!ticket) throw new Error(`${what} replied without a ticket`);
    return { ok: true, ticket };
  };

const transferScript = storeScript('transfer-5.lua', { changesRoutes: true }, movedTicket('transfer'));
const requeueTicketScript = storeScript('requeue-ticket-4.lua', { changesRoutes: true }, movedTicket('requeue-ticket'));

const operatorPresenceScript = storeScript('operator-presence-3.lua', { changesRoutes: true }, (r) => {
  const [previous, current, active, since] = reply.array(r, 'operator-presence');
  return {
    previous: status(previous, 'previous status'),
    current: status(current, 'status'),
    active: reply.number(active, 'active'),
    /** When the previous status began (ms; undefined if unknown): the reports' online time. */
    since: since ? Number(since) : undefined,
  };
});

const requeueOperatorScript = storeScript('requeue-operator-3.lua', { changesRoutes: true }, (r) => {
  const flat = reply.strings(r, 'requeue-operator');
  const out: { ticketId: number; desk: string }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ ticketId: Number(flat[i]), desk: flat[i + 1] ?? '' });
  return out;
});

const setOperatorMaxScript = storeScript('set-operator-max-1.lua', { changesRoutes: true }, (r) => reply.number(r, 'set-operator-max'));
const syncOperatorScript = storeScript('sync-operator-1.lua', { changesRoutes: true }, (r) => reply.number(r, 'sync-operator'));

export function createOperatorStore(part: StorePartContext) {
  const { redis, keys, prefix, run } = part;
  return {
    async transfer(ticketId: number, from: string, to: string, now: number, takeover = false) {
      return run(
        transferScript,
        [keys.ticket(ticketId), keys.operator(from), keys.operatorTickets(from), keys.operator(to), keys.operatorTickets(to)],
        [from, to, now, takeover ? 1 : 0],
      );
    },

    /** `counted`: what the reports count in the same step (requeue-ticket-4.lua): a transfer, a miss, or nothing. */
    async requeueTicket(ticketId: number, operator: string, targetDesk: string, now: number, counted: 'transfer' | 'unanswered' | '' = '') {
      return run(
        requeueTicketScript,
        [keys.ticket(ticketId), keys.operator(operator), keys.operatorTickets(operator), keys.queue(targetDesk)],
        [operator, now, targetDesk, counted],
      );
    },

    /** With `desks`, the operator's desks are stamped again (Redis that lost its data heals on the next presence). */
    async operatorPresence(
      jid: string,
      resource: string,
      show: string,
      now: number,
      graceMs: number,
      defaultMax: number,
      desks?: readonly string[],
    ) {
      return run(
        operatorPresenceScript,
        [keys.operator(jid), keys.operatorResources(jid), keys.offlineOperators()],
        [jid, resource, show, now, graceMs, defaultMax, ...(desks ? [desks.join(',')] : [])],
      );
    },

    async requeueOperator(jid: string, now: number): Promise<{ ticketId: number; desk: string }[]> {
      return run(requeueOperatorScript, [keys.operator(jid), keys.operatorTickets(jid), keys.offlineOperators()], [prefix, jid, now]);
    },

    /** Each operator's status and since when (undefined if unknown): the reports' time online up to now. */
    async presenceSince(jids: readonly string[]): Promise<{ jid: string; status: string; since?: number }[]> {
      const pipe = redis.pipeline();
      for (const jid of jids) pipe.hmget(keys.operator(jid), 'status', 'statusSince');
      const rows = (await pipe.exec()) ?? [];
      return jids.map((jid, i) => {
        const [err, v] = rows[i] ?? [null, []];
        if (err) throw err;
        const [st, since] = v as (string | null)[];
        return { jid, status: st ?? 'offline', ...(since ? { since: Number(since) } : {}) };
      });
    },

    async operatorsPastGrace(now: number): Promise<string[]> {
      return redis.zrangebyscore(keys.offlineOperators(), 0, now);
    },

    async operatorLoads(jids: readonly string[], defaultMax: (jid: string) => number): Promise<OperatorLoad[]> {
      if (jids.length === 0) return [];
      const pipe = redis.pipeline();
      for (const jid of jids) pipe.hmget(keys.operator(jid), 'status', 'active', 'max', 'idleSince');
      const rows = (await pipe.exec()) ?? [];
      return jids.map((jid, i) => {
        const [err, v] = rows[i] ?? [null, []];
        if (err) throw err;
        const [status, active, max, idleSince] = v as (string | null)[];
        return {
          jid,
          status: (status ?? 'offline') as OperatorStatus,
          active: Number(active ?? 0),
          max: Number(max ?? defaultMax(jid)),
          idleSince: Number(idleSince ?? 0),
        };
      });
    },

    /** !max: the hash and the desks' aggregates together (set-operator-max-1.lua). */
    async setOperatorMax(jid: string, max: number): Promise<void> {
      await run(setOperatorMaxScript, [keys.operator(jid)], [jid, max]);
    },

    async ensureOperatorMax(jid: string, max: number): Promise<void> {
      await part.routes.changing(() => redis.hsetnx(keys.operator(jid), 'max', max));
    },

    /** Stamps a configured operator's desks and default capacity (start-up); see sync-operator-1.lua. */
    async syncOperator(jid: string, defaultMax: number, desks: readonly string[]): Promise<void> {
      await run(syncOperatorScript, [keys.operator(jid)], [jid, defaultMax, desks.join(',')]);
    },

    /** Who the desk's aggregates count (the loads hash): after settings changed while no instance ran, some may be no operators of it. */
    async deskOperators(desk: string): Promise<string[]> {
      return redis.hkeys(keys.deskLoads(desk));
    },

    async operatorTickets(jid: string): Promise<number[]> {
      return (await redis.smembers(keys.operatorTickets(jid))).map(Number).sort((a, b) => a - b);
    },
  };
}
export type OperatorStore = ReturnType<typeof createOperatorStore>;
