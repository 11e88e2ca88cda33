/**
 * Issue 14 item 3 against the real `npm start` script (scripts/stack.ts), on free ports and a
 * temp data dir so it never meets a developer's running stack: kill -9 of the component is
 * survived (the desk serves again within 3 s, the XMPP server and Redis keep their PIDs), and SIGINT
 * (Ctrl-C) still stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../prosody/ports.js';
import { connectCustomer, type TestClient } from '../support/clients.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUPPORT = 'support@support.localhost';
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const parentOf = (pid: number) =>
  Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ')[1],
  );
/** The stack's child processes by what they run (from /proc, not from the stack's own log). */
function childrenOf(ppid: number): { redis?: number; server?: number; component?: number } {
  const found: Record<string, number> = {};
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (parentOf(Number(name)) !== ppid) continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      // The component first: its path may name a server (a checkout called wt-ejabberd).
      const kind = cmd.includes('component/main.js')
        ? 'component'
        : cmd.includes('redis-server')
          ? 'redis'
          : cmd.includes('prosody') || cmd.includes('ejabberd') // XMPP_SERVER picks either
            ? 'server'
            : '';
      if (kind) found[kind] = Number(name);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

async function until(ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, stepMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

describe('npm start supervises the component', () => {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-devstack-'));
  let stack: ChildProcess;
  let out = '';
  let http = 0;
  let portal = 0;
  const clients: TestClient[] = [];
  const healthy = () =>
    fetch(`http://127.0.0.1:${portal}/healthz`).then(
      (r) => r.ok,
      () => false,
    );

  beforeAll(async () => {
    const [redis, c2s, prosodyHttp, component, s2s, httpPort, dist] = (await freePorts(7)) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    http = prosodyHttp;
    portal = httpPort;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MADOGUCHI_DATA_DIR: dir,
      EVIDENCE_DATA_DIR: join(dir, 'evidence'),
      LOG_LEVEL: 'warn',
      PROSODY_C2S_PORT: String(c2s),
      PROSODY_HTTP_PORT: String(prosodyHttp),
      PROSODY_COMPONENT_PORT: String(component),
      PROSODY_S2S_PORT: String(s2s),
      REDIS_PORT: String(redis),
      HTTP_PORT: String(httpPort),
      EJABBERD_DIST_PORT: String(dist), // XMPP_SERVER=ejabberd: never the dev stack's 4370
    };
    for (const k of ['REDIS_URL', 'MADOGUCHI_CONFIG', 'COMPONENT_SERVICE']) delete env[k];
    // What `npm start` runs after installing (scripts/start.sh), minus tsx's extra process.
    stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    stack.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    stack.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => /Madoguchi is up/.test(out) || stack.exitCode !== null, 'the stack banner', 90_000);
    expect(out).toContain('Madoguchi is up');
    await until(healthy, 'the desk healthy');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop().catch(() => undefined)));
    if (stack && stack.exitCode === null) {
      stack.kill('SIGTERM');
      await new Promise((r) => stack.once('exit', r));
    }
    if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a kill -9ed component within 3 s; Prosody and Redis keep running; Ctrl-C stops all', async () => {
    const pids = childrenOf(stack.pid!);
    expect(pids.redis).toBeGreaterThan(0);
    expect(pids.server).toBeGreaterThan(0);
    const first = pids.component;
    expect(first).toBeGreaterThan(0);
    const customer = await connectCustomer({ port: http });
    clients.push(customer);

    const killedAt = Date.now();
    process.kill(first!, 'SIGKILL');
    await until(() => !alive(first!), 'the component gone', 5000, 10);
    let second: number | undefined;
    await until(
      async () => (second = childrenOf(stack.pid!).component) !== undefined && second !== first && (await healthy()),
      'the desk back',
      10_000,
    );
    await customer.say(SUPPORT, 'is anyone there after the crash?');
    const queued = await customer.message(SUPPORT, 'in line');
    const tookMs = Date.now() - killedAt;
    console.log(`desk serving again ${tookMs} ms after kill -9`);
    expect(queued.getChild('status', 'urn:madoguchi:desk:0')?.attrs.state).toBe('waiting');
    expect(tookMs).toBeLessThan(3000);
    expect(out).toMatch(/\[supervise\] component exited \(SIGKILL\); restarting in 0\.5 s/);

    // Nothing else restarted: the same XMPP server (Prosody or ejabberd) and Redis, still children of the stack.
    expect(childrenOf(stack.pid!)).toEqual({ redis: pids.redis, server: pids.server, component: second });
    expect(out.match(/Madoguchi is up/g)).toHaveLength(1);

    // Ctrl-C: everything stops, cleanly.
    stack.kill('SIGINT');
    const code = await new Promise<number | null>((r) => stack.once('exit', r));
    expect(code).toBe(0);
    for (const pid of [pids.redis!, pids.server!, second!]) expect(alive(pid)).toBe(false);
  });
});
