/**
 * Phase "instances" (issue 19 §3): the gateway's throughput with one and with two active instances
 * on one ejabberd (`domain_balancing` bare_source, component_number 2, slot adoption). Its own
 * stack (test/support/stack.ts on ejabberd: Redis, ejabberd, the compiled component), beside the
 * bench's Prosody stack. Customers (anonymous c2s) and operators (capacity 1) chat in a closed loop;
 * the rounds alternate one instance (holding both slots: it adopted the second) and two (one slot
 * each), and read each process's CPU from /proc over the measured window: where the cores went.
 */
import { buildComponent } from '../lib/component-build.js';
import { connectTcp } from './c2s.js';
import type { BenchConn } from './conn.js';
import { createLoad } from './load.js';
import { inBatches, isIntro, isJoined, joinMessage } from './people.js';
import { cpuProbe } from './proc-stats.js';

export interface InstancesRow {
  instances: 1 | 2;
  /** The evidence log on (every instance's mirror follows the whole chain) or off. */
  evidence: boolean;
  /** Delivered messages per second over the measured window (customers → operators and back). */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds per process over the window, and the window's wall seconds. */
  cpu: Record<string, number>;
  wall: number;
}

export interface InstancesOptions {
  pairs: number;
  window: number;
  warmupMs: number;
  measureMs: number;
  rounds: number;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(ok: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`instances: timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Both with the evidence log on (as shipped) and off: with it, each instance's mirror also reads the other's records. */
export async function runInstances(o: InstancesOptions): Promise<InstancesRow[]> {
  const rows: InstancesRow[] = [];
  for (const evidence of [true, false]) rows.push(...(await runVariant(o, evidence)));
  return rows;
}

async function runVariant(o: InstancesOptions, evidence: boolean): Promise<InstancesRow[]> {
  // The test stack reads XMPP_SERVER when it is first imported: this phase is about ejabberd's balancing.
  process.env.XMPP_SERVER = 'ejabberd';
  buildComponent();
  const { startStack, SUPPORT } = await import('../../test/support/stack.js');
  const operators = Array.from({ length: o.pairs }, (_, i) => ({ user: `in${i + 1}`, name: `In${i + 1}`, maxChats: 1 }));
  o.log(`instances: ejabberd stack, ${o.pairs} operators (capacity 1), ${o.pairs} customers, evidence log ${evidence ? 'on' : 'off'}`);
  const stack = await startStack({
    operators,
    evidence: { enabled: evidence },
    routing: { balancedDomain: true, componentSlots: 2, leaseMs: 1500, livenessSeconds: 60, positionUpdateMs: 1000 },
  });
  const conns: BenchConn[] = [];
  try {
    const primary = stack.primary();
    const links = async (i: { readyz(): Promise<{ body: { links?: number } }> }) => (await i.readyz()).body.links ?? 0;
    await until(async () => (await links(primary)) === 2, 'the first instance holding both slots');
    const ops = (
      await inBatches(o.pairs, 25, async (i) => {
        const conn = await connectTcp({
          port: stack.c2sPort,
          domain: 'localhost',
          user: operators[i]?.user,
          resource: 'desk',
          roster: true,
        });
        conn.write(`<presence to='${SUPPORT}' type='subscribe'/>`);
        await conn.next((el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.attrs.type === undefined, 'desk presence');
        return conn;
      })
    ).ok;
    conns.push(...ops);
    const intros = ops.map((c) => c.next(isIntro, 'intro', 30_000));
    const customers = (
      await inBatches(o.pairs, 25, async (i) => {
        const c = await connectTcp({ port: stack.c2sPort, domain: 'guest.localhost' });
        c.write(joinMessage(SUPPORT, 'Hello, I need help with my order', `Customer ${i + 1}`));
        await c.next(isJoined(SUPPORT), 'operator joined', 30_000);
        return c;
      })
    ).ok;
    conns.push(...customers);
    if (customers.length !== o.pairs || ops.length !== o.pairs) throw new Error('instances: not every customer or operator connected');
    const masked = (await Promise.all(intros)).map((el) => String(el.attrs.from));
    const load = createLoad(
      [...customers.map((conn) => ({ conn, to: SUPPORT })), ...ops.map((conn, j) => ({ conn, to: masked[j] as string }))],
      [...customers, ...ops],
    );

    const rows: InstancesRow[] = [];
    let second: Awaited<ReturnType<typeof stack.startStandby>> | undefined;
    for (let round = 0; round < o.rounds; round++)
      for (const n of [1, 2] as const) {
        if (n === 2 && !second) {
          second = await stack.startStandby(`second-${round}`);
          const s = second;
          await until(async () => (await links(s)) === 1 && (await links(primary)) === 1, 'the slot handed to the second instance');
        } else if (n === 1 && second) {
          await second.stop();
          second = undefined;
          await until(async () => (await links(primary)) === 2, 'the first instance adopting the freed slot');
        }
        const [c1, c2] = stack.pids().components;
        const pids = { ejabberd: stack.pids().server, redis: stack.pids().redis, instance1: c1, ...(c2 ? { instance2: c2 } : {}) };
        let probe: ReturnType<typeof cpuProbe> | undefined;
        let cpu = { wall: 0, cpu: {} as Record<string, number> };
        const r = await load.closedLoop({
          perFlowWindow: o.window,
          warmupMs: Math.max(3000, o.warmupMs), // a freshly started instance's JIT warms up first
          measureMs: o.measureMs,
          during: {
            start: () => {
              probe = cpuProbe(pids);
            },
            stop: () => {
              cpu = probe?.stop() ?? cpu;
            },
          },
        });
        const row: InstancesRow = {
          instances: n,
          evidence,
          rate: r.rate,
          p50Ms: r.latency.p(0.5) / 1000,
          p99Ms: r.latency.p(0.99) / 1000,
          cpu: cpu.cpu,
          wall: cpu.wall,
        };
        rows.push(row);
        o.log(`instances: round ${round + 1}, ${describeRow(row)}`);
      }
    return rows;
  } finally {
    for (const c of conns) c.close();
    await stack.stop();
  }
}

/** "2 instances: 1234 msgs/s, p50 3.1 ms, …; cores busy: ejabberd 0.71, …; CPU ms per 1000 msgs: ejabberd 160, …" */
export function describeRow(r: InstancesRow): string {
  const perS = Object.entries(r.cpu)
    .map(([k, v]) => `${k} ${(v / r.wall).toFixed(2)}`)
    .join(', ');
  const msgs = r.rate * r.wall;
  const perK = Object.entries(r.cpu)
    .filter(([k]) => k !== 'bench')
    .map(([k, v]) => `${k} ${((v * 1e6) / msgs).toFixed(0)}`)
    .join(', ');
  return `${r.instances} instance${r.instances > 1 ? 's' : ''} (evidence ${r.evidence ? 'on' : 'off'}): ${Math.round(r.rate)} msgs/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms; cores busy: ${perS}; CPU ms per 1000 msgs: ${perK}`;
}
