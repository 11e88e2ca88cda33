/**
 * Daily counters per desk and per operator (statistics, not invariants: a plain pipeline is
 * enough). The scopes and the day (UTC, YYYY-MM-DD) are built here only.
 */
import type { StorePartContext } from './store-scripts.js';

const RETENTION_SECONDS = 90 * 24 * 3600;

/** Whose counters: a desk's, an operator's (bare JID), or both at once. */
export interface StatsScope {
  desk?: string;
  operator?: string;
}

/** The UTC day of a time, as the counters are keyed. */
export const statsDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const scopesOf = (scope: StatsScope): string[] => [
  ...(scope.desk ? [`desk:${scope.desk}`] : []),
  ...(scope.operator ? [`op:${scope.operator}`] : []),
];

export function createStatisticsStore({ redis, keys }: StorePartContext) {
  return {
    /** Adds to the counters of the desk and the operator for the day of `at`. */
    async count(scope: StatsScope, at: number, fields: Record<string, number>): Promise<void> {
      const day = statsDay(at);
      const pipe = redis.pipeline();
      for (const s of scopesOf(scope)) {
        for (const [f, v] of Object.entries(fields)) pipe.hincrby(keys.dailyStats(s, day), f, v);
        pipe.expire(keys.dailyStats(s, day), RETENTION_SECONDS);
      }
      await pipe.exec();
    },
    /** One scope's counters (a desk's or an operator's) for the day of `at`. */
    async read(scope: { desk: string } | { operator: string }, at: number): Promise<Record<string, number>> {
      const s = 'desk' in scope ? `desk:${scope.desk}` : `op:${scope.operator}`;
      const h = await redis.hgetall(keys.dailyStats(s, statsDay(at)));
      return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
    },
  };
}
export type StatisticsStore = ReturnType<typeof createStatisticsStore>;
