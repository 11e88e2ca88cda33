/** The live part of a desk's business hours (issue 17): the manual "closed now" switch, kept in Redis so a restart keeps it. */
import type { StorePartContext } from './store-scripts.js';

export function createHoursStore({ redis, keys }: StorePartContext) {
  return {
    /** The desks (of `desks`) switched closed now, in one round trip. */
    async closedNow(desks: readonly string[]): Promise<Set<string>> {
      if (desks.length === 0) return new Set();
      const values = await redis.mget(...desks.map((d) => keys.deskClosedNow(d)));
      return new Set(desks.filter((_, i) => values[i] !== null));
    },
    /** Switches the desk closed (with who and when, for the record) or back to its schedule. */
    async setClosedNow(desk: string, closed: boolean, by: string, now: number): Promise<void> {
      if (closed) await redis.set(keys.deskClosedNow(desk), JSON.stringify({ by, at: now }));
      else await redis.del(keys.deskClosedNow(desk));
    },
  };
}
export type HoursStore = ReturnType<typeof createHoursStore>;
