import { describe, expect, it } from 'vitest';
import { useFreshStore, enqueueCustomers, GRACE_MS, online } from './store-fixture.js';

const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';

const storeOf = useFreshStore();

describe('enqueue', () => {
  it('assigns increasing ticket ids and first-come first-served positions', async () => {
    const results = [];
    for (const c of ['c1', 'c2', 'c3']) {
      results.push(
        await storeOf().sessions.enqueue({
          desk: 'support',
          customer: `${c}@guest.localhost/web`,
          customerKey: `${c}@guest.localhost`,
          name: c,
          now: 1000,
          maskedSuffix: 'k7q3',
          firstMessage: '',
        }),
      );
    }
    expect(results).toEqual([
      { ticketId: 1, state: 'waiting', created: true, position: 1 },
      { ticketId: 2, state: 'waiting', created: true, position: 2 },
      { ticketId: 3, state: 'waiting', created: true, position: 3 },
    ]);
    expect(await storeOf().queue.queue('support')).toEqual([1, 2, 3]);
    expect(await storeOf().sessions.ticket(2)).toMatchObject({
      id: 2,
      desk: 'support',
      state: 'waiting',
      masked: 't2-k7q3',
      notifiedPosition: 2,
    });
    expect((await storeOf().sessions.ticketByMasked('t3-k7q3'))?.customerKey).toBe('c3@guest.localhost');
    expect(await storeOf().sessions.ticketIdOfCustomer('support', 'c1@guest.localhost')).toBe(1);
  });

  it('gives a customer who writes again the same ticket, with its current resource', async () => {
    await enqueueCustomers(storeOf(), 'support', 2);
    const again = await storeOf().sessions.enqueue({
      desk: 'support',
      customer: 'c2@guest.localhost/phone',
      customerKey: 'c2@guest.localhost',
      name: 'c2',
      now: 2000,
      maskedSuffix: 'zzzz',
      firstMessage: '<message/>',
    });
    expect(again).toEqual({ ticketId: 2, state: 'waiting', created: false, position: 2 });
    expect(await storeOf().queue.queue('support')).toEqual([1, 2]);
    expect((await storeOf().sessions.ticket(2))?.customer).toBe('c2@guest.localhost/phone');
    expect(await storeOf().sessions.buffered(2)).toEqual([]);
  });

  it('keeps the first message in the buffer', async () => {
    const r = await storeOf().sessions.enqueue({
      desk: 'sales',
      customer: 'x@guest.localhost/a',
      customerKey: 'x@guest.localhost',
      name: 'X',
      now: 1000,
      maskedSuffix: 'abcd',
      firstMessage: '<message><body>hi</body></message>',
    });
    expect(await storeOf().sessions.buffered(r.ticketId)).toEqual(['<message><body>hi</body></message>']);
  });
});

