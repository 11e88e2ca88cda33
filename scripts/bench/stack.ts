/**
 * The bench's throwaway stack on free loopback ports: redis-server, Prosody with the project's
 * config (no mod_limits) and pre-registered accounts, and the component as one node process
 * (with an inspector port on loopback, so the bench can profile a chosen window).
 */
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { Redis } from 'ioredis';
import type { Prosody } from '../../prosody/launcher.js';
import { buildComponent, componentArgs } from '../lib/component-build.js';
import { freePorts } from '../../prosody/ports.js';
import { run, startProcess } from '../../prosody/process.js';
import { startRedisServer, type RedisServer } from '../lib/redis-server.js';
import { writeAccounts } from './accounts.js';
import { LATENCY_THRESHOLD_MS } from './results.js';
import { startBenchProsody } from './prosody.js';
import { evidenceConfig, type EvidenceSwitch } from './evidence.js';
import { PRIVATE_KEY_FILE } from '../../component/evidence/key-pair.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DOMAIN = 'support.localhost';
export const OPERATOR_DOMAIN = 'localhost';
export const GUEST_DOMAIN = 'guest.localhost';
export const SUPPORT_DESK = `support@${DOMAIN}`;
export const SCALE_DESK = `scale@${DOMAIN}`;
export const FLOOD_DESK = `flood@${DOMAIN}`;
export const TAKEOVER_DESK = `takeover@${DOMAIN}`;
/**
 * The closed loops drive each customer and operator far faster than a person writes: the bench's
 * component runs with the rate limits and the backlog bound raised out of reach (the checks still
 * run); the flood phase restarts it with the shipped limits (config/schema.ts).
 */
const UNLIMITED = { perSecond: 1e9, burst: 1e9 };
export const BENCH_LIMITS = { customerRate: UNLIMITED, operatorRate: UNLIMITED, senderBacklog: 1e9 };
/** The bare relay's component domain (scripts/bench/bare-relay.ts): the ceiling for any component. */
export const RELAY_DOMAIN = 'relay.localhost';

export interface OperatorSpec {
  user: string;
  name: string;
  desk: string;
  maxChats: number;
}

export interface BenchStackOptions {
  dir: string;
  operators: OperatorSpec[];
  /** Plain accounts for the direct (client-to-client) baseline. */
  plainUsers: string[];
  scramIterations: number;
  componentLogLevel: string;
  /** Experiment: Lua lines set globally after the project's config (default: the config as is). */
  prosodyOverlay?: string;
  /** Experiment: Lua lines in the section of each external component (the gateway's and the bare relay's). */
  prosodyComponents?: string;
  /** Experiment: load preload-coalesce-writes.ts into the component. */
  coalesceWrites: boolean;
  /** Experiment: extra V8/Node flags for the component process (e.g. --max-semi-space-size=64). */
  componentNodeFlags?: readonly string[];
  /** Experiment: routing settings over the generated component config's (e.g. routeCache: false). */
  componentRouting?: Record<string, unknown>;
  /** Experiment: the component's sources through tsx instead of the compiled .build/ (the "before" of F17). */
  componentTsx?: boolean;
  /** Experiment: Redis settings applied with CONFIG SET before anything else connects. */
  redisConfig?: readonly (readonly [string, string])[];
  /** The component's first start (e.g. the evidence-log variant). */
  initial: EvidenceSwitch;
}

export interface DeskStatus {
  desk: string;
  waiting: number;
  operatorsOnline: number;
  freeSlots: number;
  mode: string;
}

