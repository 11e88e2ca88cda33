/**
 * Typed access to the desk's state in Redis. Multi-key changes go through the Lua
 * transitions in ./lua; single-key reads and writes are plain commands.
 */
import type { Redis } from 'ioredis';
import type { OperatorStatus } from '../../src/presence.js';
import type { OperatorLoad } from '../../src/queue-policy.js';
import type { SessionState } from '../../src/session.js';
import { createKeys, type Keys } from './keys.js';
import { runScript } from './scripts.js';

export interface Ticket {
  id: number;
  desk: string;
  customer: string;
  customerBare: string;
  name: string;
  state: SessionState;
  operator: string;
  masked: string;
  createdAt: number;
  assignedAt: number;
  notifiedPosition: number;
  firstWords: string;
  /** The desk whose queue a transferred ticket waits in; '' = its own desk. */
  queueDesk: string;
}

export type AssignOutcome =
  | { ok: true; ticket: Ticket; buffered: string[] }
  | { ok: false; reason: 'head-changed' | 'operator-unavailable' | 'operator-full' };

const ASSIGN_FAILURES = { '-1': 'head-changed', '-2': 'operator-unavailable', '-3': 'operator-full' } as const;

export function ticketFromHash(h: Record<string, string>): Ticket | undefined {
  if (!h.id) return undefined;
  return {
    id: Number(h.id),
    desk: h.desk ?? '',
    customer: h.customer ?? '',
    customerBare: h.customerBare ?? '',
    name: h.name ?? '',
    state: (h.state ?? 'ended') as SessionState,
    operator: h.operator ?? '',
    masked: h.masked ?? '',
    createdAt: Number(h.createdAt ?? 0),
    assignedAt: Number(h.assignedAt ?? 0),
    notifiedPosition: Number(h.notifiedPosition ?? 0),
    firstWords: h.firstWords ?? '',
    queueDesk: h.queueDesk ?? '',
  };
}

function pairsToHash(flat: unknown[], from = 0): Record<string, string> {
  const h: Record<string, string> = {};
  for (let i = from; i + 1 < flat.length; i += 2) h[String(flat[i])] = String(flat[i + 1]);
  return h;
}

export interface StoreOptions {
  endedRetentionSeconds: number;
  defaultAvgHandleMs: number;
  maxBufferedMessages: number;
}