describe('customerMessage', () => {
  it('buffers in order while waiting, drops unkept payloads and reports full at the limit', async () => {
    const [id] = (await enqueueCustomers(storeOf(), 'support', 1)) as [number];
    expect(await storeOf().sessions.customerMessage('support', 'c1@guest.localhost', '', true)).toEqual({
      state: 'needs-payload',
      ticketId: id,
      operator: '',
      masked: 't1-abcd',
      monitors: [],
    });
    for (const m of ['m1', 'm2', 'm3'])
      expect(await storeOf().sessions.customerMessage('support', 'c1@guest.localhost', m, true)).toEqual({
        state: 'buffered',
        ticketId: id,
        operator: '',
        masked: 't1-abcd',
        monitors: [],
      });
    expect(await storeOf().sessions.customerMessage('support', 'c1@guest.localhost', '', false)).toEqual({
      state: 'dropped',
      ticketId: id,
      operator: '',
      masked: 't1-abcd',
      monitors: [],
    });
    for (const m of ['m4', 'm5'])
      expect((await storeOf().sessions.customerMessage('support', 'c1@guest.localhost', m, true)).state).toBe('buffered');
    expect((await storeOf().sessions.customerMessage('support', 'c1@guest.localhost', 'm6', true)).state).toBe('full');
    expect(await storeOf().sessions.buffered(id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('routes once the ticket is active, and knows no missing ticket', async () => {
    const [id] = (await enqueueCustomers(storeOf(), 'support', 1)) as [number];
    await online(storeOf(), ALICE, 2);
    expect((await storeOf().sessions.assignNext('support', id, ALICE, 2000)).ok).toBe(true);
    expect(await storeOf().sessions.customerMessage('support', 'c1@guest.localhost', '', true)).toEqual({
      state: 'active',
      ticketId: id,
      operator: ALICE,
      masked: 't1-abcd',
      monitors: [],
    });
    expect(await storeOf().sessions.buffered(id)).toEqual([]);
    expect((await storeOf().sessions.customerMessage('support', 'nobody@guest.localhost', 'm1', true)).state).toBe('missing');
  });
});

describe('assignNext', () => {
  it('refuses when the expected head is not the head', async () => {
    await enqueueCustomers(storeOf(), 'support', 2);
    await online(storeOf(), ALICE, 2);
    expect(await storeOf().sessions.assignNext('support', 2, ALICE, 2000)).toEqual({ ok: false, failure: 'headChanged' });
    expect(await storeOf().sessions.assignNext('sales', 1, ALICE, 2000)).toEqual({ ok: false, failure: 'headChanged' });
    expect(await storeOf().queue.queue('support')).toEqual([1, 2]);
  });

  it('refuses an operator who is unknown, away or offline', async () => {
    await enqueueCustomers(storeOf(), 'support', 1);
    expect(await storeOf().sessions.assignNext('support', 1, ALICE, 2000)).toEqual({ ok: false, failure: 'operatorUnavailable' });
    await online(storeOf(), ALICE, 2, 'away');
    expect(await storeOf().sessions.assignNext('support', 1, ALICE, 2000)).toEqual({ ok: false, failure: 'operatorUnavailable' });
    await storeOf().operators.operatorPresence(ALICE, '', '', 2000, GRACE_MS, 2);
    expect(await storeOf().sessions.assignNext('support', 1, ALICE, 2000)).toEqual({ ok: false, failure: 'operatorUnavailable' });
  });

  it('refuses an operator who is full', async () => {
    await enqueueCustomers(storeOf(), 'support', 2);
    await online(storeOf(), ALICE, 1, 'chat');
    expect((await storeOf().sessions.assignNext('support', 1, ALICE, 2000)).ok).toBe(true);
    expect(await storeOf().sessions.assignNext('support', 2, ALICE, 2000)).toEqual({ ok: false, failure: 'operatorFull' });
    expect(await storeOf().queue.queue('support')).toEqual([2]);
  });

  it('assigns the head, updates the load and hands over the buffer in order', async () => {
    const [id] = (await enqueueCustomers(storeOf(), 'support', 2)) as [number];
    await storeOf().sessions.customerMessage('support', 'c1@guest.localhost', 'm1', true);
    await storeOf().sessions.customerMessage('support', 'c1@guest.localhost', 'm2', true);
    await online(storeOf(), ALICE, 2);
    const outcome = await storeOf().sessions.assignNext('support', id, ALICE, 5000);
    expect(outcome).toEqual({
      ok: true,
      buffered: ['m1', 'm2'],
      ticket: {
        id: 1,
        desk: 'support',
        customer: 'c1@guest.localhost/web',
        customerKey: 'c1@guest.localhost',
        name: 'Customer 1',
        state: 'active',
        operator: ALICE,
        masked: 't1-abcd',
        createdAt: 1000,
        assignedAt: 5000,
        notifiedPosition: 1,
        firstWords: '',
        queueDesk: '',
        rating: 0,
        ratingComment: '',
        endedAt: 0,
        answeredAt: 0,
        firstResponseAt: 0,
        detachedAt: 0,
        summary: '',
      },
    });
    expect(await storeOf().queue.queue('support')).toEqual([2]);
    expect(await storeOf().operators.operatorTickets(ALICE)).toEqual([1]);
    expect(await storeOf().operators.operatorLoads([ALICE], () => 3)).toEqual([
      { jid: ALICE, status: 'available', active: 1, max: 2, idleSince: 5000 },
    ]);
    expect(await storeOf().sessions.pendingAnnouncements()).toEqual([1]);
    await storeOf().sessions.markAnnounced(1);
    expect(await storeOf().sessions.pendingAnnouncements()).toEqual([]);
    expect(await storeOf().sessions.buffered(1)).toEqual([]);
  });
});

describe('operatorPresence', () => {
  it('aggregates resources: the most available wins; each change says since when the previous status held', async () => {
    expect(await online(storeOf(), ALICE, 2, 'away', 'phone')).toEqual({ previous: 'offline', current: 'away', active: 0 });
    expect(await online(storeOf(), ALICE, 2, 'available', 'laptop', 1500)).toEqual({
      previous: 'away',
      current: 'available',
      active: 0,
      since: 1000,
    });
    expect(await online(storeOf(), ALICE, 2, 'away', 'phone', 2000)).toEqual({
      previous: 'available',
      current: 'available',
      active: 0,
      since: 1500, // unchanged: still since 1500
    });
    expect(await storeOf().operators.operatorPresence(ALICE, 'laptop', '', 3000, GRACE_MS, 2)).toEqual({
      previous: 'available',
      current: 'away',
      active: 0,
      since: 1500, // not 2000: the phone's change at 2000 left the aggregate as it was
    });
    expect(await storeOf().operators.presenceSince([ALICE])).toEqual([{ jid: ALICE, status: 'away', since: 3000 }]);
    expect(await storeOf().operators.operatorPresence(ALICE, 'phone', '', 4000, GRACE_MS, 2)).toEqual({
      previous: 'away',
      current: 'offline',
      active: 0,
      since: 3000,
    });
    expect(await storeOf().operators.operatorsPastGrace(Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('starts the grace period for an operator with chats and cancels it on return', async () => {
    await enqueueCustomers(storeOf(), 'support', 1);
    await online(storeOf(), ALICE, 2);
    await storeOf().sessions.assignNext('support', 1, ALICE, 2000);
    expect(await storeOf().operators.operatorPresence(ALICE, '', '', 10_000, GRACE_MS, 2)).toEqual({
      previous: 'available',
      current: 'offline',
      active: 1,
      since: 1000,
    });
    expect(await storeOf().operators.operatorsPastGrace(10_000 + GRACE_MS - 1)).toEqual([]);
    expect(await storeOf().operators.operatorsPastGrace(10_000 + GRACE_MS)).toEqual([ALICE]);
    await online(storeOf(), ALICE, 2, 'dnd', 'phone', 20_000);
    expect(await storeOf().operators.operatorsPastGrace(Number.MAX_SAFE_INTEGER)).toEqual([]);
  });
});

describe('requeueOperator', () => {
  it("puts the operator's tickets back at the head of their queues, oldest first", async () => {
    await enqueueCustomers(storeOf(), 'support', 3); // 1, 2, 3
    await enqueueCustomers(storeOf(), 'sales', 1, 1000, 4); // 4
    await online(storeOf(), ALICE, 3);
    await storeOf().sessions.assignNext('support', 1, ALICE, 2000);
    await storeOf().sessions.assignNext('support', 2, ALICE, 2000);
    await storeOf().sessions.assignNext('sales', 4, ALICE, 2000);
    await enqueueCustomers(storeOf(), 'support', 1, 3000, 5); // 5 joins behind 3
    await enqueueCustomers(storeOf(), 'sales', 1, 3000, 6); // 6
    await storeOf().operators.operatorPresence(ALICE, '', '', 4000, GRACE_MS, 3);

    const requeued = await storeOf().operators.requeueOperator(ALICE, 4000 + GRACE_MS);
    expect([...requeued].sort((a, b) => a.ticketId - b.ticketId)).toEqual([
      { ticketId: 1, desk: 'support' },
      { ticketId: 2, desk: 'support' },
      { ticketId: 4, desk: 'sales' },
    ]);
    expect(await storeOf().queue.queue('support')).toEqual([1, 2, 3, 5]);
    expect(await storeOf().queue.queue('sales')).toEqual([4, 6]);
    expect(await storeOf().sessions.ticket(1)).toMatchObject({ state: 'waiting', operator: '', notifiedPosition: 0 });
    expect(await storeOf().operators.operatorTickets(ALICE)).toEqual([]);
    expect((await storeOf().operators.operatorLoads([ALICE], () => 3))[0]).toMatchObject({ status: 'offline', active: 0 });
    expect(await storeOf().operators.operatorsPastGrace(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(await storeOf().sessions.pendingAnnouncements()).toEqual([]);
  });

  it('does nothing when the operator came back online', async () => {
    await enqueueCustomers(storeOf(), 'support', 2);
    await online(storeOf(), ALICE, 2);
    await storeOf().sessions.assignNext('support', 1, ALICE, 2000);
    await storeOf().operators.operatorPresence(ALICE, '', '', 3000, GRACE_MS, 2);
    await online(storeOf(), ALICE, 2, 'available', 'desk', 4000);
    expect(await storeOf().operators.requeueOperator(ALICE, 4000 + GRACE_MS)).toEqual([]);
    expect(await storeOf().queue.queue('support')).toEqual([2]);
    expect(await storeOf().operators.operatorTickets(ALICE)).toEqual([1]);
    expect((await storeOf().operators.operatorLoads([ALICE], () => 2))[0]).toMatchObject({ status: 'available', active: 1 });
  });
});

describe('endSession', () => {
  async function activeTicket(): Promise<number> {
    const [id] = (await enqueueCustomers(storeOf(), 'support', 1)) as [number];
    await online(storeOf(), ALICE, 2);
    expect((await storeOf().sessions.assignNext('support', id, ALICE, 1000)).ok).toBe(true);
    return id;
  }

  it('frees the slot, feeds the average handle time and forgets the customer', async () => {
    const id = await activeTicket();
    const r = await storeOf().sessions.endSession(id, 'support', 'operator-ended', 61_000, ALICE);
    expect(r).toMatchObject({ ok: true, previousState: 'active', ticket: { id, state: 'active', operator: ALICE } });
    expect((await storeOf().operators.operatorLoads([ALICE], () => 2))[0]).toMatchObject({ active: 0, idleSince: 61_000 });
    expect(await storeOf().operators.operatorTickets(ALICE)).toEqual([]);
    // 300 000 + 0.2 × (60 000 − 300 000)
    expect(await storeOf().queue.avgHandleMs('support')).toBe(252_000);
    expect(await storeOf().sessions.ticketIdOfCustomer('support', 'c1@guest.localhost')).toBeUndefined();
    expect(await storeOf().sessions.ticket(id)).toMatchObject({ state: 'ended' });
    expect(await storeOf().redis.hget(storeOf().keys.ticket(id), 'endReason')).toBe('operator-ended');
    const ttl = await storeOf().redis.ttl(storeOf().keys.ticket(id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(
      (
        await storeOf().sessions.enqueue({
          desk: 'support',
          customer: 'c1@guest.localhost/web',
          customerKey: 'c1@guest.localhost',
          name: 'c1',
          now: 70_000,
          maskedSuffix: 'abcd',
          firstMessage: '',
        })
      ).created,
    ).toBe(true);
  });

  it("refuses another operator's session and a session already ended", async () => {
    const id = await activeTicket();
    expect(await storeOf().sessions.endSession(id, 'support', 'operator-ended', 5000, BOB)).toEqual({ ok: false, failure: 'notYours' });
    expect((await storeOf().sessions.ticket(id))?.state).toBe('active');
    expect((await storeOf().sessions.endSession(id, 'support', 'customer-left', 5000)).ok).toBe(true);
    expect(await storeOf().sessions.endSession(id, 'support', 'customer-left', 6000)).toEqual({ ok: false, failure: 'alreadyEnded' });
    expect((await storeOf().operators.operatorLoads([ALICE], () => 2))[0]?.active).toBe(0);
    expect(await storeOf().sessions.endSession(999, 'support', 'x', 6000)).toEqual({ ok: false, failure: 'ticketMissing' });
  });

  it('takes a waiting ticket out of the queue without touching the average', async () => {
    await enqueueCustomers(storeOf(), 'support', 3);
    expect(await storeOf().sessions.endSession(2, 'support', 'customer-left', 5000)).toMatchObject({ ok: true, previousState: 'waiting' });
    expect(await storeOf().queue.queue('support')).toEqual([1, 3]);
    expect(await storeOf().queue.avgHandleMs('support')).toBe(300_000);
  });
});
