/**
 * Where the store's writes meet the route cache (route-cache.ts). A write that may change a
 * route (a Lua transition declared `changesRoutes`, or a plain write run through `changing`)
 * drops the cache before it is sent (a lookup in flight across it is not kept) and again when
 * it settles, then announces the change to the other instances (route-sync.ts).
 * Without a cache the guard only runs the write.
 */
import type { RouteCache } from './route-cache.js';

export interface RouteGuard {
  readonly cache: RouteCache | undefined;
  changing<T>(write: () => Promise<T>): Promise<T>;
}

export function createRouteGuard(routes?: { cache: RouteCache; announce: () => void }): RouteGuard {
  if (!routes) return { cache: undefined, changing: (write) => write() };
  return {
    cache: routes.cache,
    async changing(write) {
      routes.cache.invalidate();
      try {
        return await write();
      } finally {
        routes.cache.invalidate();
        routes.announce();
      }
    },
  };
}
