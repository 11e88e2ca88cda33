/**
 * The fault suite (issue 14 items 2 and 8): widget-like customers (widget-sender.ts) chat with an
 * operator while the component is killed with SIGKILL and started again (and, when asked, Redis is
 * killed with SIGKILL, Prosody restarted). When the faults are over and every message is acked,
 * each message must have reached the operator exactly once: the report counts the lost
 * (never relayed) and the duplicated (relayed twice). Seeded: the same seed, the same schedule.
 */
import type { Element } from '@xmpp/xml';
import { xml } from '@xmpp/client';
import { isIntro, type TestClient } from './clients.js';
import { SUPPORT, type Stack } from './stack.js';
import { createWidgetSender, NS_DESK, type WidgetSender } from './widget-sender.js';
import { seeded } from './seeded.js';

export type FaultKind = 'component' | 'redis' | 'prosody';

export interface FaultReport {
  faults: number;
  byKind: Record<FaultKind, number>;
  sent: number;
  resends: number;
  lost: string[];
  duplicated: string[];
  /** Still without an ack at the end ("Sending…" forever in a widget that never resends). */
  unacked: string[];
  /** The fault during which each lost or duplicated message was first sent. */
  during: Record<string, string>;
}

export { seeded } from './seeded.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(ok: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

export interface FaultOptions {
  plan: FaultKind[];
  seed: number;
  customers?: number;
  log?(line: string): void;
}

export async function runFaults(stack: Stack, o: FaultOptions): Promise<FaultReport> {
  const rand = seeded(o.seed);
  const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));
  const log = o.log ?? (() => undefined);
  const alice = await stack.operator('alice');
  await alice.subscribeTo(SUPPORT);

  const senders: WidgetSender[] = [];
  const firstRun = new Map<string, string>();
  let phase = 'start';
  for (let c = 0; c < (o.customers ?? 4); c++) {
    const client = await stack.customer();
    const token = `fault-${o.seed}-${c}-`.padEnd(24, 'x');
    await bind(client, token);
    const s = createWidgetSender(client, SUPPORT);
    senders.push(s);
    s.send(`c${c}-m0`);
    firstRun.set(`c${c}-m0`, phase);
    await alice.next(isIntro, `intro of customer ${c}`);
  }

  // Traffic: every customer writes every 20-120 ms until told to stop.
  let sending = true;
  const traffic = senders.map(async (s, c) => {
    for (let n = 1; sending; n++) {
      const id = `c${c}-m${n}`;
      firstRun.set(id, phase);
      s.send(id);
      await sleep(between(20, 120));
    }
  });

  const byKind: Record<FaultKind, number> = { component: 0, redis: 0, prosody: 0 };
  for (const [i, kind] of o.plan.entries()) {
    phase = `${kind} #${i + 1}`;
    await sleep(between(150, 600));
    const downMs = between(0, 400);
    if (kind === 'component') {
      await stack.killComponent();
      await sleep(downMs);
      await stack.startComponent();
    } else if (kind === 'redis') {
      const start = await stack.killRedis();
      await sleep(downMs);
      await start();
      await until(async () => (await stack.health().catch(() => ({ redis: false }))).redis, 'redis back', 20_000);
    } else {
      for (const s of senders) s.pause();
      await stack.restartProsody();
      await until(async () => (await stack.health().catch(() => ({ xmpp: false }))).xmpp, 'component relinked', 20_000);
      // Clients reconnect by themselves with new JIDs: rebind as the widget does, and Alice says she is there.
      await until(() => senders.every((s) => s.client.online()) && alice.online(), 'clients reconnected', 20_000);
      await alice.send(xml('presence'));
      for (const [c, s] of senders.entries()) {
        await bind(s.client, `fault-${o.seed}-${c}-`.padEnd(24, 'x'));
        s.resume();
      }
    }
    byKind[kind] += 1;
    log(`fault ${i + 1}/${o.plan.length}: ${kind} (down ${downMs} ms)`);
  }
  phase = 'after';
  await sleep(500);
  sending = false;
  await Promise.all(traffic);
  // Every message acked (a widget without the ack timeout waits forever: those count as lost below).
  await until(() => senders.every((s) => s.unacked().length === 0), 'every message acked', 30_000).catch(() => undefined);
  await sleep(1000); // a relay written just before its ack has long arrived by now

  const counts = new Map<string, number>();
  for (const el of alice.inbox as Element[]) {
    const body = el.name === 'message' && el.attrs.type !== 'error' ? el.getChildText('body') : null;
    if (body && /^c\d+-m\d+$/.test(body)) counts.set(body, (counts.get(body) ?? 0) + 1);
  }
  for (const el of alice.inbox as Element[]) {
    const body = el.name === 'message' ? el.getChildText('body') : null;
    if (body && (counts.get(body) ?? 0) > 1) log(`duplicate at the operator: ${el.toString()}`);
  }
  const sent = senders.flatMap((s) => s.sentIds());
  const lost = sent.filter((id) => !counts.has(id));
  const unacked = senders.flatMap((s) => s.unacked());
  const duplicated = sent.filter((id) => (counts.get(id) ?? 0) > 1);
  for (const s of senders) s.stop();
  const during = Object.fromEntries([...lost, ...duplicated].map((id) => [id, firstRun.get(id) ?? '?']));
  return {
    faults: o.plan.length,
    byKind,
    sent: sent.length,
    resends: senders.reduce((n, s) => n + s.resends(), 0),
    lost,
    duplicated,
    unacked,
    during,
  };

  async function bind(client: TestClient, token: string): Promise<void> {
    const res = await client.iq(SUPPORT, 'set', xml('session', { xmlns: NS_DESK, token }));
    if (res.attrs.type !== 'result') throw new Error(`session refused: ${res.toString()}`);
    await client.send(xml('presence', { to: SUPPORT }));
  }
}

/** "faults injected: N, lost: L, duplicated: D" and the details of any loss. */
export function describeReport(r: FaultReport): string {
  const kinds = Object.entries(r.byKind)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const lines = [
    `faults injected: ${r.faults}, lost: ${r.lost.length}, duplicated: ${r.duplicated.length}`,
    `  (${kinds}; ${r.sent} messages sent, ${r.resends} resends, ${r.unacked.length} never acked)`,
  ];
  for (const id of [...r.lost, ...r.duplicated])
    lines.push(`  ${r.lost.includes(id) ? 'lost' : 'duplicated'}: ${id} (first sent during ${r.during[id]})`);
  return lines.join('\n');
}
