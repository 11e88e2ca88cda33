/**
 * Phase 4: many anonymous WebSocket customers join one desk in batches while operators work
 * through the queue (each chat: intro → reply → `!end` after a hold time). Memory of every
 * process is sampled each second; join→queued, join→connected and dispatch latency are
 * recorded; position updates and desk presences are counted (their fan-out is the cost).
 */
import { join } from 'node:path';
import type { Element } from '@xmpp/xml';
import type { BenchConn } from './conn.js';
import { startProfiler } from './cpu-profile.js';
import { connectInspector, probeComponent } from './inspector.js';
import { nowUs } from './marks.js';
import { inBatches, isIntro, joinMessage, loginOperators, waitOperatorsOnline, type Operator } from './people.js';
import { cpuProbe, rssBytes } from './proc-stats.js';
import type { ScaleResult } from './results.js';
import { DOMAIN, GUEST_DOMAIN, OPERATOR_DOMAIN, type BenchStack, type OperatorSpec } from './stack.js';
import { createRecorder, perUnit } from './stats.js';
import { connectTcp } from './c2s.js';
import { connectWs } from './ws-client.js';

export interface ScaleOptions {
  customers: number;
  batch: number;
  holdMs: number;
  deadlineMs: number;
  profileMs: number;
  dir: string;
  log: (line: string) => void;
  /** A plain account (not in use) that pings during the phase, for the floor; none: no floor. */
  pingUser?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const bodyOf = (el: Element) => el.getChildText('body') ?? '';

export async function runScale(
  stack: BenchStack,
  specs: readonly OperatorSpec[],
  o: ScaleOptions,
): Promise<{ result: ScaleResult; conns: BenchConn[] }> {
  const t0 = Date.now();
  const deadline = t0 + o.deadlineMs;
  const deskId = specs[0]?.desk ?? 'scale';
  const deskJid = `${deskId}@${DOMAIN}`;
  const conns: BenchConn[] = [];
  const operators: Operator[] = await loginOperators(stack, specs);
  conns.push(...operators.map((op) => op.conn));
  await waitOperatorsOnline(stack, deskId, operators.length);

  let stopped = false;
  let joined = 0;
  let welcomed = 0;
  let connected = 0;
  let positions = 0;
  let deskPresences = 0;
  let ended = 0;
  const welcomeRec = createRecorder(o.customers);
  const connectRec = createRecorder(o.customers);
  const dispatchRec = createRecorder(o.customers * 2);
  const timers = new Set<NodeJS.Timeout>();

  for (const op of operators) {
    const pendingEnds: number[] = []; // !end send times, NaN when the queue looked empty
    op.conn.onStanza = (el, recvUs) => {
      if (el.name === 'presence' && el.attrs.from === deskJid) return void deskPresences++;
      if (!isIntro(el)) return;
      const t = pendingEnds.shift();
      if (t !== undefined && !Number.isNaN(t)) dispatchRec.add(recvUs - t);
      const masked = el.attrs.from as string;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopped || op.conn.closed) return;
        op.conn.write(`<message to='${masked}' type='chat'><body>Hello, this is ${op.spec.name}. Done, goodbye!</body></message>`);
        pendingEnds.push(joined - connected >= 10 ? nowUs() : Number.NaN);
        op.conn.write(`<message to='${masked}' type='chat'><body>!end</body></message>`);
        ended++;
      }, o.holdMs);
      timers.add(timer);
    };
  }

  const inspector = await connectInspector(stack.inspectorPort).catch(() => undefined);
  const profiler = o.profileMs > 0 && inspector ? await startProfiler(inspector) : undefined;
  let profile: ScaleResult['profile'];
  const stopProfile = async () => {
    if (!profiler || profile) return;
    profile = await profiler.stop(join(o.dir, 'component-scale.cpuprofile'));
  };
  const profileTimer = setTimeout(() => void stopProfile().catch(() => undefined), o.profileMs);
  const probe = cpuProbe(stack.pids());
  await stack.redisCalls(true);

  const peak = { componentRss: 0, prosodyRss: 0, redisUsed: 0, benchRss: 0, componentHeap: 0, xmppBacklog: 0, redisBacklog: 0 };
  let peakWaiting = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const pids = stack.pids();
      peak.componentRss = Math.max(peak.componentRss, rssBytes(pids.component) || 0);
      peak.prosodyRss = Math.max(peak.prosodyRss, rssBytes(pids.prosody) || 0);
      peak.benchRss = Math.max(peak.benchRss, process.memoryUsage.rss());
      try {
        if (inspector) {
          const c = await probeComponent(inspector, stack.componentPort, stack.redisPort);
          peak.componentHeap = Math.max(peak.componentHeap, c.heapUsed);
          peak.xmppBacklog = Math.max(peak.xmppBacklog, c.xmppBacklog);
          peak.redisBacklog = Math.max(peak.redisBacklog, c.redisBacklog);
        }
        peak.redisUsed = Math.max(peak.redisUsed, await stack.redisMemory());
        peakWaiting = Math.max(peakWaiting, (await stack.status()).find((d) => d.desk === deskId)?.waiting ?? 0);
      } catch {
        /* sampled again next second */
      }
      await sleep(1000);
    }
  })();

  const floor = await startFloorPings(stack, o.pingUser);

  const loginStart = Date.now();
  let lastLog = Date.now();
  const logins = await inBatches(
    o.customers,
    o.batch,
    async (i) => {
      const c = await connectWs({ port: stack.httpPort, domain: GUEST_DOMAIN });
      conns.push(c);
      let joinUs = 0;
      c.onStanza = (el, recvUs) => {
        if (el.name !== 'message') return;
        const from = el.attrs.from ?? '';
        const body = bodyOf(el);
        if (from === deskJid) {
          if (body.startsWith('Welcome')) {
            welcomed++;
            welcomeRec.add(recvUs - joinUs);
          } else if (body.startsWith('Ticket #')) positions++;
        } else if (from.startsWith(`${deskJid}/`) && body.endsWith('has joined')) {
          connected++;
          connectRec.add(recvUs - joinUs);
        }
      };
      joinUs = nowUs();
      c.write(joinMessage(deskJid, 'Hello, I have a question about my invoice', `Guest ${i + 1}`));
      joined++;
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        o.log(`  scale: ${joined} joined, ${connected} connected, ${ended} ended (${Math.round((Date.now() - t0) / 1000)} s)`);
      }
      return c;
    },
    deadline,
  );
  const loginSeconds = (Date.now() - loginStart) / 1000;

  while (connected < joined && Date.now() < deadline) {
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      o.log(`  scale: ${joined} joined, ${connected} connected, ${ended} ended (${Math.round((Date.now() - t0) / 1000)} s)`);
    }
    await sleep(200);
  }
  const timedOut = connected < joined;
  const floorResult = await floor?.stop();
  const seconds = (Date.now() - t0) / 1000;
  stopped = true;
  for (const t of timers) clearTimeout(t);
  clearTimeout(profileTimer);
  await stopProfile().catch(() => undefined);
  const cpu = probe.stop();
  sampling = false;
  await sampler;
  inspector?.close();
  const pids = stack.pids();
  const redisCalls: Record<string, number> = await stack.redisCalls().catch(() => ({}));
  const own = (cmd: string) => cmd === 'info' || cmd === 'config' || cmd === 'config|resetstat';
  const allCalls = Object.entries(redisCalls)
    .filter(([cmd]) => !own(cmd))
    .sort((a, b) => b[1] - a[1]);
  const redisCallsPerCustomer = allCalls.reduce((n, [, c]) => n + c, 0) / Math.max(1, joined);
  o.log(
    `  scale: Redis calls per joined customer ${redisCallsPerCustomer.toFixed(1)}: ${allCalls.map(([c, n]) => `${c} ${(n / Math.max(1, joined)).toFixed(2)}`).join(' · ')}`,
  );
  const cpuMsPer = (name: string) => ((cpu.cpu[name] ?? Number.NaN) * 1000) / Math.max(1, joined);
  o.log(
    `  scale: CPU per joined customer (ms): component ${cpuMsPer('component').toFixed(2)} · Redis ${cpuMsPer('redis').toFixed(2)} · Prosody ${cpuMsPer('prosody').toFixed(2)} · generator ${cpuMsPer('bench').toFixed(2)}`,
  );
  const end = {
    componentRss: rssBytes(pids.component),
    prosodyRss: rssBytes(pids.prosody),
    redisUsed: await stack.redisMemory().catch(() => Number.NaN),
  };

  return {
    conns,
    result: {
      target: o.customers,
      operators: operators.length,
      cap: specs[0]?.maxChats ?? 0,
      logins: logins.ok.length,
      loginFailures: logins.failed,
      loginErrors: logins.errors,
      loginSeconds,
      joined,
      welcomed,
      connected,
      seconds,
      timedOut,
      joinToWelcome: { p50: welcomeRec.p(0.5), p99: welcomeRec.p(0.99) },
      joinToConnected: { p50: connectRec.p(0.5), p99: connectRec.p(0.99) },
      dispatch: { samples: dispatchRec.count(), p50: dispatchRec.p(0.5), p99: dispatchRec.p(0.99) },
      ...(floorResult ? { floor: floorResult } : {}),
      peakWaiting,
      peak,
      end,
      redisPerCustomer: perUnit(redisCalls, joined),
      redisCallsPerCustomer,
      positionUpdates: positions,
      deskPresencesToOperators: deskPresences,
      chatsEnded: ended,
      cpu,
      profile,
    },
  };
}

