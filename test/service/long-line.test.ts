/**
 * Position updates in a long line (issue 21; BENCHMARKS.md F26): when the line moves, every
 * customer who is due hears their new place, but one run of the notifier reads a bounded part of
 * the line (the head and a window that moves back run by run), so its cost does not grow with
 * the queue. Before, each run read the whole line: 20,000 customers every second.
 */
import { describe, expect, it } from 'vitest';
import type { WaitingEntry } from '../../component/store/queue-store.js';
import { HEAD, SWEEP } from '../../component/services/position-notifier.js';
import { ALICE, SUPPORT, bodyOf, isTo, message, presence, useDesk } from './desk-harness.js';

const desks = useDesk();
const LINE = HEAD + SWEEP + 250;
const customer = (i: number) => `line${i}@guest.localhost/web`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a long line that moves', () => {
  it('tells everyone due their new place, reading a bounded part of the line per run', async () => {
    let clock = 1_000_000;
    const d = desks.open(
      { operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], maxChats: 1, role: 'operator' }] },
      { now: () => clock },
    );
    const reads: number[] = [];
    const waitingEntries = d.store.queue.waitingEntries.bind(d.store.queue);
    d.store.queue.waitingEntries = async (...args: Parameters<typeof waitingEntries>): Promise<WaitingEntry[]> => {
      const entries = await waitingEntries(...args);
      reads.push(entries.length);
      return entries;
    };
    d.receive(presence(ALICE, SUPPORT));
    d.receive(message('first@guest.localhost/web', SUPPORT, 'I am first'));
    const intro = await d.next(isTo('alice@localhost', /New chat — ticket #1/), 'the first intro');
    for (let i = 0; i < LINE; i++) d.receive(message(customer(i), SUPPORT, `question ${i}`));
    const welcomed = () => d.sent.filter((el) => /^Welcome to Support/.test(bodyOf(el))).length;
    for (let i = 0; i < 500 && welcomed() < LINE + 1; i++) await pause(10);
    expect(welcomed()).toBe(LINE + 1);

    clock += 60_000; // everyone is due an update once their place changes (POSITION_POLICY.refreshMs)
    d.sent.length = 0;
    reads.length = 0;
    d.receive(message(ALICE, String(intro.attrs.from), '!end'));
    await d.next(isTo('alice@localhost', /New chat — ticket #2/), 'the next intro');
    const told = new Map<string, number>();
    for (let i = 0; i < 300 && told.size < LINE - 1; i++) {
      for (const el of d.sent) {
        const place = /^Ticket #\d+: you are now number (\d+) in line/.exec(bodyOf(el))?.[1];
        if (place) told.set(String(el.attrs.to), Number(place));
      }
      await pause(10);
    }
    // line0 left the line for Alice; line1 … are now one place further up.
    for (let i = 1; i < LINE; i++) expect(told.get(customer(i)), customer(i)).toBe(i);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...reads)).toBeLessThanOrEqual(HEAD + SWEEP);
  }, 30_000);
});
