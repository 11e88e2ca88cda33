/**
 * Tickets and their chats: joining, a customer's messages, assignment, the end; and the routes
 * behind masked JIDs and customers, cached while a chat is active (route-cache.ts).
 */
import type { SessionState } from '../../src/session.js';
import { reply } from '../lib/redis-scripts.js';
import { failureOf, type Outcome } from './script-failures.js';
import { CACHED_ORIGIN_IDS, type CachedCustomerRoute, type CustomerRoute, createOriginIdLedger, customerRouteKey } from './origin-ids.js';
import { storeScript, type StorePartContext } from './store-scripts.js';
import { ticketFromHash, type Ticket } from './ticket-record.js';

export type { CustomerRoute };

export interface Chat {
  ticket: Ticket;
  monitors: string[];
}

const ROUTE_STATES: ReadonlySet<string> = new Set(['active', 'missing', 'needs-payload', 'buffered', 'dropped', 'full', 'duplicate']);
const JOIN_STATES: ReadonlySet<string> = new Set(['waiting', 'active', 'ended', 'offline', 'banned']);

/** A ticket hash in a script reply; a reply without one is a bug in the script. */
function ticketIn(r: unknown, what: string, from = 0): Ticket {
  const ticket = ticketFromHash(reply.hash(r, what, from));
  if (!ticket) throw new Error(`${what} replied without a ticket`);
  return ticket;
}

const enqueueScript = storeScript('enqueue-4.lua', { changesRoutes: true }, (r) => {
  const [id, state, created, position] = reply.array(r, 'enqueue');
  const s = reply.string(state, 'enqueue state');
  if (!JOIN_STATES.has(s)) throw new Error(`enqueue replied state ${s}`);
  return {
    ticketId: reply.number(id, 'enqueue id'),
    state: s as SessionState | 'banned',
    created: created === 1,
    position: reply.number(position, 'enqueue position'),
  };
});

const customerMessageScript = storeScript('customer-message-1.lua', { changesRoutes: false }, (r) => {
  const [state, id, operator, masked, monitors, originIds] = reply.array(r, 'customer-message');
  const s = reply.string(state, 'customer-message state');
  if (!ROUTE_STATES.has(s)) throw new Error(`customer-message replied state ${s}`);
  const route: CustomerRoute = {
    state: s as CustomerRoute['state'],
    ticketId: reply.number(id, 'ticket id'),
    operator: reply.string(operator, 'operator'),
    masked: reply.string(masked, 'masked'),
    monitors: reply.strings(monitors, 'monitors'),
  };
  /** The origin-ids the ticket has seen, when asked for and not too many; null: too many. */
  const seen =
    originIds === undefined ? undefined : reply.array(originIds, 'origin-ids')[0] === 0 ? null : reply.strings(originIds, 'origin-ids');
  return { route, seen };
});

const firstResponseScript = storeScript('first-response-1.lua', { changesRoutes: false }, (r) => reply.number(r, 'first-response') === 1);
const lookupMaskedScript = storeScript('lookup-masked-1.lua', { changesRoutes: false }, (r): Chat | undefined => {
  const parts = reply.array(r, 'lookup-masked');
  if (parts.length === 0) return undefined;
  const ticket = ticketFromHash(reply.hash(parts[0], 'lookup-masked ticket'));
  return ticket && { ticket, monitors: reply.strings(parts[1], 'monitors') };
});

const assignNextScript = storeScript('assign-next-4.lua', { changesRoutes: true }, (r): Outcome<{ ticket: Ticket; buffered: string[] }> => {
  const failure = failureOf(r);
  if (failure) return { ok: false, failure };
  const [, hash, buffered] = reply.array(r, 'assign-next');
  return { ok: true, ticket: ticketIn(hash, 'assign-next'), buffered: reply.strings(buffered, 'buffered') };
});

const endSessionScript = storeScript(
  'end-session-3.lua',
  { changesRoutes: true },
  (r): Outcome<{ previousState: SessionState; ticket: Ticket }> => {
    const failure = failureOf(r);
    if (failure) return { ok: false, failure };
    return {
      ok: true,
      previousState: reply.string(reply.array(r, 'end-session')[0], 'previous state') as SessionState,
      ticket: ticketIn(r, 'end-session', 2),
    };
  },
);

/** Cached values are shared by every caller: frozen, so a caller that edits one fails loudly. */
function frozen<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) Object.freeze(v);
  return Object.freeze(value);
}

