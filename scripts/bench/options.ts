/** `npm run bench -- [--quick] [--flag=value …]`: the two modes and their overrides. */
import type { EvidenceRequest } from './evidence.js';
export type Phase = 'throughput' | 'profile' | 'latency' | 'dispatch' | 'evidence' | 'races' | 'scale';
const PHASES: readonly Phase[] = ['throughput', 'profile', 'latency', 'dispatch', 'evidence', 'races', 'scale'];
/**
 * prosody-nagle-on: Prosody's default (nagle = true) over the project's config, which turns it off
 * since 1dcd238 — the "before" of that change; component-coalesce-writes: see preload-coalesce-writes.ts;
 * prosody-gc-incremental: Prosody's Lua 5.4 collector back in incremental mode (its default) instead of the
 * project config's generational one, to show what that change buys (BENCHMARKS F7);
 * redis-*: the stack's Redis with one setting changed at start (REDIS_EXPERIMENTS), to locate what
 * Redis persistence costs the relay's latency (BENCHMARKS F9).
 */
export const REDIS_EXPERIMENTS = {
  'redis-aof-off': [['appendonly', 'no']],
  'redis-no-fsync-on-rewrite': [['no-appendfsync-on-rewrite', 'yes']],
  'redis-aof-rewrite-100': [['auto-aof-rewrite-percentage', '100']], // Redis's default, before F10
} as const satisfies Record<string, readonly (readonly [string, string])[]>;
/**
 * prosody-read-size-64k: Prosody reads up to 64 KiB per socket read instead of 4 KiB (network_default_read_size);
 * component-semi-space-64: the component's V8 young generation at 64 MB per semi-space (fewer scavenges).
 */
export const EXPERIMENTS = ['prosody-nagle-on', 'component-coalesce-writes', 'prosody-gc-incremental', 'prosody-read-size-64k', 'component-semi-space-64', ...Object.keys(REDIS_EXPERIMENTS) as (keyof typeof REDIS_EXPERIMENTS)[]] as const;
export type Experiment = (typeof EXPERIMENTS)[number];

export interface BenchOptions {
  mode: 'quick' | 'full';
  /** Direct: account pairs; gateway: customer/operator pairs (operators of capacity 1). */
  pairs: number;
  /** Messages in flight per flow in the closed loop. */
  window: number;
  warmupMs: number;
  measureMs: number;
  /** Direct and gateway closed loops alternate this many times (medians reported). */
  rounds: number;
  profileMs: number;
  /** Offered loads for the latency phase, as shares of the measured direct maximum. */
  latencyLoads: number[];
  latencyMs: number;
  dispatchSamples: number;
  scaleCustomers: number;
  scaleOperators: number;
  scaleCap: number;
  scaleBatch: number;
  holdMs: number;
  scaleDeadlineMs: number;
  scaleProfileMs: number;
  /** Races: joins at once, operators (capacities 1–3), dispatch paths sharing Redis, max hold before !end. */
  raceCustomers: number;
  raceOperators: number;
  raceInstances: number;
  raceHoldMs: number;
  /** Phase "evidence": records appended per variant. */
  evidenceRecords: number;
  evidence: EvidenceRequest;
  skip: Set<Phase>;
  write: boolean;
  keep: boolean;
  componentLogLevel: string;
  /** Deviations from the project's stack, to measure a suggested change before it is made. */
  experiments: Set<Experiment>;
  /** Time budget of the whole run: the scale phase ends early enough to keep it. */
  budgetMs: number;
  /** Safety net past the budget: everything is stopped (no report) when this passes. */
  hardLimitMs: number;
}

const QUICK: Omit<BenchOptions, 'skip' | 'write' | 'keep' | 'evidence' | 'componentLogLevel' | 'experiments'> = {
  mode: 'quick', pairs: 16, window: 8, warmupMs: 1000, measureMs: 2500, rounds: 1, profileMs: 2000,
  latencyLoads: [0.5, 0.25], latencyMs: 3000, dispatchSamples: 40,
  scaleCustomers: 500, scaleOperators: 20, scaleCap: 3, scaleBatch: 100, holdMs: 50, scaleDeadlineMs: 15_000, scaleProfileMs: 0,
  raceCustomers: 1000, raceOperators: 20, raceInstances: 2, raceHoldMs: 20, evidenceRecords: 10_000,
  budgetMs: 55_000, hardLimitMs: 90_000,
};

