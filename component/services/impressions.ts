/**
 * Widget impressions (issue 18): a loader's beacon counts how often the button was shown per state
 * and the panel opened; they are added to the desk's report rollups under the hour they arrived
 * (store/report-store.ts). Counts only: nothing about the visitor is kept.
 */
import type { Impressions } from '../../src/widget-impressions.js';
import type { ServiceContext } from './context.js';

export function createImpressions(ctx: ServiceContext<'reports'>) {
  const { store, directory } = ctx;
  return {
    /** false when the desk is unknown (nothing counted). */
    async record(i: Impressions): Promise<boolean> {
      const desk = directory.desk(i.desk);
      if (!desk) return false;
      await store.reports.addImpressions(i, desk.timeZone ?? 'UTC', ctx.now());
      return true;
    },
  };
}
export type ImpressionsService = ReturnType<typeof createImpressions>;
