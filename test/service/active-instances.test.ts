/**
 * Several active instances over one Redis (issue 19 §3), in-process: two desks (component/desk.ts)
 * share a key prefix, each with its leader lease and its signals as app.ts wires them, and one
 * injected clock. The time-driven work runs once (a grace period expires once, one liveness round),
 * the desk's presence goes out once per change and from the leader only, a leader that stops
 * renewing is replaced after its lease, and a sneak-peek draft typed through one is seen by the other.
 */
import { describe, expect, it } from 'vitest';
import { NS_RTT } from '../../component/protocol/namespaces.js';
import { xml, type Element } from '../../component/protocol/xml.js';
import { freshPrefix } from '../support/redis.js';
import { ALICE, CUSTOMER, SUPPORT, bodyOf, isTo, message, presence, useDesk, type DeskUnderTest } from './desk-harness.js';

const desks = useDesk();
const LEASE_MS = 3000;
const SECOND = 'mika@example.net/tablet';
const WATCHER = 'kenji@example.jp/laptop';
const CONFIG = {
  routing: { positionUpdateMs: 20, graceSeconds: 60, livenessSeconds: 30, customerGraceSeconds: 120 },
  operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], maxChats: 1, role: 'supervisor' }],
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isPing = (el: Element) => el.name === 'iq' && String(el.attrs.id).startsWith('live-');
const isPresenceTo = (to: string) => (el: Element) => el.name === 'presence' && el.attrs.to === to;

async function twoInstances() {
  let t = Date.now();
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const instance = { prefix: freshPrefix(), leaseMs: LEASE_MS };
  const a = desks.open(CONFIG, { now: clock.now, instance });
  const b = desks.open(CONFIG, { now: clock.now, instance });
  await Promise.all([a.listening, b.listening]);
  await a.desk.tick(); // a takes the lease first
  await b.desk.tick();
  return { a, b, clock };
}
/** Both instances tick, as their timers would, `n` times. */
async function tickBoth(a: DeskUnderTest, b: DeskUnderTest, n = 3) {
  for (let i = 0; i < n; i++) await Promise.all([a.desk.tick(), b.desk.tick()]);
  await pause(60); // coalesced sends (positions, presence) leave
}
const all = (a: DeskUnderTest, b: DeskUnderTest) => [...a.sent, ...b.sent];

