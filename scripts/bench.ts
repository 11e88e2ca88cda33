/**
 * `npm run bench`: the gateway against its physical baseline, in one run on one machine
 * (issue 6). Starts its own throwaway stack on free loopback ports, runs the phases, prints
 * the results and writes them into BENCHMARKS.md. Reports numbers; never fails on them.
 * Everything it starts is stopped at the end, on error, on SIGINT/SIGTERM and at a hard limit.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../prosody/process.js';
import type { BenchConn } from './bench/conn.js';
import { measureDispatch } from './bench/dispatch.js';
import { floodOperators, runFlood } from './bench/flood.js';
import { evidenceSwitch, evidenceVariants } from './bench/evidence.js';
import { runLatency, waitForIdleComponent } from './bench/latency.js';
import { createLoad, type Load } from './bench/load.js';
import { measureEvidenceCost } from './bench/evidence-cost.js';
import { measureStatusStreams } from './bench/status-streams.js';
import { EXPERIMENT_SETTINGS, parseOptions, type BenchOptions, type ExperimentSettings } from './bench/options.js';
import { closeAll, connectCustomers, loginOperators, loginPlain, waitOperatorsOnline, type Operator } from './bench/people.js';
import { renderReport, writeBenchmarksFile } from './bench/report.js';
import type { Results } from './bench/results.js';
import { runRaces } from './bench/races.js';
import { runScale } from './bench/scale.js';
import { startBenchStack, RELAY_DOMAIN, SCALE_DESK, SUPPORT_DESK, type BenchStack, type OperatorSpec } from './bench/stack.js';
import { pairFlows, relayFlows, runThroughput } from './bench/throughput.js';
import { runTakeover, takeoverOperators } from './bench/takeover.js';
import { describeRow, runInstances } from './bench/instances.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1));

/** Waits (at most 30 s) while Redis rewrites its AOF: the rewrite's child takes a core (F10). */
async function waitForRedisRewrite(stack: BenchStack): Promise<void> {
  const deadline = Date.now() + 30_000;
  const rewriting = () =>
    stack.redisInfoNumber('persistence', 'aof_rewrite_in_progress').then(
      (v) => v === 1,
      () => false,
    );
  if (!(await rewriting())) return;
  log('latency: waiting for Redis to finish an AOF rewrite');
  while (Date.now() < deadline && (await rewriting())) await new Promise((resolve) => setTimeout(resolve, 200));
}

