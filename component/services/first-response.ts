/**
 * First response in the reports (docs/reports.md): the time from the assignment to the operator's first
 * answer (typed or canned). Redis decides what is first (HSETNX); the set only saves round trips.
 */
import type { Ticket } from '../store/desk-store.js';
import type { ServiceContext } from './context.js';
import { createReportFacts } from './report-facts.js';

const REMEMBERED = 50_000;

export function createFirstResponseCounter(ctx: ServiceContext<'reports' | 'sessions'>) {
  const { store, log } = ctx;
  const responded = new Set<number>();
  const report = createReportFacts(ctx);
  return function countFirstResponse(ticket: Ticket): void {
    if (responded.has(ticket.id)) return;
    if (responded.size >= REMEMBERED) responded.clear();
    responded.add(ticket.id);
    const now = ctx.now();
    void store.sessions
      .markFirstResponse(ticket.id, now)
      .then(async (first) => {
        if (!first) return;
        const f = { ticket: ticket.id, desk: ticket.desk, operator: ticket.operator, createdAt: ticket.createdAt };
        await report({ ...f, kind: 'firstResponse', ms: now - ticket.assignedAt });
      })
      .catch((err: Error) => log.warn({ err: err.message }, 'first response not counted'));
  };
}
export type FirstResponseCounter = ReturnType<typeof createFirstResponseCounter>;
