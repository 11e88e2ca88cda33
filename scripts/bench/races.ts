/**
 * Phase 6 (issue 6 item 4): races. Prosody refuses a second connection for one component domain
 * (DESIGN §5), so two component instances are played by two complete dispatch paths in this
 * process (store + dispatcher + session ender + notifiers of component/, each over its own Redis
 * connection) sharing one Redis and one key prefix, as two instances would. N customers join at
 * once, split between the instances; operators with small capacities end each chat after a short
 * hold, on a random instance, which frees the slot and dispatches there. Audited:
 * - double assignments: a ticket introduced to an operator more than once (either instance);
 * - over-capacity events: an assignment after which the operator holds more chats than its max, as
 *   Redis itself reports it in the same script (so in Redis's own order, no sampling gap), plus
 *   atomic samples of every operator's load (MULTI) every few milliseconds.
 */
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { parseConfig } from '../../config/load.js';
import { createDirectory, type ServiceContext } from '../../component/services/context.js';
import { createDeskPresence } from '../../component/services/desk-presence.js';
import { createDispatcher } from '../../component/services/dispatcher.js';
import { createPositionNotifier } from '../../component/services/position-notifier.js';
import { createSessionEnder } from '../../component/services/session-ender.js';
import { createDeskStore, type DeskStore } from '../../component/store/desk-store.js';
import { connectRedis, createRedis } from '../../component/store/redis-client.js';
import type { EvidenceRecorder } from '../../component/evidence/recorder.js';
import type { Element } from '../../component/protocol/xml.js';
import type { RaceResult } from './results.js';

export interface RaceOptions {
  customers: number;
  operators: number;
  instances: number;
  holdMs: number;
  deadlineMs: number;
  log: (line: string) => void;
}