async function runPhases(
  o: BenchOptions,
  stack: BenchStack,
  r: Results,
  conns: BenchConn[],
  artifacts: string,
  stackDir: string,
  started: number,
): Promise<void> {
  const max = { window: o.window, warmupMs: o.warmupMs, measureMs: o.measureMs };
  const need = (phase: Parameters<BenchOptions['skip']['has']>[0]) => !o.skip.has(phase);
  let directLoad: Load | undefined;
  let relayLoad: Load | undefined;
  let gatewayLoad: Load | undefined;
  let operators: Operator[] = [];
  let masked: string[] = [];

  if (need('throughput') || need('latency')) {
    log(`direct: logging in ${o.pairs} account pairs`);
    const a = await loginPlain(
      stack,
      range(o.pairs, (i) => `da${i}`),
    );
    const b = await loginPlain(
      stack,
      range(o.pairs, (i) => `db${i}`),
    );
    conns.push(...a, ...b);
    directLoad = createLoad(pairFlows(a, b), [...a, ...b]);
    relayLoad = createLoad(relayFlows(a, b, RELAY_DOMAIN), [...a, ...b]);
  }

  if (need('throughput') || need('latency') || need('dispatch')) {
    log(`gateway: ${o.pairs} operators (capacity 1) and ${o.pairs} customers`);
    operators = await loginOperators(stack, supportOperators(o.pairs));
    conns.push(...operators.map((op) => op.conn));
    await waitOperatorsOnline(stack, 'support', operators.length);
    const joined = await connectCustomers(stack, operators, SUPPORT_DESK);
    conns.push(...joined.customers);
    masked = joined.masked;
    gatewayLoad = createLoad(
      [
        ...joined.customers.map((c) => ({ conn: c, to: SUPPORT_DESK })),
        ...operators.map((op, j) => ({ conn: op.conn, to: masked[j] as string })),
      ],
      [...joined.customers, ...operators.map((op) => op.conn)],
    );
  }

  if (need('throughput') && directLoad && gatewayLoad) {
    await runThroughput({
      stack,
      direct: directLoad,
      relay: relayLoad,
      gateway: gatewayLoad,
      max,
      rounds: o.rounds,
      evidence: o.evidence,
      dir: stackDir,
      profileMs: need('profile') ? o.profileMs : 0,
      artifacts,
      results: r,
      log,
      restarted: () => waitOperatorsOnline(stack, 'support', operators.length),
    });
  }

  if (need('latency') && r.direct && directLoad && gatewayLoad) {
    r.latency.push(
      ...(await runLatency({
        stack,
        paths: [['direct', directLoad], ...(relayLoad ? [['bare relay', relayLoad] as [string, Load]] : []), ['gateway', gatewayLoad]],
        shares: o.latencyLoads,
        directRate: r.direct.rate,
        rounds: o.latencyRounds,
        warmupMs: o.warmupMs,
        measureMs: o.latencyMs,
        before: async () => {
          await waitForRedisRewrite(stack);
          const waited = await waitForIdleComponent(stack);
          if (waited) {
            log(`latency: ${waited}`);
            r.notes.push(`Latency: ${waited} (excluded: the window starts once it is idle).`);
          }
        },
        log,
      })),
    );
  } else if (need('latency')) {
    r.notes.push('Latency skipped: it needs the direct maximum from the throughput phase.');
  }

  if (need('dispatch')) {
    log(`dispatch: ${o.dispatchSamples} customers wait, operators end chats one at a time`);
    const d = await measureDispatch(stack, operators, masked, SUPPORT_DESK, o.dispatchSamples, 60_000);
    conns.push(...d.waiting);
    r.dispatch = d.result;
  }

  closeAll(conns.splice(0));
  if (need('flood')) {
    r.flood = await runFlood(stack, {
      chats: o.floodChats,
      ratePerFlow: o.floodRate,
      rounds: o.floodRounds,
      warmupMs: o.warmupMs,
      measureMs: o.floodMs,
      log,
    }).catch((err: Error) => {
      r.notes.push(`Flood phase failed: ${err.message}`);
      return undefined;
    });
  }
  if (need('evidence')) {
    log(`evidence: ${o.evidenceRecords} records appended alone, without and with the mirror`);
    r.evidenceCost = await measureEvidenceCost(stack, o.evidenceRecords, stackDir).catch((err: Error) => {
      r.notes.push(`Evidence phase failed: ${err.message}`);
      return undefined;
    });
  }
  if (need('sse')) {
    log(`sse: ${o.sseStreams} idle status streams (GET /api/status/stream), held ${o.sseHoldMs / 1000} s`);
    r.sse = await measureStatusStreams(stack, o.sseStreams, o.sseHoldMs).catch((err: Error) => {
      r.notes.push(`SSE phase failed: ${err.message}`);
      return undefined;
    });
  }
  if (need('races')) {
    r.races = await runRaces(stack.redisUrl, {
      customers: o.raceCustomers,
      operators: o.raceOperators,
      instances: o.raceInstances,
      holdMs: o.raceHoldMs,
      deadlineMs: o.mode === 'quick' ? 15_000 : 60_000,
      log,
    }).catch((err: Error) => {
      r.notes.push(`Races phase failed: ${err.message}`);
      return undefined;
    });
  }

  if (need('instances')) {
    // Its own ejabberd stack (issue 19 §3): one vs two active instances, alternating; the rows go to the notes.
    const rows = await runInstances({
      pairs: o.pairs,
      window: o.window,
      warmupMs: o.warmupMs,
      measureMs: o.measureMs,
      rounds: o.rounds,
      log,
    }).catch((err: Error) => {
      r.notes.push(`Instances phase failed: ${err.message}`);
      return [];
    });
    for (const row of rows) r.notes.push(`Instances (ejabberd, ${o.pairs} chats, closed loop): ${describeRow(row)}`);
  }

  if (need('scale')) {
    // Keep the run within its budget: the phase stops early enough for cleanup and the report.
    const deadlineMs = Math.max(
      5000,
      Math.min(o.scaleDeadlineMs, started + o.budgetMs - Date.now() - (o.mode === 'quick' ? 8000 : 25_000)),
    );
    if (deadlineMs < o.scaleDeadlineMs)
      r.notes.push(`Scale phase shortened to ${Math.round(deadlineMs / 1000)} s to keep the run within its ${o.budgetMs / 1000} s budget.`);
    log(
      `scale: ${o.scaleCustomers} WebSocket customers, ${o.scaleOperators} operators × ${o.scaleCap}, deadline ${Math.round(deadlineMs / 1000)} s`,
    );
    const s = await runScale(stack, scaleOperators(o), {
      customers: o.scaleCustomers,
      batch: o.scaleBatch,
      holdMs: o.holdMs,
      deadlineMs,
      profileMs: o.scaleProfileMs,
      dir: artifacts,
      log,
      pingUser: 'db1', // a direct-path account (numbered from 1), logged out by now
    }).catch((err: Error) => {
      r.notes.push(`Scale phase failed: ${err.message}`);
      return undefined;
    });
    if (s) {
      conns.push(...s.conns);
      r.scale = s.result;
    }
  }

  if (need('takeover')) {
    // Last: it kills the instance the other phases talk to.
    r.takeover = await runTakeover(stack, { operators: TAKEOVER_OPERATORS, waiting: 20, rounds: 3, log, conns }).catch((err: Error) => {
      r.notes.push(`Takeover phase failed: ${err.message}`);
      return undefined;
    });
  }
}

