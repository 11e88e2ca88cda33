/**
 * Issue 19 §4: Redis failover under traffic. A primary (the stack's redis-server), a replica and
 * a sentinel on loopback ports; the component in Sentinel mode with WAIT-based durability
 * (`redis.waitReplicas: 1`). Customers chat with an operator (three chatting, two waiting, one
 * joining during the failover), all sending as the widget does (origin-ids, resend until acked);
 * then the replication stream stalls and, 300 ms later, kill -9 of the primary. During the failover the desk answers `wait` errors only; it
 * recovers by itself within the sentinel's timeouts; every acked message reaches the operator
 * exactly once, the chats keep their masked JIDs, the queue keeps its customers, and the
 * evidence log verifies afterwards.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, type TestClient } from '../support/clients.js';
import { MASTER_NAME, startSentinelSetup, type SentinelSetup } from '../support/sentinel.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { createWidgetSender, NS_DESK, type WidgetSender } from '../support/widget-sender.js';

const DOWN_AFTER_MS = 1000;
const FAILOVER_TIMEOUT_MS = 5000;
/** Well below redis.waitTimeoutMs, so the WAITs of that window are still waiting at the kill. */
const STALL_BEFORE_KILL_MS = 300;
/**
 * A WAIT that times out lets its stanzas leave (best effort, durable-sink.ts): if the kill came
 * after it, those acks would announce writes the replica never got. Under a loaded CI machine the
 * 300 ms sleep overshot a 500 ms timeout and two acked messages were lost, so leave a wide margin.
 */
const WAIT_TIMEOUT_MS = 3000;
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(ok: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(25);
  }
}
const ID = /^c\d+-m\d+$/;

