/**
 * A customer's route to an active chat, and the origin-ids (XEP-0359) its chat has relayed: each
 * message with an origin-id is relayed once per ticket (customer-message-1.lua), so a widget's
 * resend after a reconnect or a crash is never seen twice, and never lost.
 */
import { type BloomFilter, createBloomFilter } from '../lib/bloom-filter.js';
import { reply } from '../lib/redis-scripts.js';
import type { RouteCache } from './route-cache.js';
import { storeScript, type StorePartContext } from './store-scripts.js';

export type CustomerRoute = {
  state: 'active' | 'missing' | 'needs-payload' | 'buffered' | 'dropped' | 'full' | 'duplicate' | 'in-flight';
  ticketId: number;
  operator: string;
  masked: string;
  monitors: string[];
};

/**
 * A cached customer route carries its ticket's origin-ids while there are at most this many (a
 * chat's worth). Past that, a Bloom filter of them (16 KiB) answers "surely new" for almost every
 * message, and only its rare "maybe" asks Redis: before it, each message of a chat past 500 cost a
 * Redis round trip (BENCHMARKS F27).
 */
export const CACHED_ORIGIN_IDS = 500;

/**
 * A long chat's ids as a filter. One that grew here past CACHED_ORIGIN_IDS is ready at once; one
 * loaded into the cache with more is filled from Redis in the background (SSCAN), and until it is
 * ready Redis checks each message. Ids relayed meanwhile are added as they go, so it misses none.
 */
export interface LongChatIds {
  filter: BloomFilter;
  ready: boolean;
}

/**
 * originIds: the ids the ticket has seen (a Set), a filter of them once there are more than
 * CACHED_ORIGIN_IDS, or undefined (Redis checks each message; e.g. the background fill failed).
 */
export interface CachedCustomerRoute {
  route: CustomerRoute;
  originIds: Set<string> | LongChatIds | undefined;
}

/** Fresh for sure (true), seen for sure (false), or ask Redis (undefined). */
function knownFresh(originIds: CachedCustomerRoute['originIds'], originId: string): boolean | undefined {
  if (originIds instanceof Set) return !originIds.has(originId);
  return originIds?.ready && !originIds.filter.mightHave(originId) ? true : undefined;
}

/** The cache key of a customer's route at a desk. */
export const customerRouteKey = (desk: string, customerKey: string) => `c\n${desk}\n${customerKey}`;

const rememberOriginIdScript = storeScript(
  'remember-origin-id-1.lua',
  { changesRoutes: false },
  (r) => reply.number(r, 'remember-origin-id') === 1,
);

/** The same for the copies one write to the server carried: one call per REMEMBER_BATCH ids. */
const rememberOriginIdsScript = storeScript('remember-origin-ids-16.lua', { changesRoutes: false }, (r) =>
  reply.number(r, 'remember-origin-ids'),
);
const REMEMBER_BATCH = 16;

/** How long an active chat's origin-id counts as being relayed by this process (see claim()). */
const IN_FLIGHT_MS = 10_000;

