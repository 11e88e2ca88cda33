/**
 * The desks' operator aggregates kept by the Lua transitions (lua/includes/operator-loads.lua):
 * desk:<d>:loads and desk:<d>:ready follow every change of an operator's hash, and the
 * dispatcher's one-round-trip round (assign-ready-3.lua) picks what pickOperator would.
 */
import { describe, expect, it } from 'vitest';
import { pickOperator } from '../models/queue-model.js';
import type { DeskStore } from '../../component/store/desk-store.js';
import { enqueueCustomers, GRACE_MS, online, useFreshStore } from './store-fixture.js';

const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';
const CAROL = 'carol@localhost';
const storeOf = useFreshStore();

const ready = (store: DeskStore, desk: string) => store.redis.zrange(store.keys.deskReady(desk), 0, -1);
const loadsOf = async (store: DeskStore, desk: string, jids: string[]) => (await store.queue.deskAggregate(desk, jids, () => 3)).loads;

/** Operators as the component sets them up: desks stamped at start-up, then presence. */
async function staff(store: DeskStore, ops: [string, number, string[]][]) {
  for (const [jid, max, desks] of ops) {
    await store.operators.syncOperator(jid, max, desks);
    await online(store, jid, max);
  }
}

describe('desk aggregates', () => {
  it('mirror every operator change into the loads hash and the ready set', async () => {
    const s = storeOf();
    await staff(s, [
      [ALICE, 2, ['support', 'sales']],
      [BOB, 1, ['support']],
    ]);
    expect(await loadsOf(s, 'support', [ALICE, BOB, CAROL])).toEqual([
      { jid: ALICE, status: 'available', active: 0, max: 2, idleSince: 1000 },
      { jid: BOB, status: 'available', active: 0, max: 1, idleSince: 1000 },
      { jid: CAROL, status: 'offline', active: 0, max: 3, idleSince: 0 }, // never seen: offline, default capacity
    ]);
    expect(await ready(s, 'sales')).toEqual([ALICE]);

    await enqueueCustomers(s, 'support', 3);
    expect((await s.sessions.assignNext('support', 1, BOB, 2000)).ok).toBe(true); // BOB full
    expect(await ready(s, 'support')).toEqual([ALICE]);
    await s.operators.operatorPresence(ALICE, 'desk', 'away', 3000, GRACE_MS, 2);
    expect(await ready(s, 'support')).toEqual([]);
    expect(await ready(s, 'sales')).toEqual([]);
    expect((await loadsOf(s, 'sales', [ALICE]))[0]).toMatchObject({ status: 'away' });

    await s.sessions.endSession(1, 'support', 'operator-ended', 4000, BOB);
    expect(await ready(s, 'support')).toEqual([BOB]);
    await s.operators.setOperatorMax(ALICE, 1);
    await online(s, ALICE, 1, 'chat', 'desk', 5000);
    expect((await loadsOf(s, 'support', [ALICE]))[0]).toEqual({ jid: ALICE, status: 'chat', active: 0, max: 1, idleSince: 5000 });
    // Same load: the one idle longest first (BOB since 4000, ALICE since 5000).
    expect(await ready(s, 'support')).toEqual([BOB, ALICE]);
  });

  it('follow transfers, requeues to a desk and requeues after the grace period', async () => {
    const s = storeOf();
    await staff(s, [
      [ALICE, 2, ['support']],
      [BOB, 2, ['support']],
    ]);
    await enqueueCustomers(s, 'support', 2);
    await s.sessions.assignNext('support', 1, ALICE, 2000);
    await s.sessions.assignNext('support', 2, ALICE, 2000);
    expect(await ready(s, 'support')).toEqual([BOB]);
    expect((await s.operators.transfer(2, ALICE, BOB, 3000)).ok).toBe(true);
    expect((await loadsOf(s, 'support', [ALICE, BOB])).map((l) => l.active)).toEqual([1, 1]);
    expect((await s.operators.requeueTicket(2, BOB, 'support', 4000)).ok).toBe(true);
    expect((await loadsOf(s, 'support', [BOB]))[0]?.active).toBe(0);
    await s.operators.operatorPresence(ALICE, '', '', 5000, GRACE_MS, 2);
    await s.operators.requeueOperator(ALICE, 5000 + GRACE_MS);
    expect((await loadsOf(s, 'support', [ALICE]))[0]).toMatchObject({ status: 'offline', active: 0 });
    expect(await ready(s, 'support')).toEqual([BOB]);
  });

  it('forget a desk the operator no longer belongs to (config changed)', async () => {
    const s = storeOf();
    await staff(s, [[ALICE, 2, ['support', 'sales']]]);
    await s.operators.syncOperator(ALICE, 2, ['sales']);
    expect(await ready(s, 'support')).toEqual([]);
    expect(await s.redis.hkeys(s.keys.deskLoads('support'))).toEqual([]);
    expect(await ready(s, 'sales')).toEqual([ALICE]);
  });

  it('are stamped again by a presence that names the desks (no start-up sync, e.g. Redis lost its data)', async () => {
    const s = storeOf();
    await s.operators.operatorPresence(ALICE, 'desk', 'available', 2000, GRACE_MS, 2);
    expect(await ready(s, 'support')).toEqual([]); // desks unknown: not routable by assign-ready
    await s.operators.operatorPresence(ALICE, 'desk', 'chat', 3000, GRACE_MS, 2, ['support']);
    expect(await ready(s, 'support')).toEqual([ALICE]);
    expect((await loadsOf(s, 'support', [ALICE]))[0]).toMatchObject({ status: 'chat', max: 2 });
  });

  it('keep a capacity set by !max across a restart (sync does not overwrite it)', async () => {
    const s = storeOf();
    await staff(s, [[ALICE, 2, ['support']]]);
    await s.operators.setOperatorMax(ALICE, 5);
    await s.operators.syncOperator(ALICE, 2, ['support']);
    expect((await loadsOf(s, 'support', [ALICE]))[0]?.max).toBe(5);
  });
});

