/**
 * The bench's round arithmetic and its machine-readable summary line (scripts/bench/summary.ts,
 * throughput.ts logCost, latency.ts combineLatency): pure functions over results.
 */
import { describe, expect, it } from 'vitest';
import { combineLatency } from '../../scripts/bench/latency.js';
import type { LatencyRow, RateRow, Results } from '../../scripts/bench/results.js';
import { summaryLine } from '../../scripts/bench/summary.js';
import { combineRounds, logCost } from '../../scripts/bench/throughput.js';

const rate = (name: string, rates: number[], cpu: Record<string, number> = {}): RateRow[] =>
  rates.map((r) => ({
    name,
    flows: 2,
    window: 8,
    rate: r,
    delivered: r,
    seconds: 1,
    undelivered: 0,
    cpu: { wall: 1, cpu },
    p50: 1000,
    p99: 2000,
    rounds: [r],
    redisCalls: {},
  }));

const lat = (name: string, p50: number, p99: number, skipped = 0): LatencyRow => ({
  name,
  offered: 100,
  achieved: 100,
  skipped,
  undelivered: 0,
  count: 100,
  p50,
  p95: p99,
  p99,
  worst: p99,
  worstAtS: 0.5,
  redisForks: 0,
});

function results(extra: Partial<Results> = {}): Results {
  return {
    meta: {} as Results['meta'],
    gateway: [],
    latency: [],
    notes: [],
    ...extra,
  };
}

describe('bench rounds', () => {
  it("pairs each gateway round with the bare relay's of the same round", () => {
    const on = combineRounds(
      rate('gateway, evidence log on', [90, 80, 100], { component: 0.03, redis: 0.01 }),
      [200, 200, 200],
      [100, 100, 100],
    );
    expect(on.toRelayRounds).toEqual([0.9, 0.8, 1]);
    expect(on.ratioToRelay).toBe(0.9);
  });

  it("computes the log's cost per round against each variant's own bare relay", () => {
    const on = combineRounds(rate('gateway, evidence log on', [90, 40]), undefined, [100, 50]);
    const off = combineRounds(rate('gateway, evidence log off', [100, 100]), undefined, [100, 80]);
    const cost = logCost(on, off);
    expect(cost?.rounds.map((x) => Number(x.toFixed(3)))).toEqual([0.9, 0.64]);
    expect(cost?.range.map((x) => Number(x.toFixed(3)))).toEqual([0.64, 0.9]);
    expect(logCost(on, undefined)).toBeUndefined();
  });

  it('takes the median of rounds for latency and keeps every round', () => {
    const row = combineLatency([lat('gateway @ 25% of direct max', 500, 3000), lat('x', 400, 9000, 5), lat('x', 600, 2000)]);
    expect(row.p50).toBe(500);
    expect(row.p99).toBe(3000);
    expect(row.skipped).toBe(5);
    expect(row.rounds?.map((r) => r.p99)).toEqual([3000, 9000, 2000]);
  });
});

describe('summary line', () => {
  it('prints the figures of the phases that ran, gateway minus bare relay per round at 25%', () => {
    const on = combineRounds(rate('gateway, evidence log on', [93, 95], { component: 0.00372, redis: 0.00094 }), undefined, [100, 100]);
    const off = combineRounds(rate('gateway, evidence log off', [97, 99]), undefined, [100, 100]);
    const g = combineLatency([lat('gateway @ 25% of direct max', 1400, 5000), lat('g', 1500, 6000, 3)]);
    const b = combineLatency([lat('bare relay @ 25% of direct max', 1000, 3000), lat('b', 1000, 3500)]);
    const line = summaryLine(
      results({
        gateway: [on, off],
        logCost: logCost(on, off),
        latency: [b, g],
        dispatch: { samples: 1, p50: 1000, p99: 4200, max: 5000, operators: 1, waitingAtStart: 1, ping: { p50: 0, p99: 0, max: 0 } },
      }),
    );
    expect(line).toBe(
      'summary: gateway/bare=0.940 log=0.959 cpu_us=39.6+10.0 p50_added_25=0.45ms p99_added_25=2.25ms sat_25=1/2 dispatch_p99=4.20ms',
    );
  });

  it('names the RSS figure by the customers the scale phase reached, not its target', () => {
    const scale = { target: 19_000, joined: 5_151, peak: { componentRss: 221 * 1048576 } } as NonNullable<Results['scale']>;
    expect(summaryLine(results({ scale }))).toBe('summary: rss_5k=221MB');
  });

  it('says n/a when nothing ran', () => {
    expect(summaryLine(results())).toBe('summary: n/a');
  });
});
