import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeskStore } from '../../component/store/desk-store.js';
import { freshPrefix, startTestRedis, type TestRedis } from '../support/redis.js';
import { enqueueCustomers, GRACE_MS, online, openClient, storeFor } from './store-fixture.js';

const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';

let server: TestRedis;
let redis: Redis;
let store: DeskStore;

beforeAll(async () => {
  server = await startTestRedis();
  redis = await openClient(server.url);
});
afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});
beforeEach(() => {
  store = storeFor(redis, freshPrefix());
});

describe('enqueue', () => {
  it('assigns increasing ticket ids and first-come first-served positions', async () => {
    const results = [];
    for (const c of ['c1', 'c2', 'c3']) {
      results.push(await store.enqueue({
        desk: 'support', customer: `${c}@guest.localhost/web`, customerBare: `${c}@guest.localhost`, name: c,
        now: 1000, maskedSuffix: 'k7q3', firstMessage: '',
      }));
    }
    expect(results).toEqual([
      { ticketId: 1, state: 'waiting', created: true, position: 1 },
      { ticketId: 2, state: 'waiting', created: true, position: 2 },
      { ticketId: 3, state: 'waiting', created: true, position: 3 },
    ]);
    expect(await store.queue('support')).toEqual([1, 2, 3]);
    expect(await store.ticket(2)).toMatchObject({ id: 2, desk: 'support', state: 'waiting', masked: 't2-k7q3', notifiedPosition: 2 });
    expect((await store.ticketByMasked('t3-k7q3'))?.customerBare).toBe('c3@guest.localhost');
    expect(await store.ticketIdOfCustomer('support', 'c1@guest.localhost')).toBe(1);
  });

  it('gives a customer who writes again the same ticket, with its current resource', async () => {
    await enqueueCustomers(store, 'support', 2);
    const again = await store.enqueue({
      desk: 'support', customer: 'c2@guest.localhost/phone', customerBare: 'c2@guest.localhost', name: 'c2',
      now: 2000, maskedSuffix: 'zzzz', firstMessage: '<message/>',
    });
    expect(again).toEqual({ ticketId: 2, state: 'waiting', created: false, position: 2 });
    expect(await store.queue('support')).toEqual([1, 2]);
    expect((await store.ticket(2))?.customer).toBe('c2@guest.localhost/phone');
    expect(await store.buffered(2)).toEqual([]);
  });

  it('keeps the first message in the buffer', async () => {
    const r = await store.enqueue({
      desk: 'sales', customer: 'x@guest.localhost/a', customerBare: 'x@guest.localhost', name: 'X',
      now: 1000, maskedSuffix: 'abcd', firstMessage: '<message><body>hi</body></message>',
    });
    expect(await store.buffered(r.ticketId)).toEqual(['<message><body>hi</body></message>']);
  });
});