/** The takeover phase's desk: 5 operators × 4 chats. */
const TAKEOVER_OPERATORS = takeoverOperators(5, 4);

async function commitOf(): Promise<string> {
  try {
    const head = (await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })).trim();
    const dirty = (await run('git', ['status', '--porcelain', '--', 'component', 'src', 'config'], { cwd: ROOT })).trim();
    return dirty ? `${head} + uncommitted changes in component/src/config` : head;
  } catch {
    return 'unknown';
  }
}

function scaleOperators(o: BenchOptions): OperatorSpec[] {
  const desk = SCALE_DESK.split('@')[0] as string;
  return range(o.scaleOperators, (i) => `so${i}`).map((user, i) => ({ user, name: `Scale${i + 1}`, desk, maxChats: o.scaleCap }));
}

function supportOperators(n: number): OperatorSpec[] {
  return range(n, (i) => `op${i}`).map((user, i) => ({ user, name: `Op${i + 1}`, desk: 'support', maxChats: 1 }));
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-'));
  const blockKey = [o.mode, ...[...o.experiments].sort()].join('+');
  const artifacts = join(ROOT, '.data', 'bench', blockKey);
  mkdirSync(artifacts, { recursive: true });
  const conns: BenchConn[] = [];
  let stack: BenchStack | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      closeAll(conns.splice(0));
      await stack?.stop();
      if (!o.keep) rmSync(dir, { recursive: true, force: true });
    })());
  const abort = (why: string, code: number) => {
    log(`${why}: stopping everything`);
    void cleanup().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  const hard = setTimeout(() => abort(`hard limit of ${o.hardLimitMs / 1000} s reached`, 2), o.hardLimitMs);

  const model = cpus()[0]?.model.trim() ?? '?';
  const results: Results = {
    meta: {
      mode: o.mode,
      args: process.argv.slice(2).join(' '),
      commit: await commitOf(),
      experiment: [...o.experiments].join(', ') || undefined,
      date: `${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
      cpus: cpus().length,
      cpuModel: model,
      loadAvgBefore: loadavg(),
      node: process.version,
      prosody: '?',
      redis: '?',
      evidenceNote: evidenceVariants(o.evidence).note,
      durationS: 0,
    },
    gateway: [],
    latency: [],
    notes: [],
  };
  let code = 0;
  try {
    log(`${o.mode} run; stack in ${dir}`);
    const operatorSpecs = [
      ...supportOperators(o.pairs),
      ...(o.skip.has('scale') ? [] : scaleOperators(o)),
      ...(o.skip.has('flood') ? [] : floodOperators(o.floodChats, o.floodRounds)),
      ...(o.skip.has('takeover') ? [] : TAKEOVER_OPERATORS),
    ];
    const chosen: ExperimentSettings[] = [...o.experiments].map((name) => EXPERIMENT_SETTINGS[name]);
    stack = await startBenchStack({
      dir,
      operators: operatorSpecs,
      plainUsers: [...range(o.pairs, (i) => `da${i}`), ...range(o.pairs, (i) => `db${i}`)],
      scramIterations: 16,
      componentLogLevel: o.componentLogLevel,
      prosodyOverlay:
        chosen
          .map((x) => x.prosody)
          .filter(Boolean)
          .join('\n') || undefined,
      prosodyComponents:
        chosen
          .map((x) => x.prosodyComponents)
          .filter(Boolean)
          .join('\n') || undefined,
      coalesceWrites: chosen.some((x) => x.coalesceWrites),
      componentTsx: chosen.some((x) => x.componentTsx),
      componentNodeFlags: chosen.flatMap((x) => x.componentFlags ?? []),
      componentRouting: Object.assign({}, ...chosen.map((x) => x.componentRouting ?? {})),
      redisConfig: chosen.flatMap((x) => x.redis ?? []),
      initial: evidenceSwitch(evidenceVariants(o.evidence).variants[0] ?? 'as-is', dir),
    });
    Object.assign(results.meta, await stack.versions());
    for (const name of o.experiments) results.notes.push(`EXPERIMENT ${name}: ${EXPERIMENT_SETTINGS[name].note}`);
    await runPhases(o, stack, results, conns, artifacts, dir, started);
  } catch (err) {
    code = 1;
    results.notes.push(`Run aborted: ${(err as Error).message}`);
    console.error(err);
  } finally {
    clearTimeout(hard);
    await cleanup();
  }
  results.meta.durationS = (Date.now() - started) / 1000;
  results.notes.push(
    `Load average after the run: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(
        ' / ',
      )}. Bench, Prosody, component and Redis share these ${cpus().length} CPUs (and any other work on the machine): absolute numbers move with it; the ratios compare paths measured within the same run.`,
  );
  const report = renderReport(results);
  console.log(`\n${report}`);
  if (o.write && code === 0) {
    writeBenchmarksFile(join(ROOT, 'BENCHMARKS.md'), blockKey, report);
    log('results written to BENCHMARKS.md');
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
