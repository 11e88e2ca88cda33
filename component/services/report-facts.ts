/**
 * A chat's report facts are counted by the transitions that produce them, in the same step
 * (docs/reports.md "How they are counted"): no separate call after a transition that could be lost
 * and let the rollups drift from the state. The rebuild applies the same rules to the evidence log.
 * Operators' presence time is added right after the presence transition (createPresenceReport).
 */
import type { ReportFact } from '../../src/report-figures.js';
import type { ServiceContext } from './context.js';

/**
 * What the transitions that change a chat's state count with (docs/reports.md): the stamp a new
 * ticket carries (its request's day and hour in the desk's zone), under which the join, assignment
 * and end scripts count its facts themselves, and an offline message's fact, queued in the MULTI
 * that makes the ticket. No separate call that could be lost between the state and its count.
 */
export function createReportStamps(ctx: ServiceContext<'reports'>) {
  const { store, directory } = ctx;
  const zone = (desk: string) => directory.desk(desk)?.timeZone ?? 'UTC';
  return {
    stamp: (desk: string, createdAt: number): string => store.reports.stamp(createdAt, zone(desk)),
    offline: (desk: string, createdAt: number) => (ticket: number) =>
      store.reports.factCall({ kind: 'offline', ticket, desk, createdAt }, zone(desk)),
    /** Any other fact, for the MULTI of the transition it comes from (a rating, a reply). */
    fact: (fact: ReportFact) => store.reports.factCall(fact, zone(fact.desk)),
  };
}

/**
 * An operator's presence changed (operator-presence-3.lua said from which status, since when):
 * the time in the previous status is recorded in the evidence log (the rebuild reads it back) and
 * added to the operator's and their desks' rollups. Never delays or undoes the change.
 */
export function createPresenceReport(ctx: ServiceContext<'reports'>) {
  const { store, directory, log } = ctx;
  const zoneOf = (desk: string) => directory.desk(desk)?.timeZone ?? 'UTC';
  return function presenceChanged(change: {
    operator: string;
    desks: readonly string[];
    previous: string;
    current: string;
    since?: number;
    at: number;
  }): void {
    const { operator, desks, previous, current, since, at } = change;
    void ctx.evidence.record({
      kind: 'presence',
      ticket: null,
      data: { operator, desks: [...desks], previous, status: current, since: since ?? null, at },
    });
    if (since === undefined) return; // its start is unknown (a status from before this was counted)
    store.reports
      .recordPresence({ operator, desks, status: previous, since, at }, zoneOf)
      .catch((err: Error) => log.warn({ err: err.message, operator }, 'presence time not counted'));
  };
}