describe('assignReady', () => {
  it('gives the head to the operator pickOperator would choose, until nobody has room', async () => {
    const s = storeOf();
    await staff(s, [
      [ALICE, 2, ['support']],
      [BOB, 1, ['support']],
      [CAROL, 3, ['support']],
    ]);
    await s.operators.operatorPresence(CAROL, 'desk', 'dnd', 1500, GRACE_MS, 3);
    await enqueueCustomers(s, 'support', 5);
    const got: [number, string][] = [];
    for (let now = 2000; ; now += 1000) {
      const expected = pickOperator(await loadsOf(s, 'support', [ALICE, BOB, CAROL]));
      const { assigned, stop } = await s.queue.assignReady('support', now);
      if (assigned.length === 0) {
        expect(stop).toBe('no-operator');
        expect(expected).toBeUndefined();
        break;
      }
      expect(stop).toBe('limit');
      const [r] = assigned as [(typeof assigned)[number]];
      expect(r.ticket.operator).toBe(expected?.jid);
      got.push([r.ticket.id, r.ticket.operator]);
    }
    expect(got).toEqual([
      [1, ALICE],
      [2, BOB],
      [3, ALICE],
    ]);
    expect(await s.queue.queue('support')).toEqual([4, 5]);
    expect(await s.sessions.pendingAnnouncements()).toEqual([1, 2, 3]);
  });

  it('hands over the buffer and says when nobody waits', async () => {
    const s = storeOf();
    await staff(s, [[ALICE, 2, ['support']]]);
    expect(await s.queue.assignReady('support', 1500)).toEqual({ assigned: [], stop: 'queue-empty' });
    await enqueueCustomers(s, 'support', 1);
    await s.sessions.customerMessage('support', 'c1@guest.localhost', 'm1', true);
    const r = await s.queue.assignReady('support', 2000, 5);
    expect(r.stop).toBe('queue-empty');
    expect(r.assigned).toMatchObject([
      { buffered: ['m1'], ticket: { id: 1, state: 'active', operator: ALICE, assignedAt: 2000 }, operatorLoad: { active: 1, max: 2 } },
    ]);
  });

  it('assigns a batch in one call, in queue order, spreading over the operators as single rounds would', async () => {
    const s = storeOf();
    await staff(s, [
      [ALICE, 2, ['support']],
      [BOB, 2, ['support']],
      [CAROL, 1, ['support']],
    ]);
    await enqueueCustomers(s, 'support', 7);
    const r = await s.queue.assignReady('support', 2000, 10);
    expect(r.stop).toBe('no-operator');
    // Fewest active first, then idle longest (all idle since 1000, then since their assignment at 2000).
    expect(r.assigned.map((a) => [a.ticket.id, a.ticket.operator, a.operatorLoad.active])).toEqual([
      [1, ALICE, 1],
      [2, BOB, 1],
      [3, CAROL, 1],
      [4, ALICE, 2],
      [5, BOB, 2],
    ]);
    expect(await s.queue.queue('support')).toEqual([6, 7]);
    expect((await s.queue.assignReady('support', 3000, 3)).assigned).toEqual([]);
  });

  it('repairs a stale ready entry instead of overfilling the operator', async () => {
    const s = storeOf();
    await staff(s, [
      [ALICE, 1, ['support']],
      [BOB, 1, ['support']],
    ]);
    await enqueueCustomers(s, 'support', 3);
    await s.sessions.assignNext('support', 1, ALICE, 2000);
    await s.redis.zadd(s.keys.deskReady('support'), 0, ALICE); // corrupt: ALICE (full) ranked first
    const r = await s.queue.assignReady('support', 3000);
    expect(r.assigned).toMatchObject([{ ticket: { id: 2, operator: BOB } }]);
    expect(await s.queue.assignReady('support', 4000)).toEqual({ assigned: [], stop: 'no-operator' });
    expect(await ready(s, 'support')).toEqual([]);
    expect((await s.operators.operatorLoads([ALICE], () => 1))[0]?.active).toBe(1);
  });
});

