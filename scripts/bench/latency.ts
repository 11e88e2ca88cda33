/**
 * Phase 2: one-way delivery latency at a fixed offered load (a share of the direct maximum).
 * The body carries the send time; receivers in the same process subtract it on arrival.
 */
import type { Load } from './load.js';
import type { LatencyRow } from './results.js';
import type { BenchStack } from './stack.js';

export async function measureLatency(
  name: string,
  load: Load,
  stack: BenchStack,
  rate: number,
  o: { warmupMs: number; measureMs: number },
): Promise<LatencyRow> {
  const forks0 = await stack.redisForks();
  await stack.redisStalls(true).catch(() => []);
  const r = await load.fixedRate({ rate, warmupMs: o.warmupMs, measureMs: o.measureMs, maxInflightPerFlow: 64 });
  return {
    name,
    offered: rate,
    achieved: r.rate,
    skipped: r.skipped,
    undelivered: r.undelivered,
    count: r.latency.count(),
    p50: r.latency.p(0.5),
    p95: r.latency.p(0.95),
    p99: r.latency.p(0.99),
    worst: r.worst.us,
    worstAtS: r.worst.atUs / 1e6,
    redisForks: (await stack.redisForks()) - forks0,
    // INFO stats latest_fork_usec: how long Redis itself stood still in fork() (BENCHMARKS F10).
    redisForkPauseUs: await stack.redisInfoNumber('stats', 'latest_fork_usec').catch(() => Number.NaN),
    redisStalls: await stack.redisStalls(true).catch(() => undefined),
  };
}
