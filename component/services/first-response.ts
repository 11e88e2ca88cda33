/**
 * "Average first response" in !stats: the time from the assignment to the operator's first
 * answer (typed or canned). Redis decides what is first (HSETNX); the set only saves round trips.
 */
import type { Ticket } from '../store/desk-store.js';
import type { ServiceContext } from './context.js';

const REMEMBERED = 50_000;

export function createFirstResponseCounter(ctx: ServiceContext<'sessions' | 'statistics'>) {
  const { store, log } = ctx;
  const responded = new Set<number>();
  return function countFirstResponse(ticket: Ticket): void {
    if (responded.has(ticket.id)) return;
    if (responded.size >= REMEMBERED) responded.clear();
    responded.add(ticket.id);
    const now = ctx.now();
    void store.sessions
      .markFirstResponse(ticket.id, now)
      .then(async (first) => {
        if (!first) return;
        await store.statistics.count(ticket, ticket.assignedAt, { firstResponseMs: now - ticket.assignedAt, responded: 1 });
      })
      .catch((err: Error) => log.warn({ err: err.message }, 'first response not counted'));
  };
}
export type FirstResponseCounter = ReturnType<typeof createFirstResponseCounter>;
