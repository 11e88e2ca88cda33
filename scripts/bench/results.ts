/** What the phases measure, as plain data for the report. Times in µs unless named otherwise. */
import type { ProfileSummary } from './cpu-profile.js';
import type { TakeoverResult } from './takeover.js';

export interface CpuWindow {
  wall: number;
  cpu: Record<string, number>;
}

export interface RateRow {
  name: string;
  flows: number;
  window: number;
  rate: number;
  delivered: number;
  seconds: number;
  undelivered: number;
  cpu: CpuWindow;
  /** Latency under saturation (closed loop), for context (median over rounds). */
  p50: number;
  p99: number;
  /** The delivered rate of each round (direct and gateway alternate, so drift hits both). */
  rounds: number[];
  /** Redis forks (AOF rewrites) during each round's window, in the order of `rounds`. */
  roundForks?: number[];
  /** Redis commands executed during the measured windows (INFO commandstats; includes commands run inside Lua). */
  redisCalls: Record<string, number>;
  /** Growth of Redis used_memory per delivered message over this variant's rounds (gateway rows). */
  redisBytesPerMessage?: number;
  /** Gateway rows: median over rounds of (this round's rate / the direct rate measured just before). */
  ratio?: number;
  /** Gateway rows: the lowest and highest per-round ratio to direct (how much the machine moved them). */
  ratioRange?: [number, number];
  /** Gateway rows: the same against the bare relay's rate in that round (the ceiling for any component). */
  ratioToRelay?: number;
  /** Gateway rows: each round's rate ÷ the bare relay's in that round (ratioToRelay is their median). */
  toRelayRounds?: number[];
}

/** Redis's latency monitor records its own stalls from this long on (CONFIG latency-monitor-threshold). */
export const LATENCY_THRESHOLD_MS = 2;

export interface LatencyRow {
  name: string;
  offered: number;
  achieved: number;
  skipped: number;
  undelivered: number;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  /** The worst single latency, when it arrived (s into the window), and Redis forks meanwhile. */
  worst: number;
  worstAtS: number;
  redisForks: number;
  /** Redis's pause in its latest fork() (µs), whenever it happened. */
  redisForkPauseUs?: number;
  /** Redis's own stalls in the window (its latency monitor), per event the longest. */
  redisStalls?: { event: string; maxMs: number }[];
  /** Each alternating round's percentiles, sends skipped and Redis forks (latency.ts runLatency); the row holds their medians. */
  rounds?: { p50: number; p99: number; skipped: number; forks: number }[];
  /** CPU of each process over the measured window(s). */
  cpu?: CpuWindow;
}

export interface DispatchResult {
  samples: number;
  p50: number;
  p99: number;
  max: number;
  operators: number;
  waitingAtStart: number;
  /** The floor: an XMPP ping from the same operator to the desk, answered by the component at once (same run, interleaved). */
  ping: { p50: number; p99: number; max: number };
}

export interface ScaleResult {
  target: number;
  operators: number;
  cap: number;
  logins: number;
  loginFailures: number;
  loginErrors: string[];
  loginSeconds: number;
  joined: number;
  welcomed: number;
  connected: number;
  seconds: number;
  timedOut: boolean;
  joinToWelcome: { p50: number; p99: number };
  joinToConnected: { p50: number; p99: number };
  dispatch: { samples: number; p50: number; p99: number };
  /**
   * The floor under the burst: XMPP pings (XEP-0199) from a plain client every 100 ms, answered by
   * Prosody itself, and by the component (its domain) through Prosody. No component can answer
   * faster than Prosody passes its stanzas on.
   */
  floor?: { server: { samples: number; p50: number; p99: number }; component: { samples: number; p50: number; p99: number } };
  peakWaiting: number;
  /** componentHeap: V8 heap in use; xmppBacklog / redisBacklog: bytes queued in the component's socket write buffers. */
  peak: {
    componentRss: number;
    prosodyRss: number;
    redisUsed: number;
    benchRss: number;
    componentHeap: number;
    xmppBacklog: number;
    redisBacklog: number;
  };
  end: { componentRss: number; prosodyRss: number; redisUsed: number };
  /** Redis calls per joined customer over the phase, by command (top ones). */
  redisPerCustomer: Record<string, number>;
  /** All Redis calls per joined customer over the phase (Lua's own calls included, the bench's INFO/CONFIG not). */
  redisCallsPerCustomer?: number;
  positionUpdates: number;
  deskPresencesToOperators: number;
  chatsEnded: number;
  cpu: CpuWindow;
  profile?: ProfileSummary;
}

