/**
 * Typed access to the desk's state in Redis. Multi-key changes go through the Lua
 * transitions in ./lua; single-key reads and writes are plain commands.
 */
import type { Redis } from 'ioredis';
import type { SessionState } from '../../src/session.js';
import { createKeys, type Keys } from './keys.js';
import { pairsToHash, ticketFromHash, type Ticket } from './ticket-record.js';
import { runScript } from './scripts.js';
import { createOperatorStore } from './operator-store.js';
import { createAudienceStore } from './audience-store.js';
import { createQueueStore } from './queue-store.js';
import { createCustomerStore } from './customer-store.js';
import type { RouteCache } from './route-cache.js';

export type AssignOutcome =
  | { ok: true; ticket: Ticket; buffered: string[] }
  | { ok: false; reason: 'head-changed' | 'operator-unavailable' | 'operator-full' };

const ASSIGN_FAILURES = { '-1': 'head-changed', '-2': 'operator-unavailable', '-3': 'operator-full' } as const;

export interface StoreOptions {
  endedRetentionSeconds: number;
  defaultAvgHandleMs: number;
  maxBufferedMessages: number;
  /**
   * Active chats' routes kept in this process (route-cache.ts), and how to tell other instances
   * that one may have changed (route-sync.ts). Absent: every lookup asks Redis.
   */
  routes?: { cache: RouteCache; announce: () => void };
}

export interface Chat { ticket: Ticket; monitors: string[] }

/**
 * Store calls that cannot change a route (the chat behind a masked JID or behind a customer:
 * its state, operator, customer address, monitors): reads and bookkeeping. Every other call
 * drops the route cache, so a call added later is safe until it is listed here.
 */
const ROUTE_NEUTRAL: ReadonlySet<string> = new Set([
  'customerMessage', 'chatByMasked', 'ticket', 'ticketByMasked', 'ticketIdOfCustomer', 'queue', 'queueHead', 'queueLength',
  'avgHandleMs', 'customersOf', 'desksOf', 'buffered', 'pendingAnnouncements', 'markAnnounced',
  'bindingOf', 'boundJid', 'detachedSince', 'form', 'pages', 'visits', 'offlineCounts', 'openOffline', 'repliesFor',
  'saveJoinDetails', 'addPage', 'rate', 'markFirstResponse',
  'operatorsPastGrace', 'operatorLoads', 'operatorTickets', 'deskAggregate', 'waitingEntries', 'setNotified',
  'bannedAmong', 'banRecord', 'notes', 'addNote', 'countStats', 'stats', 'watchers', 'addWatcher', 'removeWatcher',
  'subscribers', 'addSubscriber', 'removeSubscriber', 'relayed', 'forgetRecentlyRelayed',
]);

/** How long an active chat's origin-id counts as being relayed by this process (see claim()). */
const IN_FLIGHT_MS = 10_000;

/**
 * A cached customer route carries its ticket's origin-ids while there are at most this many (a
 * chat's worth); a longer chat's route stays cached, and Redis checks its messages' origin-ids.
 */
const CACHED_ORIGIN_IDS = 500;

/** Cached values are shared by every caller: frozen, so a caller that edits one fails loudly. */
function frozen<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) Object.freeze(v);
  return Object.freeze(value);
}

