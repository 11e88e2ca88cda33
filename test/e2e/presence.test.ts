/**
 * Issue #2 end to end: presence drives routing (away takes no one, resources aggregate,
 * offline → grace → head of the queue), the desk's own presence and /api/status follow,
 * waiting customers get position updates and leave by going unavailable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { isIntro } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import type { TestClient } from '../support/clients.js';

const deskPresence = (show: string | RegExp) => (el: Element) =>
  el.name === 'presence' &&
  el.attrs.from === SUPPORT &&
  el.attrs.type === undefined &&
  (typeof show === 'string' ? (el.getChildText('show') ?? 'available') === show : show.test(el.getChildText('status') ?? ''));
const show = (c: TestClient, value?: string) => c.send(value ? xml('presence', {}, xml('show', {}, value)) : xml('presence'));

describe('presence drives routing', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      operators: [
        { user: 'alice', name: 'Alice', maxChats: 1 },
        { user: 'bob', name: 'Bob' },
      ],
    });
  });
  afterAll(async () => stack?.stop());

  it('publishes the desk state to operators, customers and the portal as it changes', async () => {
    expect((await stack.status()).desks.find((d) => d.desk === 'support')).toMatchObject({ mode: 'closed', show: 'xa' });
    const watcher = await stack.customer();
    await watcher.send(xml('presence', { to: SUPPORT })); // directed presence: follow the desk
    await watcher.next(deskPresence('xa'), 'closed desk presence');

    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    await watcher.next(deskPresence('chat'), 'open presence to the watcher');
    expect((await stack.status()).desks.find((d) => d.desk === 'support')).toMatchObject({ mode: 'open', show: 'chat' });

    const c1 = await stack.customer();
    await c1.say(SUPPORT, 'first');
    await alice.next(isIntro, 'intro');
    await watcher.next(deskPresence(/All operators busy — 0 waiting/), 'busy: alice is full');
    const c2 = await stack.customer();
    await c2.say(SUPPORT, 'second');
    const busy = await watcher.next(deskPresence(/All operators busy — 1 waiting, about \d+ min/), 'busy presence');
    expect(busy.getChildText('show')).toBe('away');
    const queue = busy.getChild('queue', 'urn:madoguchi:desk:0')?.attrs;
    expect(queue).toMatchObject({ mode: 'busy', waiting: '1', operators: '1', free: '0' });
    expect(Number(queue?.['wait-minutes'])).toBeGreaterThan(0);
    expect((await stack.status()).desks.find((d) => d.desk === 'support')).toMatchObject({ mode: 'busy', waiting: 1 });

    // The waiting customer leaves (goes unavailable): the queue empties.
    await c2.stop();
    await watcher.next(deskPresence(/All operators busy — 0 waiting/), 'busy, nobody waiting');
    expect((await stack.status()).desks.find((d) => d.desk === 'support')?.waiting).toBe(0);
    await c1.stop();
    await alice.next((el) => el.name === 'message' && /The customer left/.test(el.getChildText('body') ?? ''), 'customer left notice');
    await watcher.next(deskPresence('chat'), 'open again');
    await alice.stop();
    await watcher.next(deskPresence('xa'), 'closed again');
  });

  it('gives no new customer to an away operator, aggregates resources, answers probes', async () => {
    const bobPhone = await stack.operator('bob', 'phone', 'away');
    await bobPhone.subscribeTo(SUPPORT);
    const bobLaptop = await stack.operator('bob', 'laptop', 'dnd');
    await bobLaptop.send(xml('presence', { to: SUPPORT }, xml('show', {}, 'dnd'))); // directed presence also signs in
    await bobLaptop.next(
      (el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.getChildText('show') === 'away',
      'busy desk (nobody available)',
    );

    const c = await stack.customer();
    await c.say(SUPPORT, 'help please');
    await c.message(SUPPORT, 'You are number 1 in line');
    await bobPhone.none(isIntro, 'assignment while away', 800);

    await show(bobLaptop); // one resource available: bob takes customers
    const intro = await bobPhone.next(isIntro, 'intro once available');
    expect(intro.getChildText('body')).toContain('help please');
    await c.message(`${SUPPORT}/Bob`, 'Bob has joined');

    // A probe (what a server sends after a restart) gets the current desk presence.
    await bobLaptop.send(xml('presence', { to: SUPPORT, type: 'probe' }));
    await bobLaptop.next((el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.attrs.type === undefined, 'probe answer');
    await Promise.all([bobPhone.stop(), bobLaptop.stop(), c.stop()]);
  });

  it("requeues an offline operator's customer at the head after the grace period", async () => {
    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    const first = await stack.customer();
    await first.say(SUPPORT, 'I was first');
    const intro = await alice.next(isIntro, 'intro');
    const second = await stack.customer();
    await second.say(SUPPORT, 'I am second');
    await second.message(SUPPORT, 'You are number 1 in line');
    await alice.stop(); // all resources offline: grace (2 s in tests), then requeue
    const notice = await first.message(SUPPORT, 'back at the head of the line', 8000);
    expect(notice.getChildText('body')).toContain('Your operator was disconnected');
    await second.message(SUPPORT, 'you are now number 2 in line');
    expect(intro.attrs.from).toMatch(/^t\d+-/);

    const bob = await stack.operator('bob');
    await bob.subscribeTo(SUPPORT);
    const first2 = await bob.next(isIntro, 'requeued customer first');
    expect(first2.getChildText('body')).toMatch(/from Customer #\d+/);
    expect(first2.attrs.from).toBe(intro.attrs.from); // same masked JID for the same ticket
    await first.message(`${SUPPORT}/Bob`, 'Bob has joined');
    const next = await bob.next(isIntro, 'second customer next');
    expect(next.getChildText('body')).toContain('I am second');
    await Promise.all([bob.stop(), first.stop(), second.stop()]);
  });

  it('tells waiting customers their new position when it changes', async () => {
    const waiting: TestClient[] = [];
    for (const n of [1, 2, 3]) {
      const c = await stack.customer();
      await c.send(xml('presence', { to: SUPPORT }));
      await c.say(SUPPORT, `waiting ${n}`);
      await c.message(SUPPORT, `You are number ${n} in line`);
      waiting.push(c);
    }
    await waiting[0]!.send(xml('presence', { to: SUPPORT, type: 'unavailable' }));
    await waiting[1]!.message(SUPPORT, 'you are now number 1 in line');
    await waiting[2]!.message(SUPPORT, 'you are now number 2 in line');
    await waiting[2]!.none(
      (el) => el.name === 'message' && /now number/.test(el.getChildText('body') ?? ''),
      'a second, redundant update',
      500,
    );
  });
});