export function createSessionStore(part: StorePartContext) {
  const { redis, keys, prefix, options, run } = part;
  const cache = part.routes.cache;
  const originIds = createOriginIdLedger(part, cache);

  /** The chat behind a masked JID and its monitoring supervisors: cached while active, else one round trip. */
  async function chatByMasked(local: string): Promise<Chat | undefined> {
    const key = `m\n${local}`;
    const hit = cache?.get<Chat>(key);
    if (hit) return hit;
    const since = cache?.generation() ?? 0;
    const chat = await run(lookupMaskedScript, [keys.masked(local)], [prefix]);
    if (chat && cache && chat.ticket.state === 'active') cache.set(key, frozen(chat), since);
    return chat;
  }

  /** One field of many tickets, in one pipelined round trip. */
  async function ticketField(ids: readonly number[], field: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hget(keys.ticket(id), field);
    const rows = (await pipe.exec()) ?? [];
    return rows.map(([, v]) => String(v ?? ''));
  }

  return {
    async enqueue(p: {
      desk: string;
      customer: string;
      customerKey: string;
      name: string;
      now: number;
      maskedSuffix: string;
      firstMessage: string;
      firstWords?: string;
      originId?: string;
      summary?: string;
      /** The report stamp (report-store.ts stamp()): the new ticket counts as requested in the same script. */
      report?: string;
    }) {
      return run(
        enqueueScript,
        [keys.customer(p.desk, p.customerKey), keys.ticketSeq(), keys.queue(p.desk), keys.blacklist()],
        [
          prefix,
          p.desk,
          p.customer,
          p.customerKey,
          p.name,
          p.now,
          p.maskedSuffix,
          p.firstMessage,
          p.firstWords ?? '',
          p.originId ?? '',
          p.summary ?? '',
          p.report ?? '',
        ],
      );
    },

    /**
     * Routes (active) or buffers (waiting) a customer's message; see customer-message-1.lua.
     * An active chat's route is cached with the origin-ids its ticket has seen: a message found
     * there is checked against them (a resend is a 'duplicate'), and its id is added here; it
     * reaches Redis, where a later lookup (another instance, after a restart or a change) finds
     * it, once the caller has relayed the message (relayed()).
     */
    async customerMessage(
      desk: string,
      customerKey: string,
      stanza: string,
      keepWhileWaiting: boolean,
      originId = '',
    ): Promise<CustomerRoute> {
      const key = customerRouteKey(desk, customerKey);
      const hit = cache?.get<CachedCustomerRoute>(key);
      if (hit && originId === '') return hit.route;
      if (hit) return originIds.check(hit, originId);
      const fill = cache?.isEnabled() === true;
      const since = cache?.generation() ?? 0;
      const { route, seen } = await run(
        customerMessageScript,
        [keys.customer(desk, customerKey)],
        [prefix, stanza, options.maxBufferedMessages, keepWhileWaiting ? 1 : 0, originId, fill ? CACHED_ORIGIN_IDS : 0],
      );
      if (cache && fill && route.state === 'active' && seen !== undefined) {
        cache.set(key, { route: frozen(route), originIds: seen === null ? originIds.longChat(route.ticketId) : new Set(seen) }, since);
      }
      return originIds.claim(route, originId);
    },

    /** The copy of an active chat's message is written: its origin-id is remembered (origin-ids.ts). */
    relayed: originIds.relayed,

    /** The link dropped: the last `ms` of relayed origin-ids are forgotten, so their resends are relayed (origin-ids.ts). */
    forgetRecentlyRelayed: originIds.forgetRecent,

    /** mode 'pick': the operator chose this ticket, wherever it waits in the queue. */
    async assignNext(desk: string, headTicket: number, operatorJid: string, now: number, mode: 'head' | 'pick' = 'head') {
      return run(
        assignNextScript,
        [keys.queue(desk), keys.operator(operatorJid), keys.operatorTickets(operatorJid), keys.pendingAnnounce()],
        [prefix, headTicket, operatorJid, now, mode],
      );
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
      return run(
        endSessionScript,
        [keys.ticket(ticketId), keys.queue(desk), keys.deskStats(desk)],
        [prefix, now, reason, options.endedRetentionSeconds, options.defaultAvgHandleMs, expectedOperator],
      );
    },

    async ticket(id: number): Promise<Ticket | undefined> {
      return ticketFromHash(await redis.hgetall(keys.ticket(id)));
    },

    async ticketByMasked(local: string): Promise<Ticket | undefined> {
      return (await chatByMasked(local))?.ticket;
    },

    chatByMasked,

    async ticketIdOfCustomer(desk: string, customerKey: string): Promise<number | undefined> {
      const id = await redis.get(keys.customer(desk, customerKey));
      return id ? Number(id) : undefined;
    },

    customersOf: (ids: readonly number[]) => ticketField(ids, 'customer'),
    desksOf: (ids: readonly number[]) => ticketField(ids, 'desk'),

    /** True the first time only (the operator's first answer in this chat), counted in the reports in the same step. */
    markFirstResponse(ticketId: number, now: number): Promise<boolean> {
      return run(firstResponseScript, [keys.ticket(ticketId)], [prefix, now]);
    },

    /** Starts or stops a supervisor's live copy of a chat; true when now monitoring. */
    async toggleMonitor(ticketId: number, supervisor: string): Promise<boolean> {
      return part.routes.changing(async () => {
        const key = keys.monitors(ticketId);
        if ((await redis.srem(key, supervisor)) === 1) return false;
        await redis.sadd(key, supervisor);
        return true;
      });
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
