/**
 * Closing time with desks[].hours.atClosing 'offline' (issue 17), in-process with an injected clock:
 * a customer still waiting at closing is told the desk has closed (body and <status state='ended'
 * reason='closed'/>), everything they wrote becomes an offline message in !tickets, answered by
 * !reply; the active chat goes on; a later tick tells nobody twice.
 */
import { describe, expect, it } from 'vitest';
import { NS_DESK } from '../../component/protocol/namespaces.js';
import { ALICE, CUSTOMER, SUPPORT, bodyOf, isTo, message, presence, useDesk } from './desk-harness.js';

const desks = useDesk();
const day = [{ start: '09:00', end: '18:00' }];
const config = (atClosing?: string) => ({
  desks: [
    { id: 'support', name: 'Support', hours: { timeZone: 'Europe/Berlin', weekly: { mon: day }, ...(atClosing ? { atClosing } : {}) } },
    { id: 'sales', name: 'Sales' },
  ],
  operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], maxChats: 1 }],
});
const MEI = 'mei@example.org/x';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('closing time, in-process with an injected clock', () => {
  it("atClosing 'offline': the waiting customer is told and their whole question becomes an offline message, once", async () => {
    let now = Date.parse('2026-01-12T16:59:00Z'); // Monday 17:59 in Berlin
    const d = desks.open(config('offline'), { now: () => now });
    d.receive(presence(ALICE, SUPPORT));
    await d.desk.tick();
    d.receive(message(CUSTOMER, SUPPORT, 'first'));
    const intro = await d.next(isTo('alice@localhost', /New chat — ticket #1/), 'the first intro');
    d.receive(message(MEI, SUPPORT, 'Where is my parcel?'));
    await d.next(isTo(MEI, /ticket is #2/), 'the second queued');
    d.receive(message(MEI, SUPPORT, 'Order 4711, sent last week.'));
    await pause(100);

    now = Date.parse('2026-01-12T17:00:00Z'); // 18:00: closed
    await d.desk.tick();
    const notice = await d.next(isTo(MEI, /closed/), 'the closing notice');
    expect(notice.attrs.from).toBe(SUPPORT);
    expect(bodyOf(notice)).toBe('Support has closed for today. Your question is kept as #2; an operator will answer it here.');
    expect(notice.getChild('status', NS_DESK)?.attrs).toMatchObject({ ticket: '2', state: 'ended', reason: 'closed' });
    expect((await d.store.sessions.ticket(2))?.state).toBe('offline');
    expect((await d.store.sessions.ticket(1))?.state).toBe('active'); // the chat goes on
    await pause(100); // the report facts are counted after the transition
    const [row] = (await d.desk.reports.report('admin', { from: '2026-01-12', to: '2026-01-12', desk: 'support', by: 'day' })).rows;
    expect(row).toMatchObject({ requested: 2, served: 1, abandoned: 1, stillWaiting: 0 }); // the figures still reconcile

    await d.desk.tick();
    await pause(100);
    expect(d.sent.filter(isTo(MEI, /closed/))).toEqual([]); // told once (next() took the first)
    expect(d.sent.filter(isTo(CUSTOMER, /closed/))).toEqual([]);

    d.receive(message(ALICE, SUPPORT, '!tickets'));
    const list = bodyOf(await d.next(isTo(ALICE, /#2/), 'the offline list'));
    expect(list).toContain('Where is my parcel?');
    expect(list).toContain('Order 4711');
    d.receive(message(ALICE, SUPPORT, '!reply 2 It arrives tomorrow.'));
    expect(bodyOf(await d.next(isTo(MEI, /arrives tomorrow/), 'the reply'))).toContain('#2');
    d.receive(message(ALICE, String(intro.attrs.from), '!end'));
    await pause(100);
    expect(d.sent.filter(isTo('alice@localhost', /New chat — ticket #2/))).toEqual([]); // nobody left to serve
  });

  it("the default ('serve') keeps the waiting customer in line", async () => {
    let now = Date.parse('2026-01-12T16:59:00Z');
    const d = desks.open(config(), { now: () => now });
    d.receive(presence(ALICE, SUPPORT));
    await d.desk.tick();
    d.receive(message(CUSTOMER, SUPPORT, 'first'));
    await d.next(isTo('alice@localhost', /New chat — ticket #1/), 'the first intro');
    d.receive(message(MEI, SUPPORT, 'second'));
    await d.next(isTo(MEI, /ticket is #2/), 'queued');
    now = Date.parse('2026-01-12T17:00:00Z');
    await d.desk.tick();
    await pause(100);
    expect(d.sent.filter(isTo(MEI, /closed/))).toEqual([]);
    expect((await d.store.sessions.ticket(2))?.state).toBe('waiting');
  });
});