describe('Redis failover (Sentinel, WAIT)', () => {
  let stack: Stack;
  let setup: SentinelSetup | undefined;
  beforeAll(async () => {
    stack = await startStack({
      operators: [{ user: 'alice', name: 'Alice', maxChats: 3 }],
      redis: async (primary) => {
        setup = await startSentinelSetup({
          primaryPort: primary.port,
          dir: primary.dir,
          downAfterMs: DOWN_AFTER_MS,
          failoverTimeoutMs: FAILOVER_TIMEOUT_MS,
        });
        return { sentinels: [setup.sentinel], name: MASTER_NAME, waitReplicas: 1, waitTimeoutMs: WAIT_TIMEOUT_MS };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await setup?.stop();
  });

  it('answers wait errors only, recovers by itself, and loses no acked message', async () => {
    const errors: { who: string; stanza: string }[] = [];
    /** Every error stanza a client receives, before the widget sender takes it from the inbox. */
    const watch = (c: TestClient, who: string) => {
      const push = c.inbox.push.bind(c.inbox);
      c.inbox.push = (...els: Element[]) => {
        for (const el of els) if (el.attrs.type === 'error') errors.push({ who, stanza: el.toString() });
        return push(...els);
      };
      return c;
    };
    const alice = watch(await stack.operator('alice'), 'alice');
    await alice.subscribeTo(SUPPORT);
    const senders: WidgetSender[] = [];
    const customer = async (c: number) => {
      const client = watch(await stack.customer(), `c${c}`);
      // The widget binds its token again until the desk takes it (a `wait` error during the failover).
      for (let tries = 0; ; tries++) {
        const res = await client.iq(SUPPORT, 'set', xml('session', { xmlns: NS_DESK, token: `failover-${c}-`.padEnd(24, 'x') }));
        if (res.attrs.type === 'result') break;
        errors.push({ who: `c${c} (session)`, stanza: res.toString() });
        if (tries > 100) throw new Error(`session refused: ${res.toString()}`);
        await sleep(200);
      }
      await client.send(xml('presence', { to: SUPPORT }));
      const s = createWidgetSender(client, SUPPORT);
      senders[c] = s;
      s.send(`c${c}-m0`);
      return s;
    };
    const masked: string[] = [];
    for (const c of [0, 1, 2]) {
      await customer(c);
      masked[c] = String((await alice.next(isIntro, `intro of c${c}`)).attrs.from);
    }
    for (const c of [3, 4]) {
      await customer(c);
      await until(() => senders[c]?.unacked().length === 0, `c${c} queued`, 5000);
    }
    expect((await stack.status()).desks.find((d) => d.desk === 'support')?.waiting).toBe(2);

    let sending = true;
    const traffic = (c: number) =>
      (async () => {
        for (let n = 1; sending; n++) {
          senders[c]?.send(`c${c}-m${n}`);
          await sleep(80 + ((n * 37 + c * 11) % 70));
        }
      })();
    const flows = [0, 1, 2, 3, 4].map(traffic);
    await sleep(1000);

    const primaryBefore = await setup?.primaryPort();
    // Replication lag, as a slow network makes it: for the last moments before the kill the
    // replication stream does not reach the replica, so the newest writes exist on the primary
    // only. Acked state among them would be lost with it; WAIT holds those acks back.
    setup?.stallReplication();
    const stalledAt = Date.now();
    await sleep(STALL_BEFORE_KILL_MS);
    const killedAt = Date.now();
    await stack.killRedis(); // kill -9 of the primary; never started again
    const stalledFor = Date.now() - stalledAt;
    if (stalledFor >= WAIT_TIMEOUT_MS)
      throw new Error(`the kill came ${stalledFor} ms after the stall, past the WAIT timeout: the test did not test what it says`);
    await sleep(100);
    await customer(5); // joins during the failover: `wait` bounces, resent until the desk takes it
    flows.push(traffic(5));
    let promotedMs = 0;
    let recoveredMs = 0;
    await Promise.all([
      until(async () => (await setup?.primaryPort().catch(() => primaryBefore)) !== primaryBefore, 'replica promoted', 15_000).then(() => {
        promotedMs = Date.now() - killedAt;
      }),
      until(async () => (await stack.health().catch(() => ({ redis: false }))).redis, 'component back on Redis', 15_000).then(() => {
        recoveredMs = Date.now() - killedAt;
      }),
    ]);
    const firstNew = `c0-after`;
    senders[0]?.send(firstNew);
    await until(() => !senders[0]?.unacked().includes(firstNew), 'a new message acked', 10_000);
    const servingMs = Date.now() - killedAt;
    console.log(
      `redis failover: replica promoted ${promotedMs} ms after kill -9, component on the new primary after ${recoveredMs} ms, serving (ack) after ${servingMs} ms` +
        ` (down-after ${DOWN_AFTER_MS} ms, failover-timeout ${FAILOVER_TIMEOUT_MS} ms)`,
    );
    expect(await setup?.primaryPort()).toBe(setup?.replicaPort);
    // How soon the sentinel promotes is its own business (on an idle machine ~3.6 s; under load in
    // the full suite 7.4 s was seen, and the `until` above bounds it at 15 s). What the component
    // owns is following the promotion:
    expect(recoveredMs - promotedMs).toBeLessThan(1000); // the component follows the sentinel's promotion at once

    await sleep(1000);
    sending = false;
    await Promise.all(flows);
    await until(() => senders.every((s) => s.unacked().length === 0), 'every message acked', 20_000).catch((err: Error) => {
      process.env.E2E_KEEP = '1';
      throw new Error(`${err.message}: ${JSON.stringify(senders.map((s) => s.unacked()))}; stack kept in ${stack.dir}`);
    });

    // The queue kept its customers: c3, c4 waited before, c5 joined during the failover.
    expect((await stack.status()).desks.find((d) => d.desk === 'support')?.waiting).toBe(3);
    // Alice ends the three chats: the waiting customers come to her with what they wrote meanwhile.
    for (const c of [0, 1, 2]) await alice.say(masked[c] as string, '!end');
    for (const c of [3, 4, 5]) masked[c] = String((await alice.next(isIntro, `intro of c${c}`, 15_000)).attrs.from);
    const sent = senders.flatMap((s) => s.sentIds());
    const counted = () => {
      const n = new Map<string, number>();
      for (const el of alice.inbox) {
        const body = el.name === 'message' && el.attrs.type !== 'error' ? el.getChildText('body') : null;
        if (body && (ID.test(body) || body === firstNew)) n.set(body, (n.get(body) ?? 0) + 1);
      }
      return n;
    };
    await until(() => sent.every((id) => counted().has(id)), 'every message at the operator', 10_000).catch(() => undefined);
    await sleep(300);
    const counts = counted();
    const lost = sent.filter((id) => !counts.has(id));
    const duplicated = sent.filter((id) => (counts.get(id) ?? 0) > 1);
    // Each customer's messages came from one masked JID, before and after the failover.
    const fromOf = new Map<string, Set<string>>();
    for (const el of alice.inbox) {
      const body = el.getChildText('body') ?? '';
      if (el.attrs.type === 'error' || !(ID.test(body) || body === firstNew)) continue;
      const c = body.split('-')[0] as string;
      fromOf.set(c, (fromOf.get(c) ?? new Set()).add(String(el.attrs.from)));
    }
    const resends = senders.reduce((n, s) => n + s.resends(), 0);
    const kinds = [...new Set(errors.map((e) => /<error[^>]*type=["'](\w+)/.exec(e.stanza)?.[1]))];
    console.log(
      `redis failover: ${sent.length} messages acked (${resends} resends), lost ${lost.length}, duplicated ${duplicated.length}; ${errors.length} errors, types: ${kinds.join(', ') || 'none'}`,
    );
    if (lost.length || duplicated.length) {
      process.env.E2E_KEEP = '1';
      console.log(`redis failover: stack kept in ${stack.dir}; killed at ${new Date(killedAt).toISOString()}`);
    }
    expect(errors.filter((e) => !/<error[^>]*type=["']wait["']/.test(e.stanza))).toEqual([]);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    for (const c of [0, 1, 2, 3, 4, 5]) expect([...(fromOf.get(`c${c}`) ?? [])]).toEqual([masked[c]]);

    // The evidence chain verifies after the failover (a clean stop signs the last checkpoint).
    const keyPem = await (await fetch(`${stack.httpUrl}/api/evidence/public-key`)).text();
    await stack.stopComponent();
    const keyFile = join(stack.dir, 'public-key.pem');
    writeFileSync(keyFile, keyPem);
    const verify = (dir: string) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/verify-log.ts', dir, '--public-key', keyFile]).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    const lastLine = (out: string) => out.trim().split('\n').slice(-1)[0];
    const logDir = join(stack.dir, 'evidence', 'log');
    const out = await verify(logDir);
    console.log(`redis failover: verify-log: ${lastLine(out.out)}`);
    expect(out.code, out.out).toBe(0);
    // What WAIT does not protect: evidence records appended to the old primary but not yet on the
    // replica (the appends themselves are not held back, only the stanzas). Redis's chain goes on
    // from the replica's head, and this instance's mirror sets its longer stretch aside
    // (diverged-…), where those records stay, signed and verifiable on their own.
    const seqs = (dir: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
        .map((l) => (JSON.parse(l) as { seq: number }).seq);
    const from = Math.min(...seqs(logDir));
    for (const aside of readdirSync(logDir).filter((f) => f.startsWith('diverged-'))) {
      const gone = seqs(join(logDir, aside)).filter((q) => q >= from);
      const res = await verify(join(logDir, aside));
      console.log(
        `redis failover: evidence records ${gone.length ? `${Math.min(...gone)}..${Math.max(...gone)}` : '(none)'} of the old primary never reached the replica; the chain goes on from seq ${from}; they are kept in ${aside} (${lastLine(res.out)})`,
      );
      expect(res.code, res.out).toBe(0);
    }
  }, 60_000);
});
