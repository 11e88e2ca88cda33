/**
 * The desk at its busiest (issue 21; BENCHMARKS.md F26): a burst of customers joins while an
 * operator ends a chat. The `!end` frees a slot, so the customer who was already waiting must be
 * introduced without waiting for the whole burst to be queued and welcomed (joins only wait);
 * and the burst's customers still get their tickets and places in the order they wrote.
 */
import { describe, expect, it } from 'vitest';
import type { Element } from '../../component/protocol/xml.js';
import { ALICE, SUPPORT, bodyOf, isTo, message, presence, useDesk } from './desk-harness.js';

const desks = useDesk();
const BURST = 300;
const customer = (i: number) => `burst${i}@guest.localhost/web`;
const isWelcome = (el: Element) => el.name === 'message' && /^Welcome to Support\. Your ticket is #/.test(bodyOf(el));
const isBurstWelcome = (el: Element) => isWelcome(el) && String(el.attrs.to).startsWith('burst');

describe('a join burst and an operator who frees a slot', () => {
  it("introduces the waiting customer before the burst's joins are all welcomed", async () => {
    const d = desks.open({
      operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], maxChats: 1, role: 'operator' }],
    });
    d.receive(presence(ALICE, SUPPORT));
    d.receive(message('first@guest.localhost/web', SUPPORT, 'I am first'));
    const intro = await d.next(isTo('alice@localhost', /New chat — ticket #1/), 'the first intro');
    d.receive(message('second@guest.localhost/web', SUPPORT, 'I am second'));
    await d.next(isTo('second@guest.localhost/web', /ticket is #2\. You are number 1 in line/), 'the second welcome');

    for (let i = 0; i < BURST; i++) d.receive(message(customer(i), SUPPORT, `question ${i}`));
    d.receive(message(ALICE, String(intro.attrs.from), '!end'));
    const next = await d.next(isTo('alice@localhost', /New chat — ticket #2/), 'the intro of the customer who waited');
    const welcomedBefore = d.sent.slice(0, d.sent.indexOf(next) === -1 ? d.sent.length : d.sent.indexOf(next)).filter(isBurstWelcome);
    // At most one batch of joins (64) may be under way when the dispatch is asked for. Before: the
    // `!end` waited for a turn behind 256 running joins, and its dispatch behind every join queued.
    expect(welcomedBefore.length).toBeLessThanOrEqual(64);

    // Everyone in the burst is queued, in the order they wrote, with the place they were told.
    const welcomes = new Map<string, string>();
    for (let i = 0; i < 400 && welcomes.size < BURST; i++) {
      for (const el of d.sent) if (isBurstWelcome(el)) welcomes.set(String(el.attrs.to), bodyOf(el));
      if (welcomes.size < BURST) await new Promise((r) => setTimeout(r, 10));
    }
    expect(welcomes.size).toBe(BURST);
    let behindSecond = 1; // #2 is ahead of the burst until Alice takes it: places i + 2, then i + 1
    for (let i = 0; i < BURST; i++) {
      const body = welcomes.get(customer(i)) ?? '';
      expect(Number(/ticket is #(\d+)/.exec(body)?.[1])).toBe(i + 3);
      const place = Number(/You are number (\d+) in line/.exec(body)?.[1]);
      if (place === i + 1) behindSecond = 0;
      expect(place).toBe(i + 1 + behindSecond);
    }
  }, 30_000);

  it("ends an operator's next chat without waiting for the previous end's dispatch", async () => {
    const d = desks.open({
      operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], maxChats: 2, role: 'operator' }],
    });
    d.receive(presence(ALICE, SUPPORT));
    d.receive(message('one@guest.localhost/web', SUPPORT, 'one'));
    const a = await d.next(isTo('alice@localhost', /New chat — ticket #1/), 'intro #1');
    d.receive(message('two@guest.localhost/web', SUPPORT, 'two'));
    const b = await d.next(isTo('alice@localhost', /New chat — ticket #2/), 'intro #2');
    d.receive(message('three@guest.localhost/web', SUPPORT, 'three'));
    await d.next(isTo('three@guest.localhost/web', /ticket is #3/), 'the third welcome');

    // A dispatch round that takes a while (a busy Redis): the second `!end` must not wait for it.
    const assignReady = d.store.queue.assignReady.bind(d.store.queue);
    d.store.queue.assignReady = async (...args: Parameters<typeof assignReady>) => {
      await new Promise((r) => setTimeout(r, 300));
      return assignReady(...args);
    };
    d.receive(message(ALICE, String(a.attrs.from), '!end'));
    d.receive(message(ALICE, String(b.attrs.from), '!end'));
    await d.next(isTo('alice@localhost', /^Chat #2 ended\.$/), 'the second end');
    // Before: the second `!end` ran only after the first one's dispatch had introduced #3.
    expect(d.sent.some(isTo('alice@localhost', /New chat — ticket #3/))).toBe(false);
    await d.next(isTo('alice@localhost', /New chat — ticket #3/), 'intro #3');
  });
});