describe('waitingEntries and setNotified', () => {
  it('read the whole line with what each customer was told, in one call', async () => {
    const s = storeOf();
    await enqueueCustomers(s, 'support', 3, 1000);
    await s.queue.setNotified([
      { id: 2, position: 2, waitMinutes: 4, at: 5000 },
      { id: 3, position: 3, waitMinutes: Number.POSITIVE_INFINITY, at: 5000 },
    ]);
    expect(await s.queue.waitingEntries('support', 0)).toEqual([
      { id: 1, position: 1, customer: 'c1@guest.localhost/web', notifiedPosition: 1, notifiedWaitMinutes: Number.NaN, notifiedAt: 1000 },
      { id: 2, position: 2, customer: 'c2@guest.localhost/web', notifiedPosition: 2, notifiedWaitMinutes: 4, notifiedAt: 5000 },
      { id: 3, position: 3, customer: 'c3@guest.localhost/web', notifiedPosition: 3, notifiedWaitMinutes: -1, notifiedAt: 5000 },
    ]);
    expect((await s.queue.waitingEntries('support', 2)).map((e) => e.id)).toEqual([1, 2]);
  });

  it('reads the head and one window further back, with their places, however long the line', async () => {
    const s = storeOf();
    await enqueueCustomers(s, 'support', 12, 1000);
    const read = async (head: number, start: number, count: number) =>
      (await s.queue.waitingEntries('support', head, { start, count })).map((e) => `${e.id}@${e.position}`);
    expect(await read(2, 5, 3)).toEqual(['1@1', '2@2', '6@6', '7@7', '8@8']);
    expect(await read(2, 10, 5)).toEqual(['1@1', '2@2', '11@11', '12@12']); // the end of the line
    expect(await read(3, 1, 2)).toEqual(['1@1', '2@2', '3@3', '4@4', '5@5']); // a window never repeats the head
    expect(await read(2, 20, 5)).toEqual(['1@1', '2@2']);
  });
});