export function createOriginIdLedger(part: StorePartContext, cache: RouteCache | undefined) {
  const { redis, keys, run } = part;
  /**
   * An active chat's origin-id is written to Redis only once its copy is relayed (relayed()):
   * remembered before, a kill -9 in between turned the resend into a 'duplicate', acked and
   * never relayed (issue 14, lost in the fault suite). Until then this process holds it here,
   * and a resend of it is 'in-flight': neither relayed nor acked (the first copy may still be
   * dropped); the client resends again later and gets its ack then. An entry left by a copy
   * that was dropped (link down) lapses after IN_FLIGHT_MS, and the next resend is relayed.
   */
  const inFlight = new Map<string, number>();
  /**
   * The newest origin-ids this process relayed, for forgetRecent, and as a duplicate check of
   * their own: a lookup that left before a copy's origin-id reached Redis answers "fresh" (and
   * may refill the route cache with a set that lacks it), though the copy is already written.
   * A failover's burst of resends relayed one message twice that way (redis-failover e2e).
   */
  const recent = new Map<string, { ticketId: number; originId: string; at: number }>();
  /**
   * Ids relayed in this tick, remembered together at its end: relayed() is called for every
   * copy a write to the server carried, one after another (whenWritten), so they leave in one
   * Redis call per REMEMBER_BATCH instead of one each, in the same tick as before.
   */
  let toRemember: { key: string; originId: string }[] = [];
  function rememberQueued(): void {
    const all = toRemember;
    toRemember = [];
    // Not awaited: if it fails, the cache goes, so the next message asks Redis again.
    const failed = () => cache?.invalidate();
    for (let i = 0; i < all.length; i += REMEMBER_BATCH) {
      const chunk = all.slice(i, i + REMEMBER_BATCH);
      const last = chunk[chunk.length - 1] as { key: string; originId: string };
      if (chunk.length === 1) {
        run(rememberOriginIdScript, [last.key], [last.originId]).catch(failed);
        continue;
      }
      while (chunk.length < REMEMBER_BATCH) chunk.push({ key: last.key, originId: '' }); // '': skipped by the script
      run(
        rememberOriginIdsScript,
        chunk.map((c) => c.key),
        chunk.map((c) => c.originId),
      ).catch(failed);
    }
  }

  function claim(route: CustomerRoute, originId: string): CustomerRoute {
    if (route.state !== 'active' || originId === '') return route;
    const k = `${route.ticketId}\n${originId}`;
    if (recent.has(k)) return { ...route, state: 'duplicate', monitors: [] };
    const since = inFlight.get(k);
    const now = Date.now();
    if (since !== undefined && now - since < IN_FLIGHT_MS) return { ...route, state: 'in-flight', monitors: [] };
    if (inFlight.size > 10_000) for (const [key, at] of inFlight) if (now - at >= IN_FLIGHT_MS) inFlight.delete(key);
    inFlight.set(k, now);
    return route;
  }

  return {
    claim,

    /** For a cache fill of a chat with more than CACHED_ORIGIN_IDS ids: a filter filled in the background. */
    longChat(ticketId: number): LongChatIds {
      const ids: LongChatIds = { filter: createBloomFilter(), ready: false };
      const key = keys.originIds(ticketId);
      (async () => {
        let cursor = '0';
        do {
          const [next, members] = await redis.sscan(key, cursor, 'COUNT', 1000);
          for (const id of members) ids.filter.add(id);
          cursor = next;
        } while (cursor !== '0');
        ids.ready = true;
      })().catch(() => undefined); // never ready: Redis goes on checking each message
      return ids;
    },

    /**
     * customer-message-1.lua's origin-id rule for a cached active chat (relayed once per ticket,
     * 24 h): checked against the ids the cache holds, or by Redis for a chat too long to hold them.
     */
    async check(hit: CachedCustomerRoute, originId: string): Promise<CustomerRoute> {
      const { route, originIds } = hit;
      const fresh = knownFresh(originIds, originId) ?? (await redis.sismember(keys.originIds(route.ticketId), originId)) === 0;
      return fresh ? claim(route, originId) : { ...route, state: 'duplicate', monitors: [] };
    },

    /**
     * The copy of an active chat's message is written to the operator: now its origin-id goes to
     * Redis (remember-origin-id-1.lua), in the same tick as the relay, so a crash falls before
     * both (the resend is relayed) or after both (the resend is a 'duplicate').
     */
    relayed(desk: string, customerKey: string, ticketId: number, originId: string): void {
      if (originId === '') return;
      inFlight.delete(`${ticketId}\n${originId}`);
      const hit = cache?.get<CachedCustomerRoute>(customerRouteKey(desk, customerKey));
      if (hit?.originIds && hit.route.ticketId === ticketId) {
        if (hit.originIds instanceof Set && hit.originIds.size >= CACHED_ORIGIN_IDS) {
          const filter = createBloomFilter();
          for (const id of hit.originIds) filter.add(id);
          hit.originIds = { filter, ready: true };
        }
        if (hit.originIds instanceof Set) hit.originIds.add(originId);
        else hit.originIds.filter.add(originId);
      }
      if (toRemember.length === 0) queueMicrotask(rememberQueued);
      toRemember.push({ key: keys.originIds(ticketId), originId });
      recent.set(`${ticketId}\n${originId}`, { ticketId, originId, at: Date.now() });
      if (recent.size > 2000) for (const k of [...recent.keys()].slice(0, 1000)) recent.delete(k);
    },

    /**
     * The link to the server dropped: copies written in the last `ms` may have died in a server
     * that was shutting down (a Prosody restart lost them in the fault suite), and their acks with
     * them. Forget those origin-ids, so the client's resends are relayed again; the price is a
     * duplicate at the operator when the copy did arrive but its ack did not. Returns how many.
     */
    async forgetRecent(ms: number): Promise<number> {
      if (toRemember.length > 0) rememberQueued(); // sent before the SREMs below, so they undo it
      const since = Date.now() - ms;
      const gone = [...recent.values()].filter((r) => r.at >= since);
      recent.clear();
      cache?.invalidate();
      if (gone.length === 0) return 0;
      const pipe = redis.pipeline();
      for (const r of gone) pipe.srem(keys.originIds(r.ticketId), r.originId);
      await pipe.exec();
      return gone.length;
    },
  };
}
