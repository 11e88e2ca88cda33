/**
 * First response in the reports (docs/reports.md): the time from the assignment to the operator's first
 * answer (typed or canned). Redis decides what is first (first-response-1.lua); the set only saves round trips.
 */
import type { Ticket } from '../store/desk-store.js';
import type { ServiceContext } from './context.js';

const REMEMBERED = 50_000;

export function createFirstResponseCounter(ctx: ServiceContext<'sessions'>) {
  const { store, log } = ctx;
  const responded = new Set<number>();
  return function countFirstResponse(ticket: Ticket): void {
    if (responded.has(ticket.id)) return;
    if (responded.size >= REMEMBERED) responded.clear();
    responded.add(ticket.id);
    // first-response-1.lua stamps it and counts it in the reports in one step.
    void store.sessions
      .markFirstResponse(ticket.id, ctx.now())
      .catch((err: Error) => log.warn({ err: err.message }, 'first response not counted'));
  };
}
export type FirstResponseCounter = ReturnType<typeof createFirstResponseCounter>;
