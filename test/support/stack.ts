/**
 * A throwaway Madoguchi stack for end-to-end tests: real redis-server and Prosody (or ejabberd, XMPP_SERVER) on free
 * loopback ports with temp data dirs, and the component as a child process (so tests can
 * kill -9 it). Operators log in over c2s TCP, customers anonymously over WebSocket.
 */
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { componentArgs } from '../../scripts/lib/component-build.js';
import { freePorts } from '../../prosody/ports.js';
import { startProcess, type Managed } from '../../prosody/process.js';
import { startRedisServer, type RedisServer } from '../../scripts/lib/redis-server.js';
import { startXmppServer, xmppServerKind, type XmppServer } from '../../scripts/lib/xmpp-server.js';
import { PRIVATE_KEY_FILE } from '../../component/evidence/key-pair.js';
import { connectCustomer, connectOperator, type Answers, type TestClient } from './clients.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DOMAIN = 'support.localhost';
export const SUPPORT = `support@${DOMAIN}`;
export const SALES = `sales@${DOMAIN}`;
/** The admin API's bearer token in the test stack (/api/transcripts). */
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
/** The XMPP server the stacks run on (XMPP_SERVER: prosody, the default, or ejabberd). */
export const XMPP_SERVER = xmppServerKind();
/**
 * What the server answers for the component's domain while the component is down. Prosody:
 * wait/remote-server-timeout ("Component unavailable"). ejabberd drops the domain's route and
 * handles it as a remote server: cancel/remote-server-not-found (ejabberd/ejabberd.yml, s2s_access).
 * The widget retries both (web-client/src/desk-link.ts retryableType).
 */
export const COMPONENT_DOWN_ERROR =
  XMPP_SERVER === 'ejabberd'
    ? { type: 'cancel', condition: 'remote-server-not-found' }
    : { type: 'wait', condition: 'remote-server-timeout' };

export interface StackOptions {
  routing?: Record<string, number | boolean>;
  /** Config `limits`; the stack's own raise the rate limits and the backlog bound far above any test's bursts. */
  limits?: Record<string, unknown>;
  operators?: { user: string; name: string; desks?: string[]; maxChats?: number; maxChatsLimit?: number; role?: string }[];
  /** Config `widget` fields (e.g. the pre-chat `form`); the WebSocket URL is the stack's own. */
  widget?: Record<string, unknown>;
  /** More config `http` fields (e.g. `metrics`). */
  http?: Record<string, unknown>;
  /** More config fields per desk id (e.g. `{ support: { hours } }`). */
  deskExtras?: Record<string, Record<string, unknown>>;
  /** Config `mail` (issue 17), e.g. a test SMTP server's port. */
  mail?: Record<string, unknown>;
  /**
   * Config `redis` for the component, given the stack's redis-server (the primary) before the
   * component starts: e.g. a replica and a sentinel beside it (issue 19, test/support/sentinel.ts).
   */
  redis?: (primary: { port: number; dir: string }) => Promise<Record<string, unknown>>;
  /** More XMPP accounts on `localhost` that are no operators yet (password = name), e.g. one the console adds. */
  accounts?: string[];
  /** Config `identity` and `stickers` (issue 20). */
  identity?: Record<string, unknown>;
  /** More config `evidence` fields (e.g. `enabled: false`: the bench's instances phase measures without the log). */
  evidence?: Record<string, unknown>;
  stickers?: Record<string, unknown>;
  /** Config `reports` (issue 18), e.g. `retentionDays`. */
  reports?: Record<string, unknown>;
}

export interface Stack {
  httpUrl: string;
  /** Prosody's WebSocket endpoint for customers (guest.localhost), as the widget uses it. */
  websocketUrl: string;
  /** Prosody's c2s TCP port (the stanza fuzzer's TCP customers). */
  c2sPort: number;
  /** The server's XEP-0114 port and the component's secret (a raw second connection: issue 19, server-differences.test.ts). */
  componentPort: number;
  componentSecret: string;
  redisUrl: string;
  dir: string;
  operator(user: string, resource?: string, show?: string): Promise<TestClient>;
  /** An anonymous WebSocket customer; `answers`: which IQs its client answers (default: pings). */
  customer(answers?: Answers): Promise<TestClient>;
  startComponent(): Promise<void>;
  /** Stops the component cleanly (SIGTERM): it signs its last evidence checkpoint. */
  stopComponent(): Promise<void>;
  killComponent(): Promise<void>;
  /** Stops Redis (clean shutdown: its AOF keeps the state); the returned function starts it again. */
  stopRedis(): Promise<() => Promise<void>>;
  /** kill -9 of redis-server (what its AOF has written survives); the returned function starts it again. */
  killRedis(): Promise<() => Promise<void>>;
  /** Restarts the XMPP server (Prosody or ejabberd), keeping its data. */
  restartProsody(): Promise<void>;
  /**
   * A second component instance with the same config and Redis (hot standby, issue 19): its own
   * portal port and evidence mirror dir (one writer per mirror), the deployment's one evidence key.
   * Resolves once its portal answers /livez.
   */
  startStandby(name?: string): Promise<ComponentInstance>;
  /** The primary instance (the one startComponent starts), e.g. to kill it while a standby waits. */
  primary(): ComponentInstance;
  /** Registers an account on the operators' domain (password = user), e.g. for plain c2s customers. */
  register(user: string): Promise<void>;
  health(): Promise<{ ok: boolean; redis: boolean; xmpp: boolean }>;
  /** The processes' ids (CPU per process: scripts/bench/instances.ts): the XMPP server, Redis, the live component instances. */
  pids(): { server?: number; redis?: number; components: number[] };
  status(): Promise<{ desks: { desk: string; mode: string; show: string; status: string; waiting: number }[] }>;
  stop(): Promise<void>;
}

