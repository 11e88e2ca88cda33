/**
 * Business hours in-process (issue 17), with an injected clock: outside hours the desk is closed
 * although Alice is online, a customer's message is kept as an offline message (not queued), the
 * desk's presence says when it opens, and it flips at opening; `!closed on|off` switches it.
 */
import { describe, expect, it } from 'vitest';
import { NS_DESK } from '../../component/protocol/namespaces.js';
import type { Element } from '../../component/protocol/xml.js';
import { ALICE, CUSTOMER, SUPPORT, bodyOf, isTo, message, presence, useDesk } from './desk-harness.js';

const desks = useDesk();
const day = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const hours = { timeZone: 'Europe/Berlin', weekly: { mon: day, tue: day, wed: day, thu: day, fri: day } };
const SATURDAY = Date.parse('2026-01-10T10:00:00Z');
const MONDAY_OPENING = '2026-01-12T08:00:00.000Z'; // 09:00 in Berlin
const withHours = (role = 'operator', maxChats = 2) => ({
  desks: [
    { id: 'support', name: 'Support', hours },
    { id: 'sales', name: 'Sales' },
  ],
  operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], maxChats, role }],
});
const WATCHER = 'kenji@example.jp/laptop';
const isPresenceTo = (to: string) => (el: Element) => el.name === 'presence' && el.attrs.to === to;
const queueOf = (p: Element) => p.getChild('queue', NS_DESK)?.attrs ?? {};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('business hours, in-process with an injected clock', () => {
  it('outside hours: closed with Alice online, the message is kept for !reply, nothing reaches Alice', async () => {
    let now = SATURDAY;
    const d = desks.open(withHours(), { now: () => now });
    d.receive(presence(ALICE, SUPPORT));
    d.receive(presence(WATCHER, SUPPORT));
    const shown = await d.next(isPresenceTo(WATCHER), 'the desk presence to a watcher');
    expect(shown.getChildText('show')).toBe('xa');
    expect(shown.getChildText('status')).toBe('Closed — opens Monday 09:00 (GMT+1)');
    expect(queueOf(shown)).toMatchObject({ mode: 'closed', opens: MONDAY_OPENING, operators: '1' });
    const [status] = await d.desk.deskStates();
    expect(status).toMatchObject({ desk: 'support', mode: 'closed', opensAt: MONDAY_OPENING });

    d.receive(message(CUSTOMER, SUPPORT, 'Is my order shipped?'));
    const reply = await d.next(isTo(CUSTOMER), 'the closed reply');
    expect(reply.attrs.from).toBe(SUPPORT);
    expect(bodyOf(reply)).toBe(
      'Sorry, Support is closed right now (Closed — opens Monday 09:00 (GMT+1)). Your message is kept as #1; an operator will answer it here.',
    );
    await pause(100);
    expect(d.sent.filter(isTo('alice@localhost')).map(bodyOf)).toEqual([]); // no new customer for Alice

    d.receive(message(ALICE, SUPPORT, '!tickets'));
    expect(bodyOf(await d.next(isTo(ALICE, /#1/), 'the offline list'))).toContain('Is my order shipped?');
    d.receive(message(ALICE, SUPPORT, '!reply 1 Yes, on Friday.'));
    expect(bodyOf(await d.next(isTo(CUSTOMER), 'the reply'))).toContain('Yes, on Friday.');

    // Monday 09:00 in Berlin: the tick flips the presence, and a new message joins the queue and reaches Alice.
    await d.desk.tick();
    await pause(50);
    const showsOpen = (el: Element) => isPresenceTo(WATCHER)(el) && el.getChildText('show') === 'chat';
    expect(d.sent.filter(showsOpen)).toEqual([]);
    now = Date.parse(MONDAY_OPENING);
    await d.desk.tick();
    const open = await d.next(showsOpen, 'the presence at opening');
    expect(queueOf(open).opens).toBeUndefined();
    d.receive(message(CUSTOMER, SUPPORT, 'One more question'));
    await d.next(isTo(CUSTOMER, /ticket is #2/), 'queued');
    await d.next(isTo('alice@localhost', /New chat — ticket #2/), 'the intro to Alice');
  });

  it('at closing time the queue is served to the end, and the presence flips to closed', async () => {
    let now = Date.parse('2026-01-12T16:59:00Z'); // Monday 17:59 in Berlin
    const d = desks.open(withHours('operator', 1), { now: () => now });
    d.receive(presence(ALICE, SUPPORT));
    d.receive(presence(WATCHER, SUPPORT));
    await d.next(isPresenceTo(WATCHER), 'the first presence');
    await d.desk.tick(); // the clock's first look
    d.receive(message(CUSTOMER, SUPPORT, 'first'));
    const intro = await d.next(isTo('alice@localhost', /New chat — ticket #1/), 'the first intro');
    d.receive(message('mei@example.org/x', SUPPORT, 'second'));
    await d.next(isTo('mei@example.org/x', /ticket is #2/), 'the second queued');

    await pause(1200); // the desk presence's throttle (1 s) has sent everything due before closing
    expect(d.sent.filter((el) => isPresenceTo(WATCHER)(el) && el.getChildText('show') === 'xa')).toEqual([]);
    now = Date.parse('2026-01-12T17:00:00Z'); // 18:00: closed
    await d.desk.tick();
    const closed = await d.next((el) => isPresenceTo(WATCHER)(el) && el.getChildText('show') === 'xa', 'the presence at closing');
    expect(closed.getChildText('status')).toBe('Closed — opens Tuesday 09:00 (GMT+1)');
    d.receive(message(ALICE, String(intro.attrs.from), '!end'));
    await d.next(isTo('alice@localhost', /New chat — ticket #2/), 'the waiting customer served after closing');
  });

  it('!closed on|off: a supervisor of the desk switches it, an operator may not, and it is kept in Redis', async () => {
    const now = Date.parse('2026-01-12T09:00:00Z'); // Monday 10:00: open by the hours
    const d = desks.open(withHours('supervisor'), { now: () => now });
    d.receive(presence(ALICE, SUPPORT));
    d.receive(message(ALICE, SUPPORT, '!closed on'));
    expect(bodyOf(await d.next(isTo(ALICE, /closed now/), 'the switch reply'))).toBe(
      'Support is closed now: new customers leave a message; waiting ones are still served.',
    );
    expect(await d.store.hours.closedNow(['support', 'sales'])).toEqual(new Set(['support']));
    d.receive(message(CUSTOMER, SUPPORT, 'Hello?'));
    expect(bodyOf(await d.next(isTo(CUSTOMER), 'the closed reply'))).toMatch(
      /^Sorry, Support is closed right now \(Closed\)\. Your message is kept as #1/,
    );
    d.receive(message(ALICE, SUPPORT, '!closed off'));
    expect(bodyOf(await d.next(isTo(ALICE, /Support/), 'the switch-off reply'))).toBe('Support is open again.');
    d.receive(message(CUSTOMER, SUPPORT, 'Hello again'));
    await d.next(isTo('alice@localhost', /New chat — ticket #2/), 'a new customer for Alice');
  });

  it('!closed needs a supervisor', async () => {
    const d = desks.open(withHours('operator'));
    d.receive(message(ALICE, SUPPORT, '!closed on'));
    expect(bodyOf(await d.next(isTo(ALICE), 'the refusal'))).toMatch(/supervisor/);
    expect(await d.store.hours.closedNow(['support'])).toEqual(new Set());
  });
});