/**
 * Every 100 ms a ping to the server (Prosody answers it) and one to the component's domain, one at a
 * time, from a plain c2s client: what any reply under this load waits for before the component's
 * own work (results.ts ScaleResult.floor).
 */
async function startFloorPings(stack: BenchStack, user: string | undefined) {
  if (!user) return undefined;
  const conn = await connectTcp({ port: stack.c2sPort, domain: OPERATOR_DOMAIN, user, resource: 'floor' });
  const recs = { server: createRecorder(4096), component: createRecorder(4096) };
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      for (const [to, rec] of [
        [OPERATOR_DOMAIN, recs.server],
        [DOMAIN, recs.component],
      ] as const) {
        const id = `floor-${++n}`;
        const pong = conn.next((e) => e.name === 'iq' && e.attrs.id === id, 'floor ping', 60_000);
        const t = nowUs();
        conn.write(`<iq type='get' to='${to}' id='${id}'><ping xmlns='urn:xmpp:ping'/></iq>`);
        await pong;
        rec.add(nowUs() - t);
      }
      await sleep(100);
    }
  })().catch(() => undefined);
  const summary = (r: ReturnType<typeof createRecorder>) => ({ samples: r.count(), p50: r.p(0.5), p99: r.p(0.99) });
  return {
    async stop() {
      running = false;
      await loop;
      conn.close();
      return { server: summary(recs.server), component: summary(recs.component) };
    },
  };
}