export interface ComponentInstance {
  httpUrl: string;
  /** GET /readyz: its status code and JSON. */
  readyz(): Promise<{ status: number; body: { ok: boolean; xmpp: boolean; standby?: boolean; links?: number } }>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** SIGSTOP / SIGCONT: a frozen process keeps its sockets (a paused instance, issue 19 §3). */
  pause(): void;
  resume(): void;
}

const UNLIMITED = { perSecond: 1_000_000, burst: 1_000_000 };

const DEFAULT_OPERATORS: NonNullable<StackOptions['operators']> = [
  { user: 'alice', name: 'Alice', desks: ['support', 'sales'], maxChats: 2, role: 'admin' },
  { user: 'bob', name: 'Bob', desks: ['support'], maxChats: 2, role: 'operator' },
];

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-e2e-'));
  const [redisPort, c2s, http, component, s2s, portal] = (await freePorts(6)) as [number, number, number, number, number, number];
  const secret = 'test-secret';
  const startRedis = () => startRedisServer({ port: redisPort, dataDir: join(dir, 'redis') });
  let redis: RedisServer = await startRedis();
  const startServer = () =>
    startXmppServer(XMPP_SERVER, {
      dataDir: join(dir, XMPP_SERVER),
      c2sPort: c2s,
      httpPort: http,
      componentPort: component,
      s2sPort: s2s,
      operatorDomain: 'localhost',
      guestDomain: 'guest.localhost',
      componentDomain: DOMAIN,
      uploadDomain: 'upload.localhost',
      componentSecret: secret,
      scramIterations: 16,
      // ejabberd: several active instances share the domain (issue 19 §3): `componentSlots`, else two with balancedDomain
      components: Number(opts.routing?.componentSlots || (opts.routing?.balancedDomain ? 2 : 1)),
    });
  let server: XmppServer = await startServer().catch(async (err) => {
    await redis.stop();
    throw err;
  });
  const operators = opts.operators ?? DEFAULT_OPERATORS;
  const users = [...operators.map((o) => o.user), 'mallory', ...(opts.accounts ?? [])];
  await Promise.all(users.map((u) => server.register(u, u)));

  const configPath = join(dir, 'config.yaml');
  writeFileSync(
    configPath,
    stringify({
      component: { service: `xmpp://127.0.0.1:${component}`, domain: DOMAIN, secret },
      redis: opts.redis ? { prefix: 'e2e:', ...(await opts.redis({ port: redisPort, dir })) } : { url: redis.url, prefix: 'e2e:' },
      http: { host: '127.0.0.1', port: portal, adminTokens: [ADMIN_TOKEN], ...opts.http },
      // Tests send bursts no person would (hundreds of messages at once): rate limits are tested on their own (flood.test.ts).
      limits: { maxBodyChars: 10000, customerRate: UNLIMITED, operatorRate: UNLIMITED, senderBacklog: 1_000_000, ...opts.limits },
      ...(opts.widget ? { widget: opts.widget } : {}),
      ...(opts.mail ? { mail: opts.mail } : {}),
      ...(opts.identity ? { identity: opts.identity } : {}),
      ...(opts.stickers ? { stickers: opts.stickers } : {}),
      ...(opts.reports ? { reports: opts.reports } : {}),
      routing: {
        defaultMaxChats: 3,
        graceSeconds: 2,
        avgHandleSeconds: 120,
        positionUpdateMs: 100,
        tickMs: 200,
        livenessSeconds: 1,
        ...opts.routing,
      },
      evidence: { dataDir: join(dir, 'evidence'), checkpointMs: 100, witness: { pubsubService: 'pubsub.localhost' }, ...opts.evidence },
      canned: { hello: 'Hello {customer}, this is {operator} from {desk}. How can I help?' },
      desks: [
        { id: 'support', name: 'Support', canned: { restart: 'Please restart {desk} app, {customer}.' }, ...opts.deskExtras?.support },
        { id: 'sales', name: 'Sales', ...opts.deskExtras?.sales },
      ],
      operators: operators.map((o) => ({
        jid: `${o.user}@localhost`,
        name: o.name,
        desks: o.desks ?? ['support'],
        maxChats: o.maxChats,
        maxChatsLimit: o.maxChatsLimit,
        role: o.role ?? 'operator',
      })),
    }),
  );

  const httpUrl = `http://127.0.0.1:${portal}`;
  // Prosody's HTTP service as it names itself (its external URL, http://localhost:<port>/, where its
  // upload slots point): the widget previews files from the WebSocket's origin only (issue 20).
  const websocketUrl = `ws://localhost:${http}/xmpp-websocket`;
  const log = createWriteStream(join(dir, 'component.log'), { flags: 'a' });
  let proc: Managed | undefined;
  const clients: TestClient[] = [];
  const standbys: Managed[] = [];

  // The compiled component, as production runs it (built once per run: test/support/global-setup.ts);
  // one process, so SIGKILL really kills it.
  function spawnComponent(env: Record<string, string>, out = log): Managed {
    const p = startProcess('component', process.execPath, componentArgs(), {
      cwd: ROOT,
      env: {
        ...process.env,
        MADOGUCHI_CONFIG: configPath,
        LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
        WIDGET_WEBSOCKET_URL: websocketUrl,
        ...env,
      },
    });
    p.child.stdout?.pipe(out, { end: false });
    p.child.stderr?.pipe(out, { end: false });
    return p;
  }
  async function until(url: string, what: string, logName: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const res = await fetch(url);
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`component not ${what}; see ${join(dir, logName)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const instance = (url: string, p: () => Managed | undefined): ComponentInstance => ({
    httpUrl: url,
    async readyz() {
      const res = await fetch(`${url}/readyz`);
      return { status: res.status, body: (await res.json()) as { ok: boolean; xmpp: boolean; standby?: boolean; links?: number } };
    },
    async kill() {
      p()?.child.kill('SIGKILL');
      await p()?.exited;
    },
    async stop() {
      await p()?.stop();
    },
    pause: () => void p()?.child.kill('SIGSTOP'),
    resume: () => void p()?.child.kill('SIGCONT'),
  });

  async function startComponent(): Promise<void> {
    proc = spawnComponent({});
    await until(`${httpUrl}/healthz`, 'healthy', 'component.log');
  }
  try {
    await startComponent();
  } catch (err) {
    // The test gets no stack to stop: stop what runs, or the servers outlive the run (seen with ejabberd on loaded cores).
    await proc?.stop().catch(() => undefined);
    await Promise.all([server.stop(), redis.stop()]).catch(() => undefined);
    throw err;
  }

  return {
    httpUrl,
    websocketUrl,
    c2sPort: c2s,
    componentPort: component,
    componentSecret: secret,
    redisUrl: redis.url,
    dir,
    async operator(user, resource = 'desk', show) {
      const c = await connectOperator({ port: c2s, user, resource, show });
      clients.push(c);
      return c;
    },
    async customer(answers) {
      const c = await connectCustomer({ port: http, answers });
      clients.push(c);
      return c;
    },
    startComponent,
    async stopComponent() {
      await proc?.stop();
    },
    async killComponent() {
      proc?.child.kill('SIGKILL');
      await proc?.exited;
    },
    async stopRedis() {
      await redis.stop();
      return async () => {
        redis = await startRedis();
      };
    },
    async killRedis() {
      redis.process.child.kill('SIGKILL');
      await redis.process.exited;
      return async () => {
        redis = await startRedis();
      };
    },
    async restartProsody() {
      await server.stop();
      server = await startServer();
    },
    async startStandby(name = 'standby') {
      const [port] = (await freePorts(1)) as [number];
      const out = createWriteStream(join(dir, `component-${name}.log`), { flags: 'a' });
      const p = spawnComponent(
        {
          HTTP_PORT: String(port),
          EVIDENCE_DATA_DIR: join(dir, `evidence-${name}`),
          EVIDENCE_KEY_PATH: join(dir, 'evidence', PRIVATE_KEY_FILE),
        },
        out,
      );
      p.exited.finally(() => out.end());
      standbys.push(p);
      const url = `http://127.0.0.1:${port}`;
      await until(`${url}/livez`, 'live', `component-${name}.log`);
      return instance(url, () => p);
    },
    primary: () => instance(httpUrl, () => proc),
    async register(user) {
      await server.register(user, user);
    },
    pids: () => ({
      server: server.process.child.pid,
      redis: redis.process.child.pid,
      components: [proc, ...standbys]
        .filter((p) => p && p.child.exitCode === null && p.child.signalCode === null)
        .map((p) => p?.child.pid as number),
    }),
    async health() {
      const res = await fetch(`${httpUrl}/healthz`);
      return res.json() as ReturnType<Stack['health']>;
    },
    async status() {
      return (await fetch(`${httpUrl}/api/status`)).json() as ReturnType<Stack['status']>;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.stop().catch(() => undefined)));
      await Promise.all(standbys.map((p) => p.stop()));
      await proc?.stop();
      await server.stop();
      await redis.stop();
      log.end();
      if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}