const FULL: typeof QUICK = {
  mode: 'full', pairs: 32, window: 8, warmupMs: 1000, measureMs: 5000, rounds: 3, profileMs: 5000,
  latencyLoads: [0.5, 0.25], latencyMs: 10_000, dispatchSamples: 200,
  scaleCustomers: 10_000, scaleOperators: 200, scaleCap: 3, scaleBatch: 200, holdMs: 100, scaleDeadlineMs: 300_000, scaleProfileMs: 60_000,
  raceCustomers: 10_000, raceOperators: 200, raceInstances: 2, raceHoldMs: 20, evidenceRecords: 60_000,
  budgetMs: 9.5 * 60_000, hardLimitMs: 11 * 60_000,
};

const NUMERIC: Record<string, keyof typeof QUICK> = {
  pairs: 'pairs', window: 'window', rounds: 'rounds', 'warmup-ms': 'warmupMs', 'measure-ms': 'measureMs', 'profile-ms': 'profileMs',
  'latency-ms': 'latencyMs', 'dispatch-samples': 'dispatchSamples', customers: 'scaleCustomers', operators: 'scaleOperators',
  cap: 'scaleCap', batch: 'scaleBatch', 'hold-ms': 'holdMs', 'scale-deadline-ms': 'scaleDeadlineMs', 'scale-profile-ms': 'scaleProfileMs',
  'race-customers': 'raceCustomers', 'race-operators': 'raceOperators', 'race-instances': 'raceInstances', 'race-hold-ms': 'raceHoldMs',
  'evidence-records': 'evidenceRecords',
};

export const USAGE = `npm run bench -- [--quick] [--evidence-log=both|on|off|as-is] [--skip=scale,latency,…]
  [--pairs=N] [--window=N] [--rounds=N] [--measure-ms=N] [--latency-loads=0.5,0.25] [--customers=N] [--operators=N] [--cap=N]
  [--hold-ms=N] [--scale-deadline-ms=N] [--race-customers=N] [--race-operators=N] [--race-instances=N] [--race-hold-ms=N] [--evidence-records=N] [--no-write] [--keep] [--component-log-level=info]
  [--experiment=${EXPERIMENTS.join(',')}]  (measure a suggested change; default: the stack as is)`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const o: BenchOptions = {
    ...(quick ? QUICK : FULL), latencyLoads: [...(quick ? QUICK : FULL).latencyLoads],
    evidence: 'both', skip: new Set(), write: true, keep: false, componentLogLevel: 'info', experiments: new Set(),
  };
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.replace(/^--/, '').split('=', 2);
    if (flag === 'quick' || flag === '') continue;
    if (flag === 'help') { console.log(USAGE); process.exit(0); }
    if (flag === 'no-write') o.write = false;
    else if (flag === 'keep') o.keep = true;
    else if (flag === 'component-log-level') o.componentLogLevel = value;
    else if (flag === 'experiment') {
      for (const x of value.split(',')) {
        if (!(EXPERIMENTS as readonly string[]).includes(x)) throw new Error(`--experiment: unknown "${x}" (known: ${EXPERIMENTS.join(', ')})`);
        o.experiments.add(x as Experiment);
      }
    }
    else if (flag === 'evidence-log' && ['as-is', 'on', 'off', 'both'].includes(value)) o.evidence = value as EvidenceRequest;
    else if (flag === 'latency-loads') o.latencyLoads = value.split(',').map(Number).filter((x) => x > 0 && x <= 1);
    else if (flag === 'skip') {
      for (const p of value.split(',')) {
        if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--skip: unknown phase "${p}" (phases: ${PHASES.join(', ')})`);
        o.skip.add(p as Phase);
      }
    } else if (NUMERIC[flag] && Number.isFinite(Number(value)) && Number(value) >= 0) {
      (o as unknown as Record<string, number>)[NUMERIC[flag] as string] = Math.floor(Number(value));
    } else {
      throw new Error(`unknown or invalid option ${arg}\n${USAGE}`);
    }
  }
  o.scaleCap = Math.min(9, Math.max(1, o.scaleCap));
  o.pairs = Math.max(1, o.pairs);
  o.window = Math.max(1, o.window);
  o.rounds = Math.max(1, o.rounds);
  o.raceInstances = Math.max(1, o.raceInstances);
  o.raceOperators = Math.max(1, o.raceOperators);
  return o;
}
