/**
 * Phase 1: maximum delivered rate (closed loop, bounded window per flow), direct vs gateway,
 * with the CPU of every process over the same window; and a profiled run of the gateway.
 */
import { join } from 'node:path';
import type { BenchConn } from './conn.js';
import { startProfiler } from './cpu-profile.js';
import { connectInspector } from './inspector.js';
import type { Load } from './load.js';
import { cpuProbe } from './proc-stats.js';
import type { RateRow, Results } from './results.js';
import { evidenceSwitch, evidenceVariants, type EvidenceRequest } from './evidence.js';
import type { BenchStack } from './stack.js';
import { median, spread } from './stats.js';

export interface MaxOptions {
  window: number;
  warmupMs: number;
  measureMs: number;
}

export async function measureMax(name: string, load: Load, stack: BenchStack, o: MaxOptions): Promise<RateRow> {
  let probe: ReturnType<typeof cpuProbe> | undefined;
  let cpu: RateRow['cpu'] = { wall: 0, cpu: {} };
  let reset: Promise<unknown> = Promise.resolve();
  let calls: Promise<Record<string, number>> = Promise.resolve({});
  const forks0 = await stack.redisForks();
  const r = await load.closedLoop({
    perFlowWindow: o.window,
    warmupMs: o.warmupMs,
    measureMs: o.measureMs,
    during: {
      start: () => {
        probe = cpuProbe(stack.pids());
        reset = stack.redisCalls(true).catch(() => ({}));
      },
      stop: () => {
        cpu = probe?.stop() ?? cpu;
        calls = reset.then(() => stack.redisCalls()).catch(() => ({}));
      },
    },
  });
  return {
    name,
    flows: load.flows,
    window: o.window,
    rate: r.rate,
    delivered: r.delivered,
    seconds: r.seconds,
    undelivered: r.undelivered,
    cpu,
    p50: r.latency.p(0.5),
    p99: r.latency.p(0.99),
    rounds: [r.rate],
    redisCalls: await calls,
    roundForks: [(await stack.redisForks()) - forks0],
  };
}

/** One row from several rounds: median rate and latencies, summed counts and CPU. */
export function combineRounds(rows: readonly RateRow[], directRounds?: readonly number[], relayRounds?: readonly number[]): RateRow {
  const first = rows[0] as RateRow;
  const cpu: RateRow['cpu'] = { wall: 0, cpu: {} };
  for (const row of rows) {
    cpu.wall += row.cpu.wall;
    for (const [k, v] of Object.entries(row.cpu.cpu)) cpu.cpu[k] = (cpu.cpu[k] ?? 0) + v;
  }
  const rates = rows.map((row) => row.rate);
  const toDirect = directRounds ? rates.map((rate, i) => rate / (directRounds[i] ?? Number.NaN)) : undefined;
  const toRelay = relayRounds?.length ? rates.map((rate, i) => rate / (relayRounds[i] ?? Number.NaN)) : undefined;
  const redisCalls: Record<string, number> = {};
  for (const row of rows) for (const [k, v] of Object.entries(row.redisCalls)) redisCalls[k] = (redisCalls[k] ?? 0) + v;
  return {
    ...first,
    rate: median(rates),
    delivered: rows.reduce((s, row) => s + row.delivered, 0),
    seconds: rows.reduce((s, row) => s + row.seconds, 0),
    undelivered: rows.reduce((s, row) => s + row.undelivered, 0),
    cpu,
    p50: median(rows.map((row) => row.p50)),
    p99: median(rows.map((row) => row.p99)),
    rounds: rates,
    roundForks: rows.flatMap((row) => row.roundForks ?? []),
    redisCalls,
    ratio: toDirect ? median(toDirect) : undefined,
    ratioRange: toDirect && toDirect.length > 1 ? spread(toDirect) : undefined,
    ratioToRelay: toRelay ? median(toRelay) : undefined,
    toRelayRounds: toRelay,
  };
}

/** The same gateway load with V8's sampling profiler attached to the component. */
export async function profileGateway(load: Load, stack: BenchStack, o: MaxOptions, dir: string): Promise<NonNullable<Results['profile']>> {
  const inspector = await connectInspector(stack.inspectorPort);
  try {
    const profiler = await startProfiler(inspector);
    const r = await load.closedLoop({ perFlowWindow: o.window, warmupMs: 0, measureMs: o.measureMs });
    return { ...(await profiler.stop(join(dir, 'component-throughput.cpuprofile'))), rateWhileProfiling: r.rate };
  } finally {
    inspector.close();
  }
}

/** The same pairs, each addressed through the bare relay's domain (`peer@relay.localhost`). */
export function relayFlows(a: readonly BenchConn[], b: readonly BenchConn[], relayDomain: string) {
  return pairFlows(a, b).map((f) => ({ conn: f.conn, to: `${f.to.split('@')[0]}@${relayDomain}` }));
}

/** Flows in both directions between paired connections, addressed to bare JIDs like real clients. */
export function pairFlows(a: readonly BenchConn[], b: readonly BenchConn[]) {
  const bare = (c: BenchConn) => c.jid.split('/')[0] as string;
  return a.flatMap((x, i) => {
    const y = b[i] as BenchConn;
    return [
      { conn: x, to: bare(y) },
      { conn: y, to: bare(x) },
    ];
  });
}

