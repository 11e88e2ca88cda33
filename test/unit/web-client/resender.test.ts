/**
 * Issue 14 item 2: a message the desk never acknowledged (it died in the component with no
 * bounce) is resent after a timeout with the same origin-id, with back-off, a bounded number
 * of times, then shown as not sent with a retry. Fake timers: the schedule is exact.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutbox } from '../../../web-client/src/outbox.js';
import { ackTimeoutMs, createResender, MAX_RESENDS } from '../../../web-client/src/resender.js';
import { memoryStorage } from '../../../web-client/src/storage.js';
import { stringsFor } from '../../../web-client/src/i18n.js';
import { createWidgetStore } from '../../../web-client/src/widget-state.js';

function setup(online = true) {
  const outbox = createOutbox(memoryStorage());
  const sent: { id: string; at: number }[] = [];
  const events: string[] = [];
  const state = { online };
  const resender = createResender({
    outbox,
    send: (m) => sent.push({ id: m.id, at: Date.now() }),
    online: () => state.online,
    gaveUp: (id) => events.push(`gave-up ${id}`),
    resumed: (id) => events.push(`resumed ${id}`),
  });
  const say = (id: string) => {
    outbox.add({ id, body: id, at: Date.now() });
    sent.push({ id, at: Date.now() });
    resender.sent(id);
  };
  return { outbox, sent, events, state, resender, say };
}

describe('resender', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resends an unacked message after 5 s, 10 s, 20 s, 30 s … with the same id, then gives up', () => {
    const t = setup();
    t.say('o1');
    vi.advanceTimersByTime(4999);
    expect(t.sent).toHaveLength(1); // not before the timeout
    vi.advanceTimersByTime(1);
    expect(t.sent.map((s) => s.at)).toEqual([0, 5000]);
    vi.advanceTimersByTime(10 * 60_000);
    // 1 send + MAX_RESENDS resends, spaced by the doubling timeout capped at 30 s.
    expect(t.sent.map((s) => s.at)).toEqual([0, 5000, 15_000, 35_000, 65_000, 95_000, 125_000]);
    expect(new Set(t.sent.map((s) => s.id))).toEqual(new Set(['o1']));
    expect(t.sent).toHaveLength(1 + MAX_RESENDS);
    expect(t.events).toEqual(['gave-up o1']); // at 155 s: once, then silence
    expect(t.outbox.has('o1')).toBe(true); // kept for a retry or the next reconnect
    expect([0, 1, 2, 3, 9].map(ackTimeoutMs)).toEqual([5000, 10_000, 20_000, 30_000, 30_000]);
  });

  it('stops at the ack, and other messages keep their own clocks', () => {
    const t = setup();
    t.say('o1');
    vi.advanceTimersByTime(2000);
    t.say('o2');
    vi.advanceTimersByTime(3000); // o1 resent at 5 s
    t.outbox.ack('o1');
    t.resender.acked('o1');
    vi.advanceTimersByTime(60_000);
    expect(t.sent.filter((s) => s.id === 'o1').map((s) => s.at)).toEqual([0, 5000]);
    expect(t.sent.filter((s) => s.id === 'o2').map((s) => s.at)).toEqual([2000, 7000, 17_000, 37_000]);
  });

  it('resends sooner after a `wait` bounce (the component restarting)', () => {
    const t = setup();
    t.say('o1');
    vi.advanceTimersByTime(100);
    t.resender.bounced('o1'); // retryDelayMs(0) = 1 s instead of the 5 s ack timeout
    vi.advanceTimersByTime(1000);
    expect(t.sent.map((s) => s.at)).toEqual([0, 1100]);
  });

  it('sends nothing while offline; the reconnect resends every unacked message in a fresh round', () => {
    const t = setup();
    t.say('o1');
    t.say('o2');
    t.state.online = false;
    vi.advanceTimersByTime(60_000);
    expect(t.sent).toHaveLength(2);
    t.state.online = true;
    t.resender.resendAll();
    expect(t.sent.map((s) => `${s.id}@${s.at}`)).toEqual(['o1@0', 'o2@0', 'o1@60000', 'o2@60000']);
    vi.advanceTimersByTime(5000);
    expect(t.sent).toHaveLength(6);
  });

  it('after giving up, a retry starts a fresh, bounded round', () => {
    const t = setup();
    t.say('o1');
    vi.advanceTimersByTime(10 * 60_000);
    expect(t.events).toEqual(['gave-up o1']);
    const before = t.sent.length;
    t.resender.retry('o1');
    expect(t.events).toEqual(['gave-up o1', 'resumed o1']);
    expect(t.sent).toHaveLength(before + 1);
    vi.advanceTimersByTime(10 * 60_000);
    expect(t.sent).toHaveLength(before + 1 + MAX_RESENDS);
    expect(t.events).toEqual(['gave-up o1', 'resumed o1', 'gave-up o1']);
  });

  it('forgets a message the desk refused for good', () => {
    const t = setup();
    t.say('o1');
    t.outbox.drop('o1');
    t.resender.forget('o1');
    vi.advanceTimersByTime(60_000);
    expect(t.sent).toHaveLength(1);
  });
});

describe('the not-sent mark', () => {
  it('replaces only "Sending…", and a retry or a late ack moves it on', () => {
    const s = createWidgetStore(stringsFor('en'));
    s.mine({ id: 'm1', text: 'hi' });
    s.mark('m1', 'unsent');
    expect(s.get().lines[0]?.mark).toBe('unsent');
    s.mark('m1', 'pending'); // the customer pressed retry
    expect(s.get().lines[0]?.mark).toBe('pending');
    s.mark('m1', 'sent');
    s.mark('m1', 'unsent'); // never after the ack
    s.mark('m1', 'pending');
    expect(s.get().lines[0]?.mark).toBe('sent');
    s.mine({ id: 'm2', text: 'late' });
    s.mark('m2', 'unsent');
    s.mark('m2', 'sent'); // a late ack after giving up
    expect(s.get().lines[1]?.mark).toBe('sent');
  });
});
