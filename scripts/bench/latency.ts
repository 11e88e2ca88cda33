/**
 * Phase 2: one-way delivery latency at a fixed offered load (a share of the direct maximum).
 * The body carries the send time; receivers in the same process subtract it on arrival.
 * Per load, the paths alternate in rounds (direct, bare relay, gateway, direct, …), so a stall of
 * the machine lands in one round of one path, not in a path's only window; rows carry the median
 * of the rounds' percentiles and each round's.
 */
import type { Load } from './load.js';
import { cpuProbe, cpuSeconds } from './proc-stats.js';
import type { LatencyRow } from './results.js';
import type { BenchStack } from './stack.js';
import { median } from './stats.js';

export async function measureLatency(
  name: string,
  load: Load,
  stack: BenchStack,
  rate: number,
  o: { warmupMs: number; measureMs: number },
): Promise<LatencyRow> {
  const forks0 = await stack.redisForks();
  await stack.redisStalls(true).catch(() => []);
  let probe: ReturnType<typeof cpuProbe> | undefined;
  let cpu: LatencyRow['cpu'];
  const r = await load.fixedRate({
    rate,
    warmupMs: o.warmupMs,
    measureMs: o.measureMs,
    maxInflightPerFlow: 64,
    during: {
      start: () => {
        probe = cpuProbe(stack.pids());
      },
      stop: () => {
        cpu = probe?.stop();
      },
    },
  });
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
    cpu,
  };
}

/** One row from a path's rounds at one load: medians of the percentiles, sums of the counts, every round kept. */
export function combineLatency(rows: readonly LatencyRow[]): LatencyRow {
  const first = rows[0] as LatencyRow;
  const sum = (f: (l: LatencyRow) => number) => rows.reduce((s, l) => s + f(l), 0);
  const worst = rows.reduce((w, l) => (l.worst > w.worst ? l : w), first);
  const stalls = new Map<string, number>();
  for (const l of rows) for (const st of l.redisStalls ?? []) stalls.set(st.event, Math.max(stalls.get(st.event) ?? 0, st.maxMs));
  return {
    ...first,
    achieved: median(rows.map((l) => l.achieved)),
    skipped: sum((l) => l.skipped),
    undelivered: sum((l) => l.undelivered),
    count: sum((l) => l.count),
    p50: median(rows.map((l) => l.p50)),
    p95: median(rows.map((l) => l.p95)),
    p99: median(rows.map((l) => l.p99)),
    worst: worst.worst,
    worstAtS: worst.worstAtS,
    redisForks: sum((l) => l.redisForks),
    redisStalls: rows.some((l) => l.redisStalls) ? [...stalls].map(([event, maxMs]) => ({ event, maxMs })) : undefined,
    rounds: rows.map((l) => ({ p50: l.p50, p99: l.p99, skipped: l.skipped, forks: l.redisForks })),
    cpu: rows.every((l) => l.cpu)
      ? rows.reduce<NonNullable<LatencyRow['cpu']>>(
          (acc, l) => {
            acc.wall += l.cpu?.wall ?? 0;
            for (const [k, v] of Object.entries(l.cpu?.cpu ?? {})) acc.cpu[k] = (acc.cpu[k] ?? 0) + v;
            return acc;
          },
          { wall: 0, cpu: {} },
        )
      : undefined,
  };
}

export interface LatencyPlan {
  stack: BenchStack;
  paths: [string, Load][];
  /** Offered loads as shares of the direct maximum, and that maximum (msgs/s). */
  shares: number[];
  directRate: number;
  rounds: number;
  warmupMs: number;
  /** Measured time per path and load over all rounds. */
  measureMs: number;
  /** Before each window (e.g. wait for a Redis AOF rewrite to finish). */
  before?: () => Promise<void>;
  log: (line: string) => void;
}

/** Warm-up of every round after a load's first: the paths are warm, the pacing starts afresh. */
const ROUND_WARMUP_MS = 300;

export async function runLatency(p: LatencyPlan): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = [];
  const windowMs = Math.max(1000, Math.round(p.measureMs / p.rounds));
  // Lightest load first: a saturated window leaves work behind (the component's backlog, a
  // Redis AOF rewrite that runs on for seconds) that would land in the next window.
  for (const share of [...p.shares].sort((a, b) => a - b)) {
    const rate = Math.max(100, Math.round(p.directRate * share));
    const label = `${Math.round(share * 100)}% of direct max`;
    p.log(
      `latency: ${p.paths.map(([n]) => n).join(', ')} at ${label} (${rate} msgs/s), ${p.rounds} alternating rounds of ${windowMs / 1000} s`,
    );
    const perPath = new Map<string, LatencyRow[]>(p.paths.map(([n]) => [n, []]));
    for (let round = 1; round <= p.rounds; round++) {
      for (const [name, load] of p.paths) {
        await p.before?.();
        const warmupMs = round === 1 ? p.warmupMs : Math.min(p.warmupMs, ROUND_WARMUP_MS);
        (perPath.get(name) as LatencyRow[]).push(
          await measureLatency(`${name} @ ${label}`, load, p.stack, rate, { warmupMs, measureMs: windowMs }),
        );
      }
    }
    for (const list of perPath.values()) rows.push(combineLatency(list));
  }
  return rows;
}

/** The evidence mirror's lag in records, from the component's /metrics (undefined when absent or unreachable). */
async function mirrorLag(stack: BenchStack): Promise<number | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${stack.portalPort}/metrics`, { signal: AbortSignal.timeout(1000) });
    const m = /^madoguchi_evidence_mirror_lag_records (\d+)/m.exec(await res.text());
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits (at most `maxMs`) until the stack is idle before a window: the component, Prosody and
 * Redis each under 10% of a core over 250 ms, and the component's evidence mirror caught up. A
 * closed loop leaves work behind it (the mirror writing the records it appended, a restarted
 * component's catch-up, a backlog in Prosody); a latency window that starts on top of that
 * measures the backlog, not the path. Returns what it waited for, to be printed.
 */
export async function waitForIdleComponent(stack: BenchStack, maxMs = 20_000): Promise<string | undefined> {
  const t0 = Date.now();
  let why: string | undefined;
  for (;;) {
    const { component, prosody, redis } = stack.pids();
    const pids = { component, Prosody: prosody, Redis: redis };
    const c0 = Object.values(pids).map(cpuSeconds);
    await new Promise((r) => setTimeout(r, 250));
    const busy = Object.entries(pids)
      .map(([name, pid], i) => [name, (cpuSeconds(pid) - (c0[i] as number)) / 0.25] as const)
      .filter(([, share]) => share >= 0.1);
    const lag = await mirrorLag(stack);
    const idle = busy.length === 0 && !(lag !== undefined && lag > 0);
    if (idle || Date.now() - t0 > maxMs) {
      if (!why) return undefined;
      return `${why}; waited ${((Date.now() - t0) / 1000).toFixed(1)} s${idle ? '' : ' (gave up)'}`;
    }
    const parts = busy.map(([name, share]) => `${name} at ${Math.round(share * 100)}% of a core`);
    if (lag) parts.push(`evidence mirror ${lag} records behind`);
    why ??= `${parts.join(', ')} before the window`;
  }
}
