/**
 * Rules that live in Lua, held to their TypeScript reference models (test/models/): a test here
 * fails when the twins disagree (DESIGN §3: "a rule lives once"). Randomised runs are seeded.
 */
import { describe, expect, it } from 'vitest';
import type { Show } from '../../src/presence.js';
import { hasRoom } from '../../src/queue-policy.js';
import type { SessionState } from '../../src/session.js';
import type { DeskStore } from '../../component/store/desk-store.js';
import { aggregateOperatorStatus } from '../models/presence-model.js';
import { nextAverage } from '../models/estimate-model.js';
import { canTransition, nextSessionState, type SessionEvent } from '../models/session-model.js';
import { enqueueCustomers, GRACE_MS, online, STORE_OPTIONS, useFreshStore } from './store-fixture.js';
import { seeded } from '../support/seeded.js';

const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';
const storeOf = useFreshStore();

/** A ticket of the support desk in the given state, made by the transitions production uses. */
async function ticketIn(s: DeskStore, state: SessionState): Promise<number> {
  if (state === 'offline') {
    return s.customers.createOffline({
      desk: 'support',
      customer: 'o@guest.localhost/web',
      customerKey: 'o@guest.localhost',
      name: 'O',
      message: 'hi',
      form: {},
      pages: [],
      now: 1500,
    });
  }
  const [id] = (await enqueueCustomers(s, 'support', 1)) as [number];
  if (state === 'waiting') return id;
  expect((await s.sessions.assignNext('support', id, ALICE, 2000, 'pick')).ok).toBe(true);
  if (state === 'active') return id;
  expect((await s.sessions.endSession(id, 'support', 'operator-ended', 3000)).ok).toBe(true);
  return id;
}

/** Applies the event through its Lua transition; true when the store accepted it. */
async function apply(s: DeskStore, id: number, event: SessionEvent | 'requeue-after-grace'): Promise<boolean> {
  switch (event) {
    case 'assign':
      return (await s.sessions.assignNext('support', id, ALICE, 4000, 'pick')).ok;
    case 'requeue':
      return (await s.operators.requeueTicket(id, ALICE, 'support', 4000)).ok;
    case 'end':
      return (await s.sessions.endSession(id, 'support', 'operator-ended', 4000)).ok;
    case 'close':
      return (await s.hours.closeWaiting(id, 'support', '', (await s.sessions.buffered(id)).length, 4000)).ok;
    case 'requeue-after-grace': {
      await s.operators.operatorPresence(ALICE, '', '', 4000, GRACE_MS, 2);
      return (await s.operators.requeueOperator(ALICE, 4000 + GRACE_MS)).some((r) => r.ticketId === id);
    }
  }
}

describe('the ticket state machine (session-model.ts) and the Lua transitions', () => {
  const states: SessionState[] = ['waiting', 'active', 'ended', 'offline'];
  const events: (SessionEvent | 'requeue-after-grace')[] = ['assign', 'requeue', 'requeue-after-grace', 'end', 'close'];
  const cells = states.flatMap((state) => events.map((event) => [state, event] as const));

  it.each(cells)('%s --%s--> as the model says', async (state, event) => {
    const s = storeOf();
    await s.operators.syncOperator(ALICE, 2, ['support']);
    await online(s, ALICE, 2);
    const id = await ticketIn(s, state);
    const modelEvent: SessionEvent = event === 'requeue-after-grace' ? 'requeue' : event;
    const accepted = await apply(s, id, event);
    expect(accepted).toBe(canTransition(state, modelEvent));
    const after = (await s.sessions.ticket(id))?.state;
    expect(after).toBe(accepted ? nextSessionState(state, modelEvent) : state);
  });
});