export interface Meta {
  mode: 'quick' | 'full';
  /** The command-line arguments of the run, as typed. */
  args: string;
  /** Set when the run deviates from the project's stack (e.g. Prosody with Nagle off). */
  experiment?: string;
  date: string;
  /** git HEAD, with a mark when component/, src/ or config/ have uncommitted changes. */
  commit: string;
  cpus: number;
  cpuModel: string;
  loadAvgBefore: number[];
  node: string;
  prosody: string;
  redis: string;
  evidenceNote: string;
  durationS: number;
}

/** Phase "evidence": the log alone, appended from the bench process (scripts/bench/evidence-cost.ts). */
export interface EvidenceCostRow {
  variant: string;
  records: number;
  recordsPerSecond: number;
  /** The appending process's CPU (the component's share of the log). */
  nodeUsPerRecord: number;
  redisUsPerRecord: number;
  /** append() → its record in Redis, p50 / p99 (what a stanza waits only with redis.waitReplicas > 0, before the WAIT). */
  appendP50Ms?: number;
  appendP99Ms?: number;
}

/** Phase "flood": the quiet chats' one-way latency in one window. */
export interface FloodWindow {
  name: string;
  count: number;
  achieved: number;
  undelivered: number;
  p50: number;
  p99: number;
  worst: number;
  cpu: CpuWindow;
}

export interface FloodResult {
  chats: number;
  ratePerFlow: number;
  /** Per round without the flood and during it; then after the last one. */
  windows: FloodWindow[];
  /** Per round: the quiet chats' p99 during the flood / without it. */
  roundRatios: number[];
  /** What the flooder wrote and got back; relayed and notices: what reached its operator. */
  flood: {
    sent: number;
    seconds: number;
    sentRate: number;
    refused: number;
    busy: number;
    otherErrors: number;
    relayed: number;
    notices: number;
  };
  /** The median of roundRatios (goal ≤ 1.2). */
  p99Ratio: number;
}

export interface Results {
  meta: Meta;
  direct?: RateRow;
  /** Bare relay (scripts/bench/bare-relay.ts): client → Prosody → address-rewriting component → Prosody → client. */
  relay?: RateRow;
  gateway: RateRow[];
  /** The evidence log's cost, gateway log on ÷ log off, per round against the bare relay (throughput.ts logCost). */
  logCost?: { ratio: number; range: [number, number]; rounds: number[] };
  profile?: ProfileSummary & { rateWhileProfiling: number; variant?: string };
  latency: LatencyRow[];
  dispatch?: DispatchResult;
  scale?: ScaleResult;
  races?: RaceResult;
  /** Hot standby (issue 19): kill -9 of the active instance, per round (./takeover.ts). */
  takeover?: TakeoverResult;
  evidenceCost?: EvidenceCostRow[];
  flood?: FloodResult;
  /** Phase "sse": idle widget pages on GET /api/status/stream (scripts/bench/status-streams.ts). */
  sse?: SseResult;
  notes: string[];
}

export interface SseResult {
  streams: number;
  connectSeconds: number;
  holdSeconds: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  rssPer1000Bytes: number;
  /** The component's CPU (% of one core) over the hold without streams, then with them. */
  cpuPercentBaseline: number;
  cpuPercentIdle: number;
  cpuPercentPer1000: number;
}

/** Phase 6 (races): two dispatch paths sharing one Redis; what went wrong (targets: 0). */
export interface RaceResult {
  customers: number;
  instances: number;
  operators: number;
  capacities: string;
  holdMs: number;
  joinErrors: number;
  joinSeconds: number;
  seconds: number;
  timedOut: boolean;
  /** Distinct tickets introduced to an operator, and intros sent in all (more = a double assignment). */
  assigned: number;
  introsSent: number;
  perInstance: number[];
  ended: number;
  doubleAssignments: number;
  /** Assignments after which the operator held more than its max (reported by Redis in the same script). */
  overCapacity: number;
  /** Atomic samples of all operators' loads that found one over its max, of `samples`. */
  sampledOver: number;
  samples: number;
  /** Operators whose final load differs from their ticket set or exceeds their max. */
  inconsistent: number;
  waitingAtEnd: number;
}