/** Warm-up of every round after a variant's first: the windows refill in a few ms. */
const ROUND_WARMUP_MS = 400;

/**
 * The evidence log's cost: per round, (gateway log on ÷ bare relay) ÷ (gateway log off ÷ bare
 * relay) of the same round number. The variants run in blocks (a restart between them), so each
 * is divided by the bare relay measured beside it before they are compared.
 */
export function logCost(on: RateRow | undefined, off: RateRow | undefined): Results['logCost'] {
  const a = on?.toRelayRounds;
  const b = off?.toRelayRounds;
  if (!a?.length || !b?.length) return undefined;
  const rounds = a.slice(0, b.length).map((x, i) => x / (b[i] as number));
  return { ratio: median(rounds), range: spread(rounds), rounds };
}

const forkNote = (row: RateRow) =>
  (row.roundForks?.[0] ?? 0) > 0 ? ` (Redis forked ${row.roundForks?.[0]}× for an AOF rewrite in it)` : '';

export interface ThroughputPlan {
  stack: BenchStack;
  direct: Load;
  /** The bare relay over the direct path's accounts (the ceiling for any component). */
  relay?: Load;
  gateway: Load;
  max: MaxOptions;
  rounds: number;
  evidence: EvidenceRequest;
  /** The stack's temp dir (evidence files). */
  dir: string;
  profileMs: number;
  artifacts: string;
  results: Results;
  log: (line: string) => void;
  /** After a component restart: resolves when operators are online again. */
  restarted: () => Promise<void>;
}

/**
 * Per evidence-log variant: `rounds` × (direct, bare relay, gateway) closed loops, alternating
 * so drift hits all; the first variant is profiled, and the component is left in the first variant
 * (the configuration the later phases run in), measured last.
 */
export async function runThroughput(p: ThroughputPlan): Promise<void> {
  const { variants, note } = evidenceVariants(p.evidence);
  const r = p.results;
  r.meta.evidenceNote = note;
  const directRows: RateRow[] = [];
  const relayRows: RateRow[] = [];
  let current = variants[0];
  const switchTo = async (variant: NonNullable<typeof current>) => {
    if (variant === current) return;
    p.log(`restarting the component with the evidence log ${variant}`);
    const t0 = Date.now();
    await p.stack.restartComponent(evidenceSwitch(variant, p.dir));
    await p.restarted();
    p.log(`component back with every operator online after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    current = variant;
  };
  // The first variant last: the stack started in it, so one restart (to the others) is all, and
  // the later phases (latency first) meet a component that has run for a whole block, not one
  // restarted seconds before (cold JIT, empty route cache: the quick run's stall, BENCHMARKS F23).
  const order = variants.length > 1 ? [...variants.slice(1), variants[0] as NonNullable<typeof current>] : variants;
  for (const variant of order) {
    await switchTo(variant);
    const gatewayRows: RateRow[] = [];
    const directRates: number[] = [];
    const relayRates: number[] = [];
    const mem0 = await p.stack.redisMemory();
    const received0 = p.gateway.received();
    for (let round = 1; round <= p.rounds; round++) {
      // The first round of a variant warms each path up fully (a restarted component: JIT, route
      // cache); later rounds only refill the windows, so 5 rounds fit a quick run too.
      const max = round === 1 ? p.max : { ...p.max, warmupMs: Math.min(p.max.warmupMs, ROUND_WARMUP_MS) };
      const d = await measureMax('direct (client → Prosody → client)', p.direct, p.stack, max);
      directRows.push(d);
      directRates.push(d.rate);
      const b = p.relay
        ? await measureMax('bare relay (client → Prosody → minimal component → Prosody → client)', p.relay, p.stack, max)
        : undefined;
      if (b) {
        relayRows.push(b);
        relayRates.push(b.rate);
      }
      const g = await measureMax(`gateway, evidence log ${variant}`, p.gateway, p.stack, max);
      gatewayRows.push(g);
      p.log(
        `round ${round}/${p.rounds}: direct ${Math.round(d.rate)} msgs/s${b ? `, bare relay ${Math.round(b.rate)}` : ''}, gateway (evidence log ${variant}) ${Math.round(g.rate)} msgs/s${forkNote(g)}`,
      );
    }
    const row = combineRounds(gatewayRows, directRates, relayRates);
    row.redisBytesPerMessage = ((await p.stack.redisMemory()) - mem0) / Math.max(1, p.gateway.received() - received0);
    r.gateway.push(row);
    if (variant === variants[0] && p.profileMs > 0) {
      p.log(`profiling the component under the same load (evidence log ${variant})`);
      r.profile = { ...(await profileGateway(p.gateway, p.stack, { ...p.max, measureMs: p.profileMs }, p.artifacts)), variant };
    }
  }
  r.gateway.sort((a, b) => variants.findIndex((v) => a.name.endsWith(v)) - variants.findIndex((v) => b.name.endsWith(v)));
  r.logCost = logCost(
    r.gateway.find((g) => g.name.endsWith('log on')),
    r.gateway.find((g) => g.name.endsWith('log off')),
  );
  r.direct = combineRounds(directRows);
  if (relayRows.length)
    r.relay = combineRounds(
      relayRows,
      directRows.map((d) => d.rate),
    );
  await switchTo(variants[0] ?? 'as-is');
}
