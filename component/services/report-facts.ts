/**
 * Hands the report facts of a transition to the rollups (store/report-store.ts), filed in the
 * desk's time zone. Called right after the transition that changed the state, by the service
 * that ran it; a failure is logged and never undoes or delays the transition.
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