const DESK = 'race';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runRaces(redisUrl: string, o: RaceOptions): Promise<RaceResult> {
  const prefix = `race${Date.now()}:`;
  // Small capacities: 1, 2, 3, 1, 2, 3, … (where Rocket.Chat's queue is known to overshoot).
  const ops = Array.from({ length: o.operators }, (_, i) => ({
    jid: `race${i + 1}@localhost`,
    name: `Race${i + 1}`,
    desks: [DESK],
    maxChats: (i % 3) + 1,
  }));
  const config = parseConfig(
    {
      component: { service: 'xmpp://127.0.0.1:1', domain: 'support.localhost', secret: 'race' },
      redis: { url: redisUrl, prefix },
      routing: { defaultMaxChats: 1, graceSeconds: 60, avgHandleSeconds: 300, positionUpdateMs: 1000, livenessSeconds: 30, tickMs: 1000 },
      evidence: { enabled: false },
      desks: [{ id: DESK, name: 'Race' }],
      operators: ops,
    },
    'race config',
  );
  const directory = createDirectory(config);
  const log = pino({ level: 'silent' });
  const intros = new Map<number, number>();
  let introsSent = 0;
  let overCapacity = 0;
  let sampledOver = 0;
  let samples = 0;
  let ended = 0;
  let stopped = false;
  const holds = new Set<NodeJS.Timeout>();
  const clients: Redis[] = [];

  const instances = [] as { store: DeskStore; endSession: ReturnType<typeof createSessionEnder>; assigned: number; stop: () => void }[];
  for (let k = 0; k < o.instances; k++) {
    const redis = createRedis(redisUrl, log);
    await connectRedis(redis);
    clients.push(redis);
    const store = createDeskStore(redis, prefix, { endedRetentionSeconds: 600, defaultAvgHandleMs: 300_000, maxBufferedMessages: 200 });
    const inst = {
      store,
      endSession: undefined as unknown as ReturnType<typeof createSessionEnder>,
      assigned: 0,
      stop: () => undefined as undefined,
    };
    // Audit in Redis's own order: the assignment script reports the operator's load right after it.
    const assignReady = store.queue.assignReady.bind(store.queue);
    store.queue.assignReady = async (desk, now, max) => {
      const r = await assignReady(desk, now, max);
      for (const a of r.assigned) if (a.operatorLoad.active > a.operatorLoad.max) overCapacity++;
      return r;
    };
    const ctx: ServiceContext = {
      config,
      directory,
      store,
      log,
      now: Date.now,
      evidence: { record: async () => undefined } as unknown as EvidenceRecorder,
      send: (stanza: Element, tag) => {
        if (tag?.kind !== 'assign' || !tag.ticket) return;
        const ticket = tag.ticket as { id: number; operator: string };
        introsSent++;
        inst.assigned++;
        intros.set(ticket.id, (intros.get(ticket.id) ?? 0) + 1);
        // The operator reads, answers, and ends the chat — from whichever instance.
        const t = setTimeout(() => {
          holds.delete(t);
          if (stopped) return;
          const other = instances[Math.floor(Math.random() * instances.length)] ?? inst;
          other.endSession(ticket.id, DESK, 'operator-ended', ticket.operator).then(
            () => {
              ended++;
            },
            () => undefined,
          );
        }, Math.random() * o.holdMs);
        holds.add(t);
        void stanza;
      },
    };
    const presence = createDeskPresence(ctx);
    const positions = createPositionNotifier(ctx);
    const dispatcher = createDispatcher(ctx, presence, positions);
    inst.endSession = createSessionEnder(ctx, dispatcher, presence, positions);
    inst.stop = () => {
      presence.stop();
      positions.stop();
    };
    instances.push(inst);
    Object.assign(inst, { dispatcher });
  }
  const setup = instances[0]?.store as DeskStore;
  for (const op of ops) {
    await setup.operators.syncOperator(op.jid, op.maxChats, op.desks);
    await setup.operators.operatorPresence(op.jid, 'desk', 'available', Date.now(), 60_000, op.maxChats);
  }

  // Atomic samples of every operator's load while the race runs.
  const sampler = (async () => {
    while (!stopped) {
      const m = setup.redis.multi();
      for (const op of ops) m.hmget(setup.keys.operator(op.jid), 'active', 'max').scard(setup.keys.operatorTickets(op.jid));
      const rows = (await m.exec()) ?? [];
      samples++;
      for (let i = 0; i < ops.length; i++) {
        const [active, max] = (rows[2 * i]?.[1] ?? []) as string[];
        const held = Number(rows[2 * i + 1]?.[1] ?? 0);
        if (Number(active) > Number(max) || held > Number(max)) sampledOver++;
      }
      await sleep(5);
    }
  })();

  const t0 = Date.now();
  o.log(`races: ${o.customers} joins at once over ${o.instances} instances; ${o.operators} operators of capacity 1–3`);
  const joins = Array.from({ length: o.customers }, async (_, i) => {
    const inst = instances[i % instances.length] as (typeof instances)[number] & { dispatcher: ReturnType<typeof createDispatcher> };
    const r = await inst.store.sessions.enqueue({
      desk: DESK,
      customer: `rc${i}@guest.localhost/r`,
      customerKey: `rc${i}@guest.localhost`,
      name: `Racer ${i}`,
      now: Date.now(),
      maskedSuffix: 'race',
      firstMessage: '',
    });
    await inst.dispatcher.dispatch(DESK);
    return r.ticketId;
  });
  const settled = await Promise.allSettled(joins);
  const joinErrors = settled.filter((s) => s.status === 'rejected').length;
  const joinedAt = Date.now();
  while (ended < o.customers - joinErrors && Date.now() - t0 < o.deadlineMs) await sleep(20);
  const seconds = (Date.now() - t0) / 1000;
  stopped = true;
  for (const t of holds) clearTimeout(t);
  await sampler;

  // Final state: nobody waits, nobody holds a chat, every load matches its ticket set.
  let inconsistent = 0;
  for (const op of ops) {
    const [load] = await setup.operators.operatorLoads([op.jid], () => op.maxChats);
    const held = (await setup.operators.operatorTickets(op.jid)).length;
    if ((load?.active ?? 0) !== held || held > op.maxChats) inconsistent++;
  }
  const waitingAtEnd = (await setup.queue.queue(DESK)).length;
  for (const inst of instances) inst.stop();
  // Leave nothing behind in the bench's Redis.
  let cursor = '0';
  do {
    const [next, found] = await setup.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (found.length) await setup.redis.unlink(...found);
    cursor = next;
  } while (cursor !== '0');
  for (const c of clients) c.disconnect();

  return {
    customers: o.customers,
    instances: o.instances,
    operators: o.operators,
    capacities: '1–3',
    holdMs: o.holdMs,
    joinErrors,
    joinSeconds: (joinedAt - t0) / 1000,
    seconds,
    timedOut: ended < o.customers - joinErrors,
    assigned: intros.size,
    introsSent,
    perInstance: instances.map((i) => i.assigned),
    ended,
    doubleAssignments: [...intros.values()].filter((n) => n > 1).length,
    overCapacity,
    sampledOver,
    samples,
    inconsistent,
    waitingAtEnd,
  };
}
