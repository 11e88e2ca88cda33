/**
 * Hands the report facts of a transition to the rollups (store/report-store.ts), filed in the
 * desk's time zone: those of ratings and replies, right after the transition, by the service that
 * ran it; a failure is logged and never undoes or delays the transition. The facts of a chat's
 * state (requested, offline, served, first response, transfers, reassignments, abandoned, ended)
 * are counted by the transitions themselves (createReportStamps).
 */
import type { ReportFact } from '../../src/report-figures.js';
import type { ServiceContext } from './context.js';

export function createReportFacts(ctx: ServiceContext<'reports'>) {
  const { store, directory, log } = ctx;
  /** Resolves once counted (or the failure logged): callers whose reply shows the figure wait for it. */
  return function report(fact: ReportFact): Promise<void> {
    const zone = directory.desk(fact.desk)?.timeZone ?? 'UTC';
    return store.reports
      .record(fact, zone)
      .then(() => undefined)
      .catch((err: Error) => log.warn({ err: err.message, fact: fact.kind, ticket: fact.ticket }, 'report fact not counted'));
  };
}
export type ReportFacts = ReturnType<typeof createReportFacts>;

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
