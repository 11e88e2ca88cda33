/**
 * What the desk keeps about customers beyond the queue (docs/widget-protocol.md): JID ↔ token
 * bindings, detached tickets waiting to be reattached, pre-chat forms, page views, visits,
 * ratings, offline tickets and their replies, notes and the blacklist. Single-key writes or
 * MULTI blocks; the one state-dependent change (reattach) is a Lua transition.
 */
import type { PageView } from '../../src/customer/join-form.js';
import { multiWith, reply } from '../lib/redis-scripts.js';
import type { ReportFactCall } from './report-store.js';
import { storeScript, type StorePartContext } from './store-scripts.js';
import { STORED_CUSTOMER_KEY, ticketFromHash, type Ticket } from './ticket-record.js';

const DAY = 24 * 3600;
/** Forms, page views, offline tickets and replies: what "next visit" can reasonably mean. */
const DETAILS_TTL = 30 * DAY;
const VISITS_TTL = 180 * DAY;
const BINDING_TTL = DAY;
const MAX_VISITS = 20;

export interface OfflineReply {
  ticket: number;
  at: number;
  operator: string;
  text: string;
}

/** Who blacklisted, why, in which ticket and at which desk (absent in records from before desks were kept). */
export interface BanRecord {
  by: string;
  reason: string;
  at: number;
  ticket: number;
  desk?: string;
}

/** Who the site said the customer is (issue 20): checked against its signature, or only claimed. */
export interface IdentityRecord {
  verified: boolean;
  /** Why a claim is not verified: no signature, a wrong one, or no secret for the desk. */
  reason?: 'unsigned' | 'bad-signature' | 'no-secret';
  userId: string;
  name?: string;
  email?: string;
}

export interface Rating {
  score: number;
  comment: string;
}

export interface Attached {
  ticketId: number;
  state: 'waiting' | 'active';
  position: number;
  operator: string;
  queueDesk: string;
}

const attachScript = storeScript('attach-customer-2.lua', { changesRoutes: true }, (r): Attached | undefined => {
  const [id, state, position, operator, queueDesk] = reply.array(r, 'attach-customer');
  if (state === undefined) return undefined; // { 0 }: no live ticket
  if (state !== 'waiting' && state !== 'active') throw new Error(`attach-customer replied state ${String(state)}`);
  return {
    ticketId: reply.number(id, 'ticket id'),
    state,
    position: reply.number(position, 'position'),
    operator: reply.string(operator, 'operator'),
    queueDesk: reply.string(queueDesk, 'queue desk'),
  };
});

