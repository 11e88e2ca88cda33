/** Operators' side of the store: presence, load, grace, transfers. */
import type { Redis } from 'ioredis';
import type { OperatorStatus } from '../../src/presence.js';
import type { OperatorLoad } from '../../src/queue-policy.js';
import { pairsToHash, ticketFromHash, type Ticket } from './ticket-record.js';
import type { Keys } from './keys.js';
import { runScript } from './scripts.js';

export function createOperatorStore(redis: Redis, keys: Keys, prefix: string) {
  return {
    async transfer(ticketId: number, from: string, to: string, now: number, takeover = false) {
      const r = (await runScript(
        redis, 'transfer',
        [keys.ticket(ticketId), keys.operator(from), keys.operatorTickets(from), keys.operator(to), keys.operatorTickets(to)],
        [from, to, now, takeover ? 1 : 0],
      )) as number | string[];
      if (typeof r === 'number') return { ok: false as const, code: r };
      return { ok: true as const, ticket: ticketFromHash(pairsToHash(r)) as Ticket };
    },

    async requeueTicket(ticketId: number, operator: string, targetDesk: string, now: number) {
      const r = (await runScript(
        redis, 'requeueTicket',
        [keys.ticket(ticketId), keys.operator(operator), keys.operatorTickets(operator), keys.queue(targetDesk)],
        [operator, now, targetDesk],
      )) as number | string[];
      if (typeof r === 'number') return { ok: false as const };
      return { ok: true as const, ticket: ticketFromHash(pairsToHash(r)) as Ticket };
    },

    /** With `desks`, the operator's desks are stamped again (Redis that lost its data heals on the next presence). */
    async operatorPresence(jid: string, resource: string, show: string, now: number, graceMs: number, defaultMax: number, desks?: readonly string[]) {
      const r = (await runScript(
        redis, 'operatorPresence',
        [keys.operator(jid), keys.operatorResources(jid), keys.offlineOperators()],
        [jid, resource, show, now, graceMs, defaultMax, ...(desks ? [desks.join(',')] : [])],
      )) as [string, string, number];
      return { previous: r[0] as OperatorStatus, current: r[1] as OperatorStatus, active: Number(r[2]) };
    },

    async requeueOperator(jid: string, now: number): Promise<{ ticketId: number; desk: string }[]> {
      const r = (await runScript(
        redis, 'requeueOperator',
        [keys.operator(jid), keys.operatorTickets(jid), keys.offlineOperators()],
        [prefix, jid, now],
      )) as string[];
      const out: { ticketId: number; desk: string }[] = [];
      for (let i = 0; i + 1 < r.length; i += 2) out.push({ ticketId: Number(r[i]), desk: String(r[i + 1]) });
      return out;
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
    async setOperatorMax(jid: string, max: number) {
      await runScript(redis, 'setOperatorMax', [keys.operator(jid)], [jid, max]);
    },

    async ensureOperatorMax(jid: string, max: number) {
      await redis.hsetnx(keys.operator(jid), 'max', max);
    },

    async operatorTickets(jid: string): Promise<number[]> {
      return (await redis.smembers(keys.operatorTickets(jid))).map(Number).sort((a, b) => a - b);
    },

  };
}
