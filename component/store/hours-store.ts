/**
 * The live part of a desk's business hours (issue 17): the manual "closed now" switch, kept in Redis
 * so a restart keeps it; and closing time's move of the waiting tickets to offline messages.
 */
import { reply } from '../lib/redis-scripts.js';
import { failureOf, type Outcome } from './script-failures.js';
import { storeScript, type StorePartContext } from './store-scripts.js';
import { ticketFromHash, type Ticket } from './ticket-record.js';

/** An offline ticket and its customer's list are kept as long as a left message (customer-store.ts). */
const OFFLINE_TTL_SECONDS = 30 * 86_400;

const closeWaitingScript = storeScript('close-waiting-1.lua', { changesRoutes: true }, (r): Outcome<{ ticket: Ticket }> => {
  const failure = failureOf(r);
  if (failure) return { ok: false, failure };
  const ticket = ticketFromHash(reply.hash(r, 'close-waiting'));
  if (!ticket) throw new Error('close-waiting replied without a ticket');
  return { ok: true, ticket };
});

export function createHoursStore({ redis, keys, run }: StorePartContext) {
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
    /** The tickets waiting in the desk's queue, first first. */
    async waitingIds(desk: string): Promise<number[]> {
      return (await redis.lrange(keys.queue(desk), 0, -1)).map(Number);
    },
    /**
     * A waiting ticket becomes an offline message (close-waiting-1.lua): `words` are its buffered
     * messages' bodies, `buffered` how many were read (one more since: refused, read again).
     */
    closeWaiting(ticketId: number, desk: string, words: string, buffered: number, now: number): Promise<Outcome<{ ticket: Ticket }>> {
      return run(closeWaitingScript, [keys.ticket(ticketId)], [keys.prefix, now, desk, words, buffered, OFFLINE_TTL_SECONDS]);
    },
  };
}
export type HoursStore = ReturnType<typeof createHoursStore>;