export function createCustomerStore(part: StorePartContext) {
  const { redis, keys, prefix, run } = part;
  const { changing } = part.routes;
  /** Tickets by id in one pipelined round trip; expired ones are left out. */
  async function ticketsByIds(ids: readonly string[]): Promise<Ticket[]> {
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hgetall(keys.ticket(id));
    const rows = (await pipe.exec()) ?? [];
    return rows.map(([, h]) => ticketFromHash((h ?? {}) as Record<string, string>)).filter((t): t is Ticket => t !== undefined);
  }

  return {
    /** This JID speaks for that customer (until it goes offline or a day passes). */
    async bind(bareJid: string, fullJid: string, customerKey: string): Promise<void> {
      await changing(() =>
        redis
          .multi()
          .set(keys.binding(bareJid), customerKey, 'EX', BINDING_TTL)
          .set(keys.jidOfCustomer(customerKey), fullJid, 'EX', BINDING_TTL)
          .sadd(keys.jidsOfCustomer(customerKey), fullJid)
          .expire(keys.jidsOfCustomer(customerKey), BINDING_TTL)
          .exec(),
      );
    },
    /** This JID went offline; returns the customer's other JIDs still bound (other tabs). */
    async unbindJid(customerKey: string, fullJid: string): Promise<string[]> {
      return changing(async () => {
        const [, [, others]] = (await redis
          .multi()
          .srem(keys.jidsOfCustomer(customerKey), fullJid)
          .smembers(keys.jidsOfCustomer(customerKey))
          .exec()) as [unknown, [unknown, string[]]];
        return others;
      });
    },
    async bindingOf(bareJid: string): Promise<string | undefined> {
      return (await redis.get(keys.binding(bareJid))) ?? undefined;
    },
    async boundJid(customerKey: string): Promise<string | undefined> {
      return (await redis.get(keys.jidOfCustomer(customerKey))) ?? undefined;
    },
    /** Not gone offline since it bound (boundJid stays for a day; unbindJid removes it from this set). */
    async stillBound(customerKey: string, fullJid: string): Promise<boolean> {
      return (await redis.sismember(keys.jidsOfCustomer(customerKey), fullJid)) === 1;
    },

    /** The customer's new JID takes over its live ticket at this desk; see attach-customer-2.lua. */
    async attach(desk: string, customerKey: string, fullJid: string): Promise<Attached | undefined> {
      return run(attachScript, [keys.customer(desk, customerKey), keys.detached()], [prefix, fullJid]);
    },
    /** The page went away; the ticket waits for a reattach (first detach time wins). */
    async detach(ticketId: number, now: number): Promise<void> {
      await changing(() =>
        redis.multi().zadd(keys.detached(), 'NX', now, String(ticketId)).hsetnx(keys.ticket(ticketId), 'detachedAt', now).exec(),
      );
    },
    async detachedSince(cutoff: number): Promise<number[]> {
      return (await redis.zrangebyscore(keys.detached(), 0, cutoff)).map(Number);
    },
    async forgetDetached(ticketId: number): Promise<void> {
      await changing(() => redis.zrem(keys.detached(), String(ticketId)));
    },

    async saveJoinDetails(ticketId: number, customerKey: string, form: Record<string, string>, pages: readonly PageView[]): Promise<void> {
      const m = redis.multi();
      if (Object.keys(form).length) m.hset(keys.ticketForm(ticketId), form).expire(keys.ticketForm(ticketId), DETAILS_TTL);
      if (pages.length)
        m.rpush(keys.ticketPages(ticketId), ...pages.map((p) => JSON.stringify(p))).expire(keys.ticketPages(ticketId), DETAILS_TTL);
      m.lrem(keys.visits(customerKey), 0, String(ticketId))
        .lpush(keys.visits(customerKey), String(ticketId))
        .ltrim(keys.visits(customerKey), 0, MAX_VISITS - 1)
        .expire(keys.visits(customerKey), VISITS_TTL);
      await m.exec();
    },
    async saveIdentity(ticketId: number, record: IdentityRecord): Promise<void> {
      await redis.set(keys.ticketIdentity(ticketId), JSON.stringify(record), 'EX', DETAILS_TTL);
    },
    async identity(ticketId: number): Promise<IdentityRecord | undefined> {
      const raw = await redis.get(keys.ticketIdentity(ticketId));
      return raw === null ? undefined : (JSON.parse(raw) as IdentityRecord);
    },
    async form(ticketId: number): Promise<Record<string, string>> {
      return redis.hgetall(keys.ticketForm(ticketId));
    },
    async addPage(ticketId: number, page: PageView): Promise<void> {
      await redis
        .multi()
        .rpush(keys.ticketPages(ticketId), JSON.stringify(page))
        .ltrim(keys.ticketPages(ticketId), -50, -1)
        .expire(keys.ticketPages(ticketId), DETAILS_TTL)
        .exec();
    },
    async pages(ticketId: number): Promise<PageView[]> {
      return (await redis.lrange(keys.ticketPages(ticketId), 0, -1)).map((s) => JSON.parse(s) as PageView);
    },
    /** Earlier tickets of this customer, newest first (as far as they are kept). */
    async visits(customerKey: string): Promise<Ticket[]> {
      return ticketsByIds(await redis.lrange(keys.visits(customerKey), 0, -1));
    },

    /**
     * Returns the rating this one replaces, if any (statistics count the difference). `report`: the
     * rating's report fact, given the one it replaces, counted in the same MULTI as the rating is kept.
     */
    async rate(
      ticketId: number,
      rating: Rating,
      now: number,
      report?: (replaces: Rating | undefined) => ReportFactCall,
    ): Promise<Rating | undefined> {
      const [score, comment] = await redis.hmget(keys.ticket(ticketId), 'rating', 'ratingComment');
      const before = score ? { score: Number(score), comment: comment ?? '' } : undefined;
      const fact = report?.(before);
      const m = multiWith(redis, fact ? [fact.script] : []);
      if (fact) m[fact.script.command]?.(...fact.keys, ...fact.args);
      await m.hset(keys.ticket(ticketId), 'rating', rating.score, 'ratingComment', rating.comment, 'ratedAt', now).exec();
      return before;
    },

    async createOffline(p: {
      desk: string;
      customer: string;
      customerKey: string;
      name: string;
      message: string;
      form: Record<string, string>;
      pages: readonly PageView[];
      now: number;
      /** Its report fact (requested and offline), counted in the same MULTI as the ticket is made. */
      report?: (id: number) => ReportFactCall;
    }): Promise<number> {
      const id = await redis.incr(keys.ticketSeq());
      const ticket = keys.ticket(id);
      const fact = p.report?.(id);
      const m = multiWith(redis, fact ? [fact.script] : []);
      if (fact) m[fact.script.command]?.(...fact.keys, ...fact.args);
      m.hset(
        ticket,
        'id',
        id,
        'desk',
        p.desk,
        'customer',
        p.customer,
        STORED_CUSTOMER_KEY,
        p.customerKey,
        'name',
        p.name,
        'state',
        'offline',
        'createdAt',
        p.now,
        'firstWords',
        p.message,
      )
        .expire(ticket, DETAILS_TTL)
        .zadd(keys.deskOffline(p.desk), p.now, String(id))
        .rpush(keys.offlineOf(p.customerKey), String(id))
        .expire(keys.offlineOf(p.customerKey), DETAILS_TTL);
      if (Object.keys(p.form).length) m.hset(keys.ticketForm(id), p.form).expire(keys.ticketForm(id), DETAILS_TTL);
      if (p.pages.length)
        m.rpush(keys.ticketPages(id), ...p.pages.map((pg) => JSON.stringify(pg))).expire(keys.ticketPages(id), DETAILS_TTL);
      await changing(() => m.exec());
      return id;
    },
    /** How many messages this customer left (30 days) and how many wait unanswered at the desk. */
    async offlineCounts(desk: string, customerKey: string): Promise<{ ofCustomer: number; openAtDesk: number }> {
      const [ofCustomer, openAtDesk] = await Promise.all([redis.llen(keys.offlineOf(customerKey)), redis.zcard(keys.deskOffline(desk))]);
      return { ofCustomer, openAtDesk };
    },
    /** Offline tickets of a desk nobody has answered yet, oldest first. */
    async openOffline(desk: string): Promise<Ticket[]> {
      return ticketsByIds(await redis.zrange(keys.deskOffline(desk), 0, -1));
    },
    /**
     * `!pick` of a left message (issue 17): the first operator to pick it holds it; returns who
     * holds it now (this operator, or the one who was first). One field, HSETNX: no race.
     */
    async claimOffline(ticketId: number, operator: string): Promise<string> {
      const res = await changing(() =>
        redis.multi().hsetnx(keys.ticket(ticketId), 'claimedBy', operator).hget(keys.ticket(ticketId), 'claimedBy').exec(),
      );
      return String(res?.[1]?.[1] ?? '');
    },
    /** Who picked each of these left messages ('' for nobody). */
    async offlineClaims(ticketIds: readonly number[]): Promise<string[]> {
      const pipe = redis.pipeline();
      for (const id of ticketIds) pipe.hget(keys.ticket(id), 'claimedBy');
      return ((await pipe.exec()) ?? []).map(([, v]) => String(v ?? ''));
    },
    /** `report`: the reply's report fact, counted in the same MULTI. */
    async addReply(ticketId: number, desk: string, reply: OfflineReply, report?: ReportFactCall): Promise<void> {
      const m = multiWith(redis, report ? [report.script] : []);
      if (report) m[report.script.command]?.(...report.keys, ...report.args);
      m.rpush(keys.ticketReplies(ticketId), JSON.stringify(reply))
        .expire(keys.ticketReplies(ticketId), DETAILS_TTL)
        .hset(keys.ticket(ticketId), 'answeredAt', reply.at)
        .zrem(keys.deskOffline(desk), String(ticketId));
      await changing(() => m.exec());
    },
    /** Every reply to this customer's offline tickets, oldest first. */
    async repliesFor(customerKey: string): Promise<OfflineReply[]> {
      const ids = await redis.lrange(keys.offlineOf(customerKey), 0, -1);
      const pipe = redis.pipeline();
      for (const id of ids) pipe.lrange(keys.ticketReplies(id), 0, -1);
      const rows = (await pipe.exec()) ?? [];
      return rows.flatMap(([, list]) => ((list ?? []) as string[]).map((s) => JSON.parse(s) as OfflineReply)).sort((a, b) => a.at - b.at);
    },

    async ban(customerKey: string, record: BanRecord): Promise<void> {
      await changing(() => redis.hset(keys.blacklist(), customerKey, JSON.stringify(record)));
    },
    async banRecord(customerKey: string): Promise<BanRecord | undefined> {
      const raw = await redis.hget(keys.blacklist(), customerKey);
      return raw === null ? undefined : (JSON.parse(raw) as BanRecord);
    },
    /** Every blacklisting: customer key → record (the console's bans page). */
    async bans(): Promise<{ customerKey: string; record: BanRecord }[]> {
      const all = await redis.hgetall(keys.blacklist());
      return Object.entries(all).map(([customerKey, raw]) => ({ customerKey, record: JSON.parse(raw) as BanRecord }));
    },
    async unban(customerKey: string): Promise<boolean> {
      return (await changing(() => redis.hdel(keys.blacklist(), customerKey))) === 1;
    },
    /** Which of these customers (keys or bare JIDs) are blacklisted. */
    async bannedAmong(customerKeys: readonly string[]): Promise<Set<string>> {
      if (customerKeys.length === 0) return new Set();
      const flags = await redis.hmget(keys.blacklist(), ...customerKeys);
      return new Set(customerKeys.filter((_, i) => flags[i] !== null));
    },

    async addNote(customerKey: string, note: string): Promise<void> {
      await redis.rpush(keys.customerNotes(customerKey), note);
    },
    async notes(customerKey: string): Promise<string[]> {
      return redis.lrange(keys.customerNotes(customerKey), 0, -1);
    },
  };
}
export type CustomerStore = ReturnType<typeof createCustomerStore>;
