/**
 * Racing dispatchers (the acceptance test): many concurrent assignNext calls over
 * separate connections must never assign a ticket twice or overfill an operator.
 */
import { expect, it } from 'vitest';
import type { DeskStore } from '../../component/store/desk-store.js';
import { freshPrefix } from '../support/redis.js';
import { enqueueCustomers, online, storeFor, useRedisClients } from './store-fixture.js';

const CLIENTS = 5;
const OPERATORS = Array.from({ length: 5 }, (_, i) => `op${i + 1}@localhost`);
const CAPACITY = 2;

const connections = useRedisClients(CLIENTS);

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

it('50 concurrent dispatchers over 5 connections fill 5 operators × 2 exactly once', async () => {
  const prefix = freshPrefix();
  const stores = connections().map((c) => storeFor(c, prefix));
  const setup = stores[0] as DeskStore;
  const tickets = await enqueueCustomers(setup, 'support', 50);
  for (const jid of OPERATORS) await online(setup, jid, CAPACITY);

  const failures: Record<string, number> = {};
  let assigned = 0;
  const someoneHasRoom = async (store: DeskStore) =>
    (await store.operators.operatorLoads(OPERATORS, () => CAPACITY)).some((op) => op.active < op.max);

  async function dispatcher(store: DeskStore): Promise<void> {
    for (let attempt = 0; attempt < 1000 && (await someoneHasRoom(store)); attempt++) {
      const head = await store.queue.queueHead('support');
      if (head === undefined) return;
      const outcome = await store.sessions.assignNext('support', head, pick(OPERATORS), Date.now());
      if (outcome.ok) assigned++;
      else failures[outcome.failure] = (failures[outcome.failure] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: 50 }, (_, i) => dispatcher(stores[i % CLIENTS] as DeskStore)));

  const owner = new Map<number, string>();
  for (const jid of OPERATORS) {
    const mine = await setup.operators.operatorTickets(jid);
    const [load] = await setup.operators.operatorLoads([jid], () => CAPACITY);
    expect(load?.active).toBe(mine.length);
    expect(mine.length).toBeLessThanOrEqual(CAPACITY);
    for (const id of mine) {
      expect(owner.get(id), `ticket ${id} assigned twice`).toBeUndefined();
      owner.set(id, jid);
      expect(await setup.sessions.ticket(id)).toMatchObject({ state: 'active', operator: jid });
    }
  }
  expect(assigned).toBe(10);
  expect(owner.size).toBe(10);
  // FCFS: the first ten were served, the other forty wait in their original order.
  expect([...owner.keys()].sort((a, b) => a - b)).toEqual(tickets.slice(0, 10));
  expect(await setup.queue.queue('support')).toEqual(tickets.filter((id) => !owner.has(id)));
  expect(await setup.queue.queue('support')).toEqual(tickets.slice(10));
  // The dispatchers really interleaved: most attempts lost a race for the head.
  expect(failures.headChanged ?? 0).toBeGreaterThan(0);
});