export interface BenchStack {
  c2sPort: number;
  httpPort: number;
  redisUrl: string;
  redisPort: number;
  /** Prosody's XEP-0114 port (the component's XMPP socket connects to it). */
  componentPort: number;
  inspectorPort: number;
  /** The component's portal (express: /api/status, /api/status/stream). */
  portalPort: number;
  pids(): { prosody?: number; component?: number; redis?: number; relay?: number };
  redisMemory(): Promise<number>;
  redisInfoNumber(section: string, field: string): Promise<number>;
  /** Forks (AOF rewrites) Redis made so far, NaN if unknown: a rewrite child takes a core from the stack (BENCHMARKS F10). */
  redisForks(): Promise<number>;
  /**
   * Redis's own stalls of at least LATENCY_THRESHOLD_MS since the last reset (LATENCY LATEST: per event,
   * e.g. aof-write-pending-fsync or fork, the longest), slowest first.
   */
  redisStalls(reset?: boolean): Promise<{ event: string; maxMs: number }[]>;
  /** Redis calls per command since the last reset (INFO commandstats), e.g. { get: 120, evalsha: 60 }. */
  redisCalls(reset?: boolean): Promise<Record<string, number>>;
  status(): Promise<DeskStatus[]>;
  /** (Re)starts the component with this evidence-log variant (issue 5 hook). */
  restartComponent(variant?: EvidenceSwitch): Promise<void>;
  /** Restarts the component with the current variant and these config `limits` (the flood phase: `{}`, the shipped ones). */
  restartWithLimits(limits: Record<string, unknown>): Promise<void>;
  versions(): Promise<{ prosody: string; redis: string }>;
  /** The instance the stack started (kill -9 it to hand the domain to a standby). */
  primary(): BenchInstance;
  /** Another instance with the same config and Redis (hot standby, issue 19): its own portal port and evidence mirror. */
  startInstance(name: string): Promise<BenchInstance>;
  logPath: string;
  stop(): Promise<void>;
}

export interface BenchInstance {
  portalUrl: string;
  /** GET /readyz: its status and whether it stands by (refused with `conflict`). */
  readyz(): Promise<{ status: number; standby: boolean }>;
  kill(): Promise<void>;
}

