/** The operator-toolkit transitions against a real Redis: pick, transfer, requeue to a desk. */
import { describe, expect, it } from 'vitest';
import { useFreshStore, enqueueCustomers, online } from './store-fixture.js';

const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';

const storeOf = useFreshStore();

describe('pick', () => {
  it('takes a ticket from the middle of the queue, within capacity', async () => {
    const [, second, third] = (await enqueueCustomers(storeOf(), 'support', 3)) as [number, number, number];
    await online(storeOf(), ALICE, 1);
    const picked = await storeOf().sessions.assignNext('support', second, ALICE, 2000, 'pick');
    expect(picked.ok && picked.ticket.id).toBe(second);
    expect(await storeOf().queue.queue('support')).toEqual([1, third]);
    expect(await storeOf().sessions.assignNext('support', third, ALICE, 2000, 'pick')).toEqual({ ok: false, failure: 'operatorFull' });
    expect(await storeOf().sessions.assignNext('support', 99, ALICE, 2000, 'pick')).toEqual({ ok: false, failure: 'headChanged' });
  });
});

describe('transfer', () => {
  async function activeWithAlice() {
    const [id] = (await enqueueCustomers(storeOf(), 'support', 1)) as [number];
    await online(storeOf(), ALICE, 2);
    const r = await storeOf().sessions.assignNext('support', id, ALICE, 2000);
    if (!r.ok) throw new Error('setup failed');
    return id;
  }

  it('moves the chat and the load to an operator with room', async () => {
    const id = await activeWithAlice();
    await online(storeOf(), BOB, 1);
    const r = await storeOf().operators.transfer(id, ALICE, BOB, 3000);
    expect(r.ok && r.ticket.operator).toBe(BOB);
    const loads = await storeOf().operators.operatorLoads([ALICE, BOB], () => 3);
    expect(loads.map((l) => [l.jid, l.active])).toEqual([
      [ALICE, 0],
      [BOB, 1],
    ]);
    expect(await storeOf().operators.operatorTickets(BOB)).toEqual([id]);
    expect(await storeOf().operators.operatorTickets(ALICE)).toEqual([]);
  });

  it("refuses a full, away or same target and a chat that is not the sender's", async () => {
    const id = await activeWithAlice();
    await online(storeOf(), BOB, 1, 'away');
    expect(await storeOf().operators.transfer(id, ALICE, BOB, 3000)).toEqual({ ok: false, failure: 'operatorUnavailable' });
    await online(storeOf(), BOB, 1, 'available');
    const [other] = (await enqueueCustomers(storeOf(), 'support', 1, 1000, 2)) as [number];
    await storeOf().sessions.assignNext('support', other, BOB, 2500);
    expect(await storeOf().operators.transfer(id, ALICE, BOB, 3000)).toEqual({ ok: false, failure: 'operatorFull' });
    expect(await storeOf().operators.transfer(id, ALICE, ALICE, 3000)).toEqual({ ok: false, failure: 'sameOperator' });
    expect(await storeOf().operators.transfer(id, BOB, ALICE, 3000)).toEqual({ ok: false, failure: 'notYours' });
    expect((await storeOf().operators.operatorLoads([ALICE], () => 3))[0]?.active).toBe(1);
  });

  it("sends a chat back to the head of another desk's queue, and ending it there cleans that queue", async () => {
    const id = await activeWithAlice();
    await enqueueCustomers(storeOf(), 'sales', 1, 1000, 5);
    const r = await storeOf().operators.requeueTicket(id, ALICE, 'sales', 3000);
    expect(r.ok && r.ticket.state).toBe('waiting');
    expect(r.ok && r.ticket.queueDesk).toBe('sales');
    expect((await storeOf().queue.queue('sales'))[0]).toBe(id);
    expect((await storeOf().operators.operatorLoads([ALICE], () => 3))[0]?.active).toBe(0);
    const ended = await storeOf().sessions.endSession(id, 'support', 'customer-left', 4000);
    expect(ended.ok).toBe(true);
    expect(await storeOf().queue.queue('sales')).not.toContain(id);
  });
});