export function createDeskStore(redis: Redis, prefix: string, options: StoreOptions) {
  const keys: Keys = createKeys(prefix);

  /** The chat behind a masked JID and its monitoring supervisors, in one round trip. */
  async function chatByMasked(local: string): Promise<{ ticket: Ticket; monitors: string[] } | undefined> {
    const r = (await runScript(redis, 'lookupMasked', [keys.masked(local)], [prefix])) as [string[], string[]] | [];
    if (r.length === 0) return undefined;
    const ticket = ticketFromHash(pairsToHash(r[0]));
    return ticket ? { ticket, monitors: r[1] } : undefined;
  }

  return {
    keys,
    redis,

    async enqueue(p: { desk: string; customer: string; customerBare: string; name: string; now: number; maskedSuffix: string; firstMessage: string; firstWords?: string }) {
      const r = (await runScript(
        redis, 'enqueue',
        [keys.customer(p.desk, p.customerBare), keys.ticketSeq(), keys.queue(p.desk), keys.blacklist()],
        [prefix, p.desk, p.customer, p.customerBare, p.name, p.now, p.maskedSuffix, p.firstMessage, p.firstWords ?? ''],
      )) as [number, SessionState | 'banned', number, number];
      return { ticketId: Number(r[0]), state: r[1], created: r[2] === 1, position: Number(r[3]) };
    },

    async bufferOrRoute(ticketId: number, stanza: string, keepWhileWaiting: boolean) {
      const r = (await runScript(
        redis, 'bufferOrRoute',
        [keys.ticket(ticketId), keys.buffer(ticketId)],
        [stanza, options.maxBufferedMessages, keepWhileWaiting ? 1 : 0],
      )) as [string, string, string, string[] | undefined];
      return { state: r[0] as SessionState | 'buffered' | 'dropped' | 'missing' | 'full', operator: r[1], masked: r[2], monitors: r[3] ?? [] };
    },

    /** mode 'pick': the operator chose this ticket, wherever it waits in the queue. */
    async assignNext(desk: string, headTicket: number, operatorJid: string, now: number, mode: 'head' | 'pick' = 'head'): Promise<AssignOutcome> {
      const r = (await runScript(
        redis, 'assignNext',
        [keys.queue(desk), keys.operator(operatorJid), keys.operatorTickets(operatorJid), keys.pendingAnnounce()],
        [prefix, headTicket, operatorJid, now, mode],
      )) as number | [number, string[], string[]];
      if (typeof r === 'number') return { ok: false, reason: ASSIGN_FAILURES[String(r) as keyof typeof ASSIGN_FAILURES] };
      const ticket = ticketFromHash(pairsToHash(r[1]));
      if (!ticket) throw new Error(`assign-next returned no ticket for ${headTicket}`);
      return { ok: true, ticket, buffered: r[2] };
    },

    /** After the operator got the intro and the buffered messages. */
    async markAnnounced(ticketId: number) {
      await redis.multi().srem(keys.pendingAnnounce(), String(ticketId)).del(keys.buffer(ticketId)).exec();
    },

    async buffered(ticketId: number): Promise<string[]> {
      return redis.lrange(keys.buffer(ticketId), 0, -1);
    },

    async pendingAnnouncements(): Promise<number[]> {
      return (await redis.smembers(keys.pendingAnnounce())).map(Number);
    },

    async endSession(ticketId: number, desk: string, reason: string, now: number, expectedOperator = '') {
      const r = (await runScript(
        redis, 'endSession',
        [keys.ticket(ticketId), keys.queue(desk), keys.deskStats(desk)],
        [prefix, now, reason, options.endedRetentionSeconds, options.defaultAvgHandleMs, expectedOperator],
      )) as number | unknown[];
      if (typeof r === 'number') return { ok: false as const, reason: r === -1 ? 'missing' : r === -2 ? 'already-ended' : 'not-yours' };
      const ticket = ticketFromHash(pairsToHash(r, 2));
      if (!ticket) throw new Error(`end-session returned no ticket for ${ticketId}`);
      return { ok: true as const, previousState: String(r[0]) as SessionState, ticket };
    },

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

    async ban(customerBare: string, record: { by: string; reason: string; at: number; ticket: number }) {
      await redis.hset(keys.blacklist(), customerBare, JSON.stringify(record));
    },
    async unban(customerBare: string): Promise<boolean> {
      return (await redis.hdel(keys.blacklist(), customerBare)) === 1;
    },
    /** Which of these addresses (bare JIDs) are blacklisted. */
    async bannedAmong(bares: readonly string[]): Promise<Set<string>> {
      if (bares.length === 0) return new Set();
      const flags = await redis.hmget(keys.blacklist(), ...bares);
      return new Set(bares.filter((_, i) => flags[i] !== null));
    },

    async addNote(customerBare: string, note: string) {
      await redis.rpush(keys.customerNotes(customerBare), note);
    },
    async notes(customerBare: string): Promise<string[]> {
      return redis.lrange(keys.customerNotes(customerBare), 0, -1);
    },

    /** Daily counters (statistics, not invariants: a plain pipeline is enough). */
    async countStats(scopes: readonly string[], day: string, fields: Record<string, number>) {
      const pipe = redis.pipeline();
      for (const scope of scopes) {
        for (const [f, v] of Object.entries(fields)) pipe.hincrby(keys.dailyStats(scope, day), f, v);
        pipe.expire(keys.dailyStats(scope, day), 90 * 24 * 3600);
      }
      await pipe.exec();
    },
    async stats(scope: string, day: string): Promise<Record<string, number>> {
      const h = await redis.hgetall(keys.dailyStats(scope, day));
      return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
    },

    async operatorPresence(jid: string, resource: string, show: string, now: number, graceMs: number, defaultMax: number) {
      const r = (await runScript(
        redis, 'operatorPresence',
        [keys.operator(jid), keys.operatorResources(jid), keys.offlineOperators()],
        [jid, resource, show, now, graceMs, defaultMax],
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

    async setOperatorMax(jid: string, max: number) {
      await redis.hset(keys.operator(jid), 'max', max);
    },

    async ensureOperatorMax(jid: string, max: number) {
      await redis.hsetnx(keys.operator(jid), 'max', max);
    },

    async ticket(id: number): Promise<Ticket | undefined> {
      return ticketFromHash(await redis.hgetall(keys.ticket(id)));
    },

    async ticketByMasked(local: string): Promise<Ticket | undefined> {
      return (await chatByMasked(local))?.ticket;
    },

    chatByMasked,

    /** Starts or stops a supervisor's live copy of a chat; true when now monitoring. */
    async toggleMonitor(ticketId: number, supervisor: string): Promise<boolean> {
      const key = keys.monitors(ticketId);
      if ((await redis.srem(key, supervisor)) === 1) return false;
      await redis.sadd(key, supervisor);
      return true;
    },

    async ticketIdOfCustomer(desk: string, customerBare: string): Promise<number | undefined> {
      const id = await redis.get(keys.customer(desk, customerBare));
      return id ? Number(id) : undefined;
    },

    async queue(desk: string): Promise<number[]> {
      return (await redis.lrange(keys.queue(desk), 0, -1)).map(Number);
    },

    async queueHead(desk: string): Promise<number | undefined> {
      const head = await redis.lindex(keys.queue(desk), 0);
      return head === null ? undefined : Number(head);
    },

    async queueLength(desk: string): Promise<number> {
      return redis.llen(keys.queue(desk));
    },

    async avgHandleMs(desk: string): Promise<number> {
      const v = await redis.hget(keys.deskStats(desk), 'avgHandleMs');
      return v ? Number(v) : options.defaultAvgHandleMs;
    },

    async notifiedPositions(ids: readonly number[]): Promise<number[]> {
      if (ids.length === 0) return [];
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hget(keys.ticket(id), 'notifiedPosition');
      const rows = (await pipe.exec()) ?? [];
      return rows.map(([, v]) => Number(v ?? 0));
    },

    async customersOf(ids: readonly number[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hget(keys.ticket(id), 'customer');
      const rows = (await pipe.exec()) ?? [];
      return rows.map(([, v]) => String(v ?? ''));
    },

    async desksOf(ids: readonly number[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hget(keys.ticket(id), 'desk');
      const rows = (await pipe.exec()) ?? [];
      return rows.map(([, v]) => String(v ?? ''));
    },

    async setNotifiedPositions(updates: readonly { id: number; position: number }[]) {
      if (updates.length === 0) return;
      const pipe = redis.pipeline();
      for (const u of updates) pipe.hset(keys.ticket(u.id), 'notifiedPosition', u.position);
      await pipe.exec();
    },

    async operatorTickets(jid: string): Promise<number[]> {
      return (await redis.smembers(keys.operatorTickets(jid))).map(Number).sort((a, b) => a - b);
    },

    async addWatcher(desk: string, fullJid: string) {
      await redis.sadd(keys.deskWatchers(desk), fullJid);
    },
    async removeWatcher(desk: string, fullJid: string) {
      await redis.srem(keys.deskWatchers(desk), fullJid);
    },
    async watchers(desk: string): Promise<string[]> {
      return redis.smembers(keys.deskWatchers(desk));
    },
    async addSubscriber(desk: string, bare: string) {
      await redis.sadd(keys.deskSubscribers(desk), bare);
    },
    async removeSubscriber(desk: string, bare: string) {
      await redis.srem(keys.deskSubscribers(desk), bare);
    },
    async subscribers(desk: string): Promise<string[]> {
      return redis.smembers(keys.deskSubscribers(desk));
    },
  };
}

export type DeskStore = ReturnType<typeof createDeskStore>;
