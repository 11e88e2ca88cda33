/** The operator-toolkit transitions against a real Redis: pick, transfer, requeue to a desk. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeskStore } from '../../component/store/desk-store.js';
import { freshPrefix, startTestRedis, type TestRedis } from '../support/redis.js';
import { enqueueCustomers, online, openClient, storeFor } from './store-fixture.js';

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

describe('pick', () => {
  it('takes a ticket from the middle of the queue, within capacity', async () => {
    const [, second, third] = await enqueueCustomers(store, 'support', 3) as [number, number, number];
    await online(store, ALICE, 1);
    const picked = await store.assignNext('support', second, ALICE, 2000, 'pick');
    expect(picked.ok && picked.ticket.id).toBe(second);
    expect(await store.queue('support')).toEqual([1, third]);
    expect(await store.assignNext('support', third, ALICE, 2000, 'pick')).toEqual({ ok: false, reason: 'operator-full' });
    expect(await store.assignNext('support', 99, ALICE, 2000, 'pick')).toEqual({ ok: false, reason: 'head-changed' });
  });
});

describe('transfer', () => {
  async function activeWithAlice() {
    const [id] = await enqueueCustomers(store, 'support', 1) as [number];
    await online(store, ALICE, 2);
    const r = await store.assignNext('support', id, ALICE, 2000);
    if (!r.ok) throw new Error('setup failed');
    return id;
  }

  it('moves the chat and the load to an operator with room', async () => {
    const id = await activeWithAlice();
    await online(store, BOB, 1);
    const r = await store.transfer(id, ALICE, BOB, 3000);
    expect(r.ok && r.ticket.operator).toBe(BOB);
    const loads = await store.operatorLoads([ALICE, BOB], () => 3);
    expect(loads.map((l) => [l.jid, l.active])).toEqual([[ALICE, 0], [BOB, 1]]);
    expect(await store.operatorTickets(BOB)).toEqual([id]);
    expect(await store.operatorTickets(ALICE)).toEqual([]);
  });

  it('refuses a full, away or same target and a chat that is not the sender\'s', async () => {
    const id = await activeWithAlice();
    await online(store, BOB, 1, 'away');
    expect(await store.transfer(id, ALICE, BOB, 3000)).toEqual({ ok: false, code: -2 });
    await online(store, BOB, 1, 'available');
    const [other] = await enqueueCustomers(store, 'support', 1, 1000, 2) as [number];
    await store.assignNext('support', other, BOB, 2500);
    expect(await store.transfer(id, ALICE, BOB, 3000)).toEqual({ ok: false, code: -3 });
    expect(await store.transfer(id, ALICE, ALICE, 3000)).toEqual({ ok: false, code: -4 });
    expect(await store.transfer(id, BOB, ALICE, 3000)).toEqual({ ok: false, code: -1 });
    expect((await store.operatorLoads([ALICE], () => 3))[0]?.active).toBe(1);
  });

  it('sends a chat back to the head of another desk\'s queue, and ending it there cleans that queue', async () => {
    const id = await activeWithAlice();
    await enqueueCustomers(store, 'sales', 1, 1000, 5);
    const r = await store.requeueTicket(id, ALICE, 'sales', 3000);
    expect(r.ok && r.ticket.state).toBe('waiting');
    expect(r.ok && r.ticket.queueDesk).toBe('sales');
    expect((await store.queue('sales'))[0]).toBe(id);
    expect((await store.operatorLoads([ALICE], () => 3))[0]?.active).toBe(0);
    const ended = await store.endSession(id, 'support', 'customer-left', 4000);
    expect(ended.ok).toBe(true);
    expect(await store.queue('sales')).not.toContain(id);
  });
});