describe('presence aggregation (presence-model.ts) and operator-presence-3.lua', () => {
  it('agree on the status after every change of 300 random resource changes, and the ready set follows hasRoom', async () => {
    const s = storeOf();
    const random = seeded(15);
    const shows: (Show | '')[] = ['', 'chat', 'available', 'away', 'xa', 'dnd'];
    const resources = new Map<string, Show>();
    await s.operators.syncOperator(ALICE, 2, ['support']);
    await s.operators.syncOperator(BOB, 1, ['support']);
    await enqueueCustomers(s, 'support', 1);
    expect((await s.sessions.assignNext('support', 1, BOB, 1000, 'pick')).ok).toBe(false); // BOB offline: refused
    for (let step = 0; step < 300; step++) {
      const resource = ['desk', 'phone', 'laptop', ''][Math.floor(random() * 4)] as string;
      const show = shows[Math.floor(random() * shows.length)] as Show | '';
      if (show === '') {
        if (resource === '') resources.clear();
        else resources.delete(resource);
      } else if (resource !== '') resources.set(resource, show);
      else continue; // an available presence always comes from a resource
      await s.operators.operatorPresence(ALICE, resource, show, 1000 + step, GRACE_MS, 2);
      const [load] = (await s.queue.deskAggregate('support', [ALICE], () => 2)).loads;
      expect(load?.status, `step ${step}: ${[...resources].join(' ')}`).toBe(aggregateOperatorStatus(resources.values()));
      const inReady = (await s.redis.zscore(s.keys.deskReady('support'), ALICE)) !== null;
      expect(inReady, `step ${step}`).toBe(hasRoom(load as NonNullable<typeof load>));
    }
  });
});

describe('the learned handle time (estimate-model.ts) and end-session-3.lua', () => {
  it('agree over 40 chats with random handle times', async () => {
    const s = storeOf();
    const random = seeded(42);
    await s.operators.syncOperator(ALICE, 9, ['support']);
    await online(s, ALICE, 9);
    let expected = STORE_OPTIONS.defaultAvgHandleMs;
    let now = 10_000;
    for (let i = 0; i < 40; i++) {
      const [id] = (await enqueueCustomers(s, 'support', 1, now, i + 1)) as [number];
      expect((await s.sessions.assignNext('support', id, ALICE, now, 'pick')).ok).toBe(true);
      const handled = Math.floor(random() * 900_000) + 1;
      now += handled;
      expect((await s.sessions.endSession(id, 'support', 'operator-ended', now)).ok).toBe(true);
      expected = nextAverage(expected, handled);
      expect(Number(await s.redis.hget(s.keys.deskStats('support'), 'avgHandleMs')), `chat ${i}`).toBe(expected);
      now += 1000;
    }
  });
});

describe('close-waiting-1.lua: a waiting ticket becomes an offline message at closing time', () => {
  it('leaves the queue and the customer route, keeps the words, and refuses when another message came since', async () => {
    const s = storeOf();
    const [id, other] = (await enqueueCustomers(s, 'support', 2)) as [number, number];
    await s.redis.rpush(s.keys.buffer(id), '<message/>');
    expect(await s.hours.closeWaiting(id, 'support', 'hello', 0, 5000)).toEqual({ ok: false, failure: 'headChanged' });
    const r = await s.hours.closeWaiting(id, 'support', 'hello\nmy order', 1, 5000);
    expect(r.ok && r.ticket).toMatchObject({ id, state: 'offline', firstWords: 'hello\nmy order' });
    expect(await s.hours.waitingIds('support')).toEqual([other]);
    expect((await s.customers.openOffline('support')).map((t) => t.id)).toEqual([id]);
    expect(await s.customers.offlineCounts('support', 'c1@guest.localhost')).toEqual({ ofCustomer: 1, openAtDesk: 1 });
    expect(await s.redis.exists(s.keys.customer('support', 'c1@guest.localhost'), s.keys.buffer(id))).toBe(0);
    expect((await s.hours.closeWaiting(id, 'support', '', 0, 6000)).ok).toBe(false); // once only
  });
});