describe('several active instances over one Redis (issue 19 §3)', () => {
  it('one leader: a grace period expires once, one liveness round pings each customer once', async () => {
    const { a, b, clock } = await twoInstances();
    expect([a.desk.leads(), b.desk.leads()]).toEqual([true, false]);
    a.receive(presence(ALICE, SUPPORT));
    a.receive(message(CUSTOMER, SUPPORT, 'my printer'));
    await a.next(isTo('alice@localhost', /New chat — ticket #1/), 'the intro to Alice');
    b.receive(message(SECOND, SUPPORT, 'me too'));
    await b.next(isTo(SECOND, /ticket is #2/), 'the second customer queued');

    // A liveness round: each waiting or chatting customer gets one ping, from one instance.
    clock.advance(30_000);
    await tickBoth(a, b);
    const pings = all(a, b).filter(isPing);
    expect(pings.map((p) => p.attrs.to).sort()).toEqual([CUSTOMER, SECOND].sort());
    expect(b.sent.filter(isPing)).toEqual([]);

    // Alice goes offline through b; her grace period runs out: requeued once, told once.
    b.receive(xml('presence', { from: ALICE, to: SUPPORT, type: 'unavailable' }));
    await pause(50);
    clock.advance(61_000);
    await tickBoth(a, b);
    expect(all(a, b).filter(isTo(CUSTOMER, /back at the head of the line/))).toHaveLength(1);
    expect(all(a, b).filter(isTo('alice@localhost', /went back to the queue/))).toHaveLength(1);
    expect(await a.store.queue.queue('support')).toEqual([1, 2]);
  });

  it('the desk presence goes out once per change, from the leader, also when the other instance noticed it', async () => {
    const { a, b } = await twoInstances();
    b.receive(presence(WATCHER, SUPPORT)); // the watcher's directed presence is answered where it arrived
    await b.next(isPresenceTo(WATCHER), 'the answer to the directed presence');
    await pause(1100); // past the leader's once-a-second throttle

    // Alice comes online through b: b noticed, the leader a publishes, once.
    b.receive(presence(ALICE, SUPPORT));
    const open = await a.next(isPresenceTo(WATCHER), 'the desk open, from the leader');
    expect(open.getChildText('show')).toBe('chat');
    await pause(1100);
    expect(all(a, b).filter(isPresenceTo(WATCHER))).toEqual([]);

    // A supervisor closes the desk now: both instances' clocks see it; one presence goes out.
    await a.store.hours.setClosedNow('support', true, 'alice@localhost', Date.now());
    await tickBoth(a, b, 2);
    const closed = await a.next(isPresenceTo(WATCHER), 'the desk closed');
    expect(closed.getChildText('show')).toBe('xa');
    await pause(1100);
    await tickBoth(a, b, 2);
    expect(all(a, b).filter(isPresenceTo(WATCHER))).toEqual([]);
  });

  it('a queue change noticed by the other instance: each waiting customer hears their new place once', async () => {
    const { a, b } = await twoInstances();
    for (const [i, c] of ['c1@example.org/x', 'c2@example.org/x', 'c3@example.org/x'].entries()) {
      b.receive(message(c, SUPPORT, `question ${i}`));
      await b.next(isTo(c, /ticket is #/), `${c} queued`);
    }
    await pause(100);
    a.sent.length = 0;
    b.sent.length = 0;
    b.receive(xml('presence', { from: 'c1@example.org/x', to: SUPPORT, type: 'unavailable' })); // the first leaves
    await a.next(isTo('c2@example.org/x', /number 1 in line/), 'c2 is now first, told by the leader');
    await pause(300);
    const told = all(a, b).filter((el) => el.name === 'message' && /in line/.test(bodyOf(el)));
    expect(told.map((el) => [el.attrs.to, bodyOf(el).match(/number \d+/)?.[0]])).toEqual([['c3@example.org/x', 'number 2']]);
    expect(b.sent.filter((el) => el.name === 'message' && /in line/.test(bodyOf(el)))).toEqual([]);
  });

  it('a leader that stops renewing is replaced once its lease has run out; it then runs nothing', async () => {
    const { a, b, clock } = await twoInstances();
    a.receive(presence(ALICE, SUPPORT));
    a.receive(message(CUSTOMER, SUPPORT, 'hello'));
    await a.next(isTo('alice@localhost', /New chat/), 'the intro');

    // a stalls (no tick). Within the lease b waits; once it has run out b takes over at its next tick.
    clock.advance(LEASE_MS - 100);
    await b.desk.tick();
    expect(b.desk.leads()).toBe(false);
    clock.advance(200);
    expect(a.desk.leads()).toBe(false); // a no longer trusts its own lease either
    await b.desk.tick();
    expect(b.desk.leads()).toBe(true);

    // b runs the timers now: the next liveness round is b's; a, waking up, finds the lease taken.
    for (let s = 0; s < 30; s++) {
      clock.advance(1000);
      await tickBoth(a, b, 1);
    }
    expect(a.desk.leads()).toBe(false);
    expect(a.sent.filter(isPing)).toEqual([]);
    // b's rounds: one as it took over (what a dead leader's round missed), the next 30 s later.
    expect(b.sent.filter(isPing).map((p) => p.attrs.to)).toEqual([CUSTOMER, CUSTOMER]);

    // A clean stop gives the lease up: a takes it at its next tick, without waiting for it to run out.
    await b.desk.resign();
    await a.desk.tick();
    expect([a.desk.leads(), b.desk.leads()]).toEqual([true, false]);
  });

  it('a sneak-peek draft typed through one instance is shown by !peek on the other', async () => {
    const { a, b } = await twoInstances();
    a.receive(presence(ALICE, SUPPORT));
    a.receive(message(CUSTOMER, SUPPORT, 'hello'));
    const intro = await a.next(isTo('alice@localhost', /New chat/), 'the intro');
    const masked = String(intro.attrs.from);
    a.receive(
      xml(
        'message',
        { from: CUSTOMER, to: SUPPORT, type: 'chat' },
        xml('rtt', { xmlns: NS_RTT, seq: '1', event: 'new' }, xml('t', {}, 'ok, restarting it n')),
      ),
    );
    await pause(50);
    b.receive(message(ALICE, masked, '!peek'));
    const peek = await b.next(isTo(ALICE, /typing/), 'the draft on the other instance');
    expect(bodyOf(peek)).toMatch(/is typing: “ok, restarting it n”/);
    a.receive(message(CUSTOMER, SUPPORT, 'ok, restarting it now'));
    await pause(50);
    b.receive(message(ALICE, masked, '!peek'));
    expect(bodyOf(await b.next(isTo(ALICE, /draft/), 'no draft once sent'))).toMatch(/has no draft right now/);
  });
});
