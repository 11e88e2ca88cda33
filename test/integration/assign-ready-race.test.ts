/**
 * Racing dispatcher rounds (assign-ready-3.lua) over separate connections while operators end
 * chats: no ticket is assigned twice and no operator ever holds more than its capacity, checked
 * in Redis's own order (each assignment reports the operator's load right after it).
 */
import { expect, it } from 'vitest';
import type { DeskStore } from '../../component/store/desk-store.js';
import { freshPrefix } from '../support/redis.js';
import { enqueueCustomers, online, storeFor, useRedisClients } from './store-fixture.js';

const CLIENTS = 4;
const OPERATORS = Array.from({ length: 6 }, (_, i) => `op${i + 1}@localhost`);
const CAPACITY = 2;
const CUSTOMERS = 300;

const connections = useRedisClients(CLIENTS);

it('40 dispatcher loops (batches of 1–3) over 4 connections serve 300 customers, each once, never over capacity', async () => {
  const prefix = freshPrefix();
  const stores = connections().map((c) => storeFor(c, prefix));
  const setup = stores[0] as DeskStore;
  for (const jid of OPERATORS) {
    await setup.operators.syncOperator(jid, CAPACITY, ['support']);
    await online(setup, jid, CAPACITY);
  }
  const tickets = await enqueueCustomers(setup, 'support', CUSTOMERS);
  const assignedTimes = new Map<number, number>();
  const order: number[] = [];
  let overCapacity = 0;
  let ends = 0;

  async function loop(store: DeskStore, k: number): Promise<void> {
    for (let i = 0; i < 2000 && order.length < CUSTOMERS; i++) {
      const { assigned } = await store.queue.assignReady('support', Date.now(), 1 + (k % 3));
      if (assigned.length === 0) {
        await new Promise((res) => setTimeout(res, 1));
        continue;
      }
      for (const r of assigned) {
        order.push(r.ticket.id);
        assignedTimes.set(r.ticket.id, (assignedTimes.get(r.ticket.id) ?? 0) + 1);
        if (r.operatorLoad.active > r.operatorLoad.max) overCapacity++;
        // The operator ends the chat soon, over another connection: a slot frees for the others.
        const ender = stores[(k + 1) % CLIENTS] as DeskStore;
        setTimeout(
          () =>
            void ender.sessions.endSession(r.ticket.id, 'support', 'operator-ended', Date.now(), r.ticket.operator).then(() => {
              ends++;
            }),
          2,
        );
      }
    }
  }
  await Promise.all(Array.from({ length: 40 }, (_, k) => loop(stores[k % CLIENTS] as DeskStore, k)));
  await new Promise((res) => setTimeout(res, 50));

  expect(overCapacity).toBe(0);
  expect([...assignedTimes.values()].every((n) => n === 1)).toBe(true);
  expect(assignedTimes.size).toBe(CUSTOMERS);
  expect(ends).toBe(CUSTOMERS);
  // Everyone was served (replies from different connections arrive in any order, so no FCFS check here;
  // desk-aggregates.test.ts checks that a round always takes the head).
  expect([...order].sort((a, b) => a - b)).toEqual(tickets);
  expect(await setup.queue.queue('support')).toEqual([]);
  for (const jid of OPERATORS) {
    const [load] = await setup.operators.operatorLoads([jid], () => CAPACITY);
    expect(load?.active).toBe(0);
    expect(await setup.operators.operatorTickets(jid)).toEqual([]);
  }
  expect(await setup.redis.zcard(setup.keys.deskReady('support'))).toBe(OPERATORS.length);
});