describe('bufferOrRoute', () => {
  it('buffers in order while waiting, drops unkept payloads and reports full at the limit', async () => {
    const [id] = await enqueueCustomers(store, 'support', 1) as [number];
    for (const m of ['m1', 'm2', 'm3']) expect(await store.bufferOrRoute(id, m, true)).toEqual({ state: 'buffered', operator: '', masked: 't1-abcd', monitors: [] });
    expect(await store.bufferOrRoute(id, 'composing', false)).toEqual({ state: 'dropped', operator: '', masked: 't1-abcd', monitors: [] });
    for (const m of ['m4', 'm5']) expect((await store.bufferOrRoute(id, m, true)).state).toBe('buffered');
    expect((await store.bufferOrRoute(id, 'm6', true)).state).toBe('full');
    expect(await store.buffered(id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('routes once the ticket is active, and knows no missing ticket', async () => {
    const [id] = await enqueueCustomers(store, 'support', 1) as [number];
    await online(store, ALICE, 2);
    expect((await store.assignNext('support', id, ALICE, 2000)).ok).toBe(true);
    expect(await store.bufferOrRoute(id, 'm1', true)).toEqual({ state: 'active', operator: ALICE, masked: 't1-abcd', monitors: [] });
    expect(await store.buffered(id)).toEqual([]);
    expect((await store.bufferOrRoute(999, 'm1', true)).state).toBe('missing');
  });
});

describe('assignNext', () => {
  it('refuses when the expected head is not the head', async () => {
    await enqueueCustomers(store, 'support', 2);
    await online(store, ALICE, 2);
    expect(await store.assignNext('support', 2, ALICE, 2000)).toEqual({ ok: false, reason: 'head-changed' });
    expect(await store.assignNext('sales', 1, ALICE, 2000)).toEqual({ ok: false, reason: 'head-changed' });
    expect(await store.queue('support')).toEqual([1, 2]);
  });

  it('refuses an operator who is unknown, away or offline', async () => {
    await enqueueCustomers(store, 'support', 1);
    expect(await store.assignNext('support', 1, ALICE, 2000)).toEqual({ ok: false, reason: 'operator-unavailable' });
    await online(store, ALICE, 2, 'away');
    expect(await store.assignNext('support', 1, ALICE, 2000)).toEqual({ ok: false, reason: 'operator-unavailable' });
    await store.operatorPresence(ALICE, '', '', 2000, GRACE_MS, 2);
    expect(await store.assignNext('support', 1, ALICE, 2000)).toEqual({ ok: false, reason: 'operator-unavailable' });
  });

  it('refuses an operator who is full', async () => {
    await enqueueCustomers(store, 'support', 2);
    await online(store, ALICE, 1, 'chat');
    expect((await store.assignNext('support', 1, ALICE, 2000)).ok).toBe(true);
    expect(await store.assignNext('support', 2, ALICE, 2000)).toEqual({ ok: false, reason: 'operator-full' });
    expect(await store.queue('support')).toEqual([2]);
  });

  it('assigns the head, updates the load and hands over the buffer in order', async () => {
    const [id] = await enqueueCustomers(store, 'support', 2) as [number];
    await store.bufferOrRoute(id, 'm1', true);
    await store.bufferOrRoute(id, 'm2', true);
    await online(store, ALICE, 2);
    const outcome = await store.assignNext('support', id, ALICE, 5000);
    expect(outcome).toEqual({
      ok: true,
      buffered: ['m1', 'm2'],
      ticket: {
        id: 1, desk: 'support', customer: 'c1@guest.localhost/web', customerBare: 'c1@guest.localhost', name: 'Customer 1',
        state: 'active', operator: ALICE, masked: 't1-abcd', createdAt: 1000, assignedAt: 5000, notifiedPosition: 1,
        firstWords: '', queueDesk: '',
      },
    });
    expect(await store.queue('support')).toEqual([2]);
    expect(await store.operatorTickets(ALICE)).toEqual([1]);
    expect(await store.operatorLoads([ALICE], () => 3)).toEqual([{ jid: ALICE, status: 'available', active: 1, max: 2, idleSince: 5000 }]);
    expect(await store.pendingAnnouncements()).toEqual([1]);
    await store.markAnnounced(1);
    expect(await store.pendingAnnouncements()).toEqual([]);
    expect(await store.buffered(1)).toEqual([]);
  });
});

describe('operatorPresence', () => {
  it('aggregates resources: the most available wins', async () => {
    expect(await online(store, ALICE, 2, 'away', 'phone')).toEqual({ previous: 'offline', current: 'away', active: 0 });
    expect(await online(store, ALICE, 2, 'available', 'laptop')).toEqual({ previous: 'away', current: 'available', active: 0 });
    expect(await store.operatorPresence(ALICE, 'laptop', '', 3000, GRACE_MS, 2)).toEqual({ previous: 'available', current: 'away', active: 0 });
    expect(await store.operatorPresence(ALICE, 'phone', '', 4000, GRACE_MS, 2)).toEqual({ previous: 'away', current: 'offline', active: 0 });
    expect(await store.operatorsPastGrace(Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('starts the grace period for an operator with chats and cancels it on return', async () => {
    await enqueueCustomers(store, 'support', 1);
    await online(store, ALICE, 2);
    await store.assignNext('support', 1, ALICE, 2000);
    expect(await store.operatorPresence(ALICE, '', '', 10_000, GRACE_MS, 2)).toEqual({ previous: 'available', current: 'offline', active: 1 });
    expect(await store.operatorsPastGrace(10_000 + GRACE_MS - 1)).toEqual([]);
    expect(await store.operatorsPastGrace(10_000 + GRACE_MS)).toEqual([ALICE]);
    await online(store, ALICE, 2, 'dnd', 'phone', 20_000);
    expect(await store.operatorsPastGrace(Number.MAX_SAFE_INTEGER)).toEqual([]);
  });
});

describe('requeueOperator', () => {
  it("puts the operator's tickets back at the head of their queues, oldest first", async () => {
    await enqueueCustomers(store, 'support', 3); // 1, 2, 3
    await enqueueCustomers(store, 'sales', 1, 1000, 4); // 4
    await online(store, ALICE, 3);
    await store.assignNext('support', 1, ALICE, 2000);
    await store.assignNext('support', 2, ALICE, 2000);
    await store.assignNext('sales', 4, ALICE, 2000);
    await enqueueCustomers(store, 'support', 1, 3000, 5); // 5 joins behind 3
    await enqueueCustomers(store, 'sales', 1, 3000, 6); // 6
    await store.operatorPresence(ALICE, '', '', 4000, GRACE_MS, 3);

    const requeued = await store.requeueOperator(ALICE, 4000 + GRACE_MS);
    expect([...requeued].sort((a, b) => a.ticketId - b.ticketId)).toEqual([
      { ticketId: 1, desk: 'support' }, { ticketId: 2, desk: 'support' }, { ticketId: 4, desk: 'sales' },
    ]);
    expect(await store.queue('support')).toEqual([1, 2, 3, 5]);
    expect(await store.queue('sales')).toEqual([4, 6]);
    expect(await store.ticket(1)).toMatchObject({ state: 'waiting', operator: '', notifiedPosition: 0 });
    expect(await store.operatorTickets(ALICE)).toEqual([]);
    expect((await store.operatorLoads([ALICE], () => 3))[0]).toMatchObject({ status: 'offline', active: 0 });
    expect(await store.operatorsPastGrace(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(await store.pendingAnnouncements()).toEqual([]);
  });

  it('does nothing when the operator came back online', async () => {
    await enqueueCustomers(store, 'support', 2);
    await online(store, ALICE, 2);
    await store.assignNext('support', 1, ALICE, 2000);
    await store.operatorPresence(ALICE, '', '', 3000, GRACE_MS, 2);
    await online(store, ALICE, 2, 'available', 'desk', 4000);
    expect(await store.requeueOperator(ALICE, 4000 + GRACE_MS)).toEqual([]);
    expect(await store.queue('support')).toEqual([2]);
    expect(await store.operatorTickets(ALICE)).toEqual([1]);
    expect((await store.operatorLoads([ALICE], () => 2))[0]).toMatchObject({ status: 'available', active: 1 });
  });
});

describe('endSession', () => {
  async function activeTicket(): Promise<number> {
    const [id] = await enqueueCustomers(store, 'support', 1) as [number];
    await online(store, ALICE, 2);
    expect((await store.assignNext('support', id, ALICE, 1000)).ok).toBe(true);
    return id;
  }

  it('frees the slot, feeds the average handle time and forgets the customer', async () => {
    const id = await activeTicket();
    const r = await store.endSession(id, 'support', 'operator-ended', 61_000, ALICE);
    expect(r).toMatchObject({ ok: true, previousState: 'active', ticket: { id, state: 'active', operator: ALICE } });
    expect((await store.operatorLoads([ALICE], () => 2))[0]).toMatchObject({ active: 0, idleSince: 61_000 });
    expect(await store.operatorTickets(ALICE)).toEqual([]);
    // 300 000 + 0.2 × (60 000 − 300 000)
    expect(await store.avgHandleMs('support')).toBe(252_000);
    expect(await store.ticketIdOfCustomer('support', 'c1@guest.localhost')).toBeUndefined();
    expect(await store.ticket(id)).toMatchObject({ state: 'ended' });
    expect(await redis.hget(store.keys.ticket(id), 'endReason')).toBe('operator-ended');
    const ttl = await redis.ttl(store.keys.ticket(id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect((await store.enqueue({
      desk: 'support', customer: 'c1@guest.localhost/web', customerBare: 'c1@guest.localhost', name: 'c1',
      now: 70_000, maskedSuffix: 'abcd', firstMessage: '',
    })).created).toBe(true);
  });

  it("refuses another operator's session and a session already ended", async () => {
    const id = await activeTicket();
    expect(await store.endSession(id, 'support', 'operator-ended', 5000, BOB)).toEqual({ ok: false, reason: 'not-yours' });
    expect((await store.ticket(id))?.state).toBe('active');
    expect((await store.endSession(id, 'support', 'customer-left', 5000)).ok).toBe(true);
    expect(await store.endSession(id, 'support', 'customer-left', 6000)).toEqual({ ok: false, reason: 'already-ended' });
    expect((await store.operatorLoads([ALICE], () => 2))[0]?.active).toBe(0);
    expect(await store.endSession(999, 'support', 'x', 6000)).toEqual({ ok: false, reason: 'missing' });
  });

  it('takes a waiting ticket out of the queue without touching the average', async () => {
    await enqueueCustomers(store, 'support', 3);
    expect(await store.endSession(2, 'support', 'customer-left', 5000)).toMatchObject({ ok: true, previousState: 'waiting' });
    expect(await store.queue('support')).toEqual([1, 3]);
    expect(await store.avgHandleMs('support')).toBe(300_000);
  });
});