export function createDeskStore(redis: Redis, prefix: string, options: StoreOptions) {
  const keys: Keys = createKeys(prefix);

  const cache = options.routes?.cache;

  /** The chat behind a masked JID and its monitoring supervisors: cached while active, else one round trip. */
  async function chatByMasked(local: string): Promise<Chat | undefined> {
    const key = `m\n${local}`;
    const hit = cache?.get<Chat>(key);
    if (hit) return hit;
    const since = cache?.generation() ?? 0;
    const r = (await runScript(redis, 'lookupMasked', [keys.masked(local)], [prefix])) as [string[], string[]] | [];
    if (r.length === 0) return undefined;
    const ticket = ticketFromHash(pairsToHash(r[0]));
    if (!ticket) return undefined;
    const chat = { ticket, monitors: r[1] };
    if (cache && ticket.state === 'active') cache.set(key, frozen(chat), since);
    return chat;
  }

  type CustomerRoute = {
    state: 'active' | 'missing' | 'needs-payload' | 'buffered' | 'dropped' | 'full' | 'duplicate' | 'in-flight';
    ticketId: number; operator: string; masked: string; monitors: string[];
  };
  /** originIds: those the ticket has seen; undefined when it has seen more than CACHED_ORIGIN_IDS. */
  interface CachedCustomerRoute { route: CustomerRoute; originIds: Set<string> | undefined }

  /**
   * An active chat's origin-id is written to Redis only once its copy is relayed (relayed()):
   * remembered before, a kill -9 in between turned the resend into a 'duplicate', acked and
   * never relayed (issue 14, lost in the fault suite). Until then this process holds it here,
   * and a resend of it is 'in-flight': neither relayed nor acked (the first copy may still be
   * dropped); the client resends again later and gets its ack then. An entry left by a copy
   * that was dropped (link down) lapses after IN_FLIGHT_MS, and the next resend is relayed.
   */
  const inFlight = new Map<string, number>();
  /** The newest relayed origin-ids, for forgetRecentlyRelayed. */
  const recent: { ticketId: number; originId: string; at: number }[] = [];
  function claim(route: CustomerRoute, originId: string): CustomerRoute {
    if (route.state !== 'active' || originId === '') return route;
    const k = `${route.ticketId}\n${originId}`;
    const since = inFlight.get(k);
    const now = Date.now();
    if (since !== undefined && now - since < IN_FLIGHT_MS) return { ...route, state: 'in-flight', monitors: [] };
    if (inFlight.size > 10_000) for (const [key, at] of inFlight) if (now - at >= IN_FLIGHT_MS) inFlight.delete(key);
    inFlight.set(k, now);
    return route;
  }

  /**
   * lua/customer-message-1.lua's origin-id rule for a cached active chat (relayed once per ticket,
   * 24 h): checked against the ids the cache holds, or by Redis for a chat too long to hold them.
   */
  async function checkOriginId(hit: CachedCustomerRoute, originId: string): Promise<CustomerRoute> {
    const { route, originIds } = hit;
    const fresh = originIds ? !originIds.has(originId) : (await redis.sismember(keys.originIds(route.ticketId), originId)) === 0;
    return fresh ? claim(route, originId) : { ...route, state: 'duplicate', monitors: [] };
  }

  /** One field of many tickets, in one pipelined round trip. */
  async function ticketField(ids: readonly number[], field: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hget(keys.ticket(id), field);
    const rows = (await pipe.exec()) ?? [];
    return rows.map(([, v]) => String(v ?? ''));
  }

  const store = {
    keys,
    redis,

    async enqueue(p: { desk: string; customer: string; customerBare: string; name: string; now: number; maskedSuffix: string; firstMessage: string; firstWords?: string; originId?: string; summary?: string }) {
      const r = (await runScript(
        redis, 'enqueue',
        [keys.customer(p.desk, p.customerBare), keys.ticketSeq(), keys.queue(p.desk), keys.blacklist()],
        [prefix, p.desk, p.customer, p.customerBare, p.name, p.now, p.maskedSuffix, p.firstMessage, p.firstWords ?? '', p.originId ?? '', p.summary ?? ''],
      )) as [number, SessionState | 'banned', number, number];
      return { ticketId: Number(r[0]), state: r[1], created: r[2] === 1, position: Number(r[3]) };
    },

    /**
     * Routes (active) or buffers (waiting) a customer's message; see customer-message-1.lua.
     * An active chat's route is cached with the origin-ids its ticket has seen: a message found
     * there is checked against them (a resend is a 'duplicate'), and its id is added here; it
     * reaches Redis, where a later lookup (another instance, after a restart or a change) finds
     * it, once the caller has relayed the message (relayed()).
     */
    async customerMessage(desk: string, customerBare: string, stanza: string, keepWhileWaiting: boolean, originId = ''): Promise<CustomerRoute> {
      const key = `c\n${desk}\n${customerBare}`;
      const hit = cache?.get<CachedCustomerRoute>(key);
      if (hit && originId === '') return hit.route;
      if (hit) return checkOriginId(hit, originId);
      const fill = cache?.isEnabled() === true;
      const since = cache?.generation() ?? 0;
      const r = (await runScript(
        redis, 'customerMessage', [keys.customer(desk, customerBare)],
        [prefix, stanza, options.maxBufferedMessages, keepWhileWaiting ? 1 : 0, originId, fill ? CACHED_ORIGIN_IDS : 0],
      )) as [string, number, string, string, string[], (string | number)[]?];
      const route: CustomerRoute = { state: r[0] as CustomerRoute['state'], ticketId: Number(r[1]), operator: r[2], masked: r[3], monitors: r[4] };
      if (cache && fill && route.state === 'active' && r[5]) {
        const ids = r[5][0] === 0 ? undefined : new Set(r[5].map(String));
        cache.set(key, { route: frozen(route), originIds: ids }, since);
      }
      return claim(route, originId);
    },

    /**
     * The copy of an active chat's message is written to the operator: now its origin-id goes to
     * Redis (remember-origin-id-1.lua), in the same tick as the relay, so a crash falls before
     * both (the resend is relayed) or after both (the resend is a 'duplicate').
     */
    relayed(desk: string, customerBare: string, ticketId: number, originId: string): void {
      if (originId === '') return;
      inFlight.delete(`${ticketId}\n${originId}`);
      const hit = cache?.get<CachedCustomerRoute>(`c\n${desk}\n${customerBare}`);
      if (hit?.originIds && hit.route.ticketId === ticketId) {
        if (hit.originIds.size >= CACHED_ORIGIN_IDS) hit.originIds = undefined; // from now on Redis checks them
        else hit.originIds.add(originId);
      }
      // Not awaited: if it fails, the cache goes, so the next message asks Redis again.
      runScript(redis, 'rememberOriginId', [keys.originIds(ticketId)], [originId]).catch(() => cache?.invalidate());
      recent.push({ ticketId, originId, at: Date.now() });
      if (recent.length > 2000) recent.splice(0, recent.length - 1000);
    },

    /**
     * The link to the server dropped: copies written in the last `ms` may have died in a server
     * that was shutting down (a Prosody restart lost them in the fault suite), and their acks with
     * them. Forget those origin-ids, so the client's resends are relayed again; the price is a
     * duplicate at the operator when the copy did arrive but its ack did not. Returns how many.
     */
    async forgetRecentlyRelayed(ms: number): Promise<number> {
      const since = Date.now() - ms;
      const gone = recent.filter((r) => r.at >= since);
      recent.length = 0;
      cache?.invalidate();
      if (gone.length === 0) return 0;
      const pipe = redis.pipeline();
      for (const r of gone) pipe.srem(keys.originIds(r.ticketId), r.originId);
      await pipe.exec();
      return gone.length;
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

    async ticket(id: number): Promise<Ticket | undefined> {
      return ticketFromHash(await redis.hgetall(keys.ticket(id)));
    },

    async ticketByMasked(local: string): Promise<Ticket | undefined> {
      return (await chatByMasked(local))?.ticket;
    },

    chatByMasked,

    /** Starts or stops a supervisor's live copy of a chat; true when now monitoring. */
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

    customersOf: (ids: readonly number[]) => ticketField(ids, 'customer'),
    desksOf: (ids: readonly number[]) => ticketField(ids, 'desk'),

    ...createCustomerStore(redis, keys, prefix),
    ...createOperatorStore(redis, keys, prefix),
    ...createQueueStore(redis, keys, prefix),
    ...createAudienceStore(redis, keys),
  };
  if (options.routes) dropRoutesOnChange(store, options.routes);
  return store;
}

/**
 * Wraps every store call not in ROUTE_NEUTRAL: the cache is dropped before the call is sent
 * (a lookup in flight across it is not kept) and again when it settles, then the change is
 * announced to other instances.
 */
function dropRoutesOnChange(store: object, routes: NonNullable<StoreOptions['routes']>): void {
  const methods = store as Record<string, unknown>;
  for (const [name, fn] of Object.entries(methods)) {
    if (typeof fn !== 'function' || ROUTE_NEUTRAL.has(name)) continue;
    methods[name] = async (...args: unknown[]) => {
      routes.cache.invalidate();
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        routes.cache.invalidate();
        routes.announce();
      }
    };
  }
}

export type DeskStore = ReturnType<typeof createDeskStore>;

export type { Ticket };
