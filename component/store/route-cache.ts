/**
 * The routes of active chats (masked JID → chat, customer → chat), kept in the component so a
 * relayed message needs no Redis round trip (BENCHMARKS.md F14). Redis stays the truth:
 * - every store call that may change a route drops all cached routes, before it is sent and
 *   when it returns (desk-store.ts: every call but the reads and bookkeeping it names);
 * - a lookup that was in flight across such a drop is not kept (the generation moved);
 * - other instances on the same Redis announce their changes (route-sync.ts); while that
 *   subscription is not up, nothing is kept, so a missed announcement cannot leave a stale route;
 * - an entry lives at most `ttlMs`, a bound on staleness should all of that still fail.
 * Pure: no I/O; the clock comes from the caller.
 */
export interface RouteCacheOptions {
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}

interface CachedRoute {
  value: unknown;
  generation: number;
  at: number;
}

export function createRouteCache(opts: RouteCacheOptions = {}) {
  const maxEntries = opts.maxEntries ?? 50_000;
  const ttlMs = opts.ttlMs ?? 30_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, CachedRoute>();
  let generation = 0;
  let enabled = false;
  const stats = { hits: 0, misses: 0, drops: 0 };

  function invalidate(): void {
    generation++;
    stats.drops++;
    entries.clear();
  }

  return {
    /** Take it before a lookup and hand it to set(): a change in between discards the result. */
    generation: () => generation,

    get<T>(key: string): T | undefined {
      const hit = enabled ? entries.get(key) : undefined;
      if (!hit || hit.generation !== generation || now() - hit.at > ttlMs) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      return hit.value as T;
    },

    set(key: string, value: unknown, lookedUpAt: number): void {
      if (!enabled || lookedUpAt !== generation) return;
      if (entries.size >= maxEntries) entries.clear(); // a desk's live chats fit many times over
      entries.set(key, { value, generation, at: now() });
    },

    /** A route may have changed (here or in another instance): forget them all. */
    invalidate,

    /** Kept only while other instances' announcements can reach us (route-sync.ts). */
    setEnabled(on: boolean): void {
      enabled = on;
      invalidate();
    },

    isEnabled: () => enabled,
    stats: () => ({ ...stats, size: entries.size }),
  };
}
export type RouteCache = ReturnType<typeof createRouteCache>;