export async function startBenchStack(o: BenchStackOptions): Promise<BenchStack> {
  mkdirSync(o.dir, { recursive: true });
  buildComponent();
  const [redisPort, c2s, http, component, s2s, portal, inspector] = (await freePorts(7)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const secret = `bench-${Math.random().toString(36).slice(2)}`;
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stoppers.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const redis: RedisServer = await startRedisServer({ port: redisPort, dataDir: join(o.dir, 'redis') });
    stoppers.push(() => redis.stop());
    const redisClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redisClient.connect();
    stoppers.push(async () => {
      redisClient.disconnect();
    });
    await redisClient.config('SET', 'latency-monitor-threshold', String(LATENCY_THRESHOLD_MS));
    const redisInfoNumber = async (section: string, field: string): Promise<number> => {
      const info = await redisClient.info(section);
      return Number(new RegExp(`^${field}:(\\S+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    };
    for (const [name, value] of o.redisConfig ?? []) await redisClient.config('SET', name, value);

    const prosodyDir = join(o.dir, 'prosody');
    const accounts = [...o.operators.map((op) => op.user), ...o.plainUsers].map((user) => ({ user, password: user }));
    writeAccounts(prosodyDir, OPERATOR_DOMAIN, accounts, o.scramIterations);
    const prosody: Prosody & { config: string } = await startBenchProsody(
      {
        dataDir: prosodyDir,
        c2sPort: c2s,
        httpPort: http,
        componentPort: component,
        s2sPort: s2s,
        operatorDomain: OPERATOR_DOMAIN,
        guestDomain: GUEST_DOMAIN,
        componentDomain: DOMAIN,
        uploadDomain: 'upload.localhost',
        componentSecret: secret,
        scramIterations: o.scramIterations,
      },
      [
        o.prosodyOverlay ?? '',
        // Declaring a Component again reopens its section (Prosody's configmanager).
        ...(o.prosodyComponents ? [`Component ${JSON.stringify(DOMAIN)}`, `  ${o.prosodyComponents}`] : []),
        `Component ${JSON.stringify(RELAY_DOMAIN)}\n  component_secret = ${JSON.stringify(secret)}`,
        ...(o.prosodyComponents ? [`  ${o.prosodyComponents}`] : []),
      ].join('\n'),
    );
    stoppers.push(() => prosody.stop());

    const relay = startProcess(
      'bare-relay',
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/bench/bare-relay.ts'), String(component), secret, RELAY_DOMAIN, OPERATOR_DOMAIN],
      { cwd: ROOT },
    );
    stoppers.push(() => relay.stop());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bare relay not ready after 10 s')), 10_000);
      relay.child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('bare relay ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      relay.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`bare relay exited with ${code}`));
      }, reject);
    });

    const baseConfig = {
      component: { service: `xmpp://127.0.0.1:${component}`, domain: DOMAIN, secret },
      redis: { url: redis.url, prefix: 'bench:' },
      http: { host: '127.0.0.1', port: portal },
      // Production defaults (README), so the bench sees the timers a deployment runs.
      routing: {
        defaultMaxChats: 3,
        graceSeconds: 60,
        avgHandleSeconds: 300,
        positionUpdateMs: 1000,
        livenessSeconds: 30,
        tickMs: 1000,
        ...o.componentRouting,
      },
      ...evidenceConfig(o.dir), // key and JSONL mirror in the temp dir, never in the project's .data/
      limits: BENCH_LIMITS,
      desks: [
        { id: 'support', name: 'Support' },
        { id: 'scale', name: 'Scale' },
        { id: 'flood', name: 'Flood' },
        { id: 'takeover', name: 'Takeover' },
      ],
      operators: o.operators.map((op) => ({
        jid: `${op.user}@${OPERATOR_DOMAIN}`,
        name: op.name,
        desks: [op.desk],
        maxChats: op.maxChats,
      })),
    };
    const portalUrl = `http://127.0.0.1:${portal}`;
    const logPath = join(o.dir, 'component.log');
    let child: ChildProcess | undefined;
    let exited: Promise<void> = Promise.resolve();

    const stopComponent = async () => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    };
    stoppers.push(stopComponent);

    let current: EvidenceSwitch = {};
    async function startComponent(variant: EvidenceSwitch = {}): Promise<void> {
      current = variant;
      const configPath = join(o.dir, 'config.yaml');
      writeFileSync(configPath, stringify({ ...baseConfig, ...(variant.config ?? {}) }));
      const fd = openSync(logPath, 'a');
      // The compiled component, as production runs it; through tsx for a TypeScript preload or the "before" of F17.
      const preload = o.coalesceWrites ? ['--import', join(ROOT, 'scripts/bench/preload-coalesce-writes.ts')] : [];
      const entry =
        preload.length > 0 || o.componentTsx ? ['--import', 'tsx', ...preload, join(ROOT, 'component/main.ts')] : componentArgs();
      child = spawn(process.execPath, [`--inspect=127.0.0.1:${inspector}`, ...(o.componentNodeFlags ?? []), ...entry], {
        cwd: ROOT,
        stdio: ['ignore', fd, fd],
        env: {
          ...process.env,
          MADOGUCHI_CONFIG: configPath,
          LOG_LEVEL: o.componentLogLevel,
          GUEST_DOMAIN,
          BENCH_COALESCE_PORT: String(component),
          ...(variant.env ?? {}),
        },
      });
      closeSync(fd);
      const c = child;
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (c.exitCode !== null) throw new Error(`component exited with ${c.exitCode}; see ${logPath}`);
        try {
          const res = await fetch(`${portalUrl}/healthz`);
          const h = (await res.json()) as { xmpp?: boolean };
          if (res.ok && h.xmpp) return;
        } catch {
          /* not listening yet */
        }
        if (Date.now() > deadline) throw new Error(`component not healthy after 20 s; see ${logPath}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await startComponent(o.initial);

    const instance = (portalUrl: string, proc: () => ChildProcess | undefined): BenchInstance => ({
      portalUrl,
      async readyz() {
        const res = await fetch(`${portalUrl}/readyz`);
        return { status: res.status, standby: ((await res.json()) as { standby?: boolean }).standby === true };
      },
      async kill() {
        const c = proc();
        if (!c || c.exitCode !== null || c.signalCode !== null) return;
        const gone = new Promise((r) => c.once('exit', r));
        c.kill('SIGKILL');
        await gone;
      },
    });
    async function startInstance(name: string): Promise<BenchInstance> {
      const [port] = (await freePorts(1)) as [number];
      const fd = openSync(join(o.dir, `component-${name}.log`), 'a');
      const c = spawn(process.execPath, componentArgs(), {
        cwd: ROOT,
        stdio: ['ignore', fd, fd],
        env: {
          ...process.env,
          MADOGUCHI_CONFIG: join(o.dir, 'config.yaml'),
          LOG_LEVEL: o.componentLogLevel,
          GUEST_DOMAIN,
          HTTP_PORT: String(port),
          EVIDENCE_DATA_DIR: join(o.dir, `evidence-${name}`),
          EVIDENCE_KEY_PATH: join(o.dir, 'evidence', PRIVATE_KEY_FILE),
        },
      });
      closeSync(fd);
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      stoppers.push(async () => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        c.kill('SIGTERM');
        const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      });
      const inst = instance(`http://127.0.0.1:${port}`, () => c);
      const deadline = Date.now() + 20_000;
      while (
        !(await fetch(`${inst.portalUrl}/livez`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (c.exitCode !== null || Date.now() > deadline) throw new Error(`instance ${name} did not start; see component-${name}.log`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return inst;
    }

    return {
      c2sPort: c2s,
      httpPort: http,
      redisUrl: redis.url,
      redisPort,
      componentPort: component,
      inspectorPort: inspector,
      portalPort: portal,
      logPath,
      pids: () => ({ prosody: prosody.process.child.pid, component: child?.pid, redis: redis.process.child.pid, relay: relay.child.pid }),
      async redisMemory() {
        const info = await redisClient.info('memory');
        return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
      },
      redisInfoNumber,
      redisForks: () => redisInfoNumber('stats', 'total_forks').catch(() => Number.NaN),
      async redisStalls(reset = false) {
        const rows = (await redisClient.call('LATENCY', 'LATEST')) as [string, number, number, number][];
        if (reset) await redisClient.call('LATENCY', 'RESET');
        return rows.map(([event, , , maxMs]) => ({ event, maxMs: Number(maxMs) })).sort((a, b) => b.maxMs - a.maxMs);
      },
      async redisCalls(reset = false) {
        const info = await redisClient.info('commandstats');
        const calls: Record<string, number> = {};
        for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1] as string] = Number(m[2]);
        if (reset) await redisClient.config('RESETSTAT');
        return calls;
      },
      async status() {
        const res = await fetch(`${portalUrl}/api/status`);
        return ((await res.json()) as { desks: DeskStatus[] }).desks;
      },
      async restartComponent(variant) {
        await stopComponent();
        await startComponent(variant);
      },
      async restartWithLimits(limits) {
        await stopComponent();
        await startComponent({ ...current, config: { ...current.config, limits } });
      },
      async versions() {
        const redisVersion = /redis_version:(\S+)/.exec(await redisClient.info('server'))?.[1] ?? '?';
        let prosodyVersion = '?';
        try {
          const about = await run('prosodyctl', ['--config', prosody.config, 'about'], { env: prosody.env, cwd: prosodyDir });
          prosodyVersion = /Prosody\s+(\S+)/.exec(about)?.[1] ?? '?';
        } catch {
          /* keep '?' */
        }
        return { prosody: prosodyVersion, redis: redisVersion };
      },
      primary: () => instance(portalUrl, () => child),
      startInstance,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
