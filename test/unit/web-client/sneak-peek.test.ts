import { describe, expect, it } from 'vitest';
import { createSneakPeek, type Clock } from '../../../web-client/src/sneak-peek.js';

function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimeout: (h) => {
      const i = timers.indexOf(h as never);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { clock, advance };
}

describe('sneak peek (XEP-0301 resets)', () => {
  it('sends at most one reset per 700 ms, and always the latest draft', () => {
    const { clock, advance } = fakeClock();
    const sent: string[] = [];
    const peek = createSneakPeek((text, seq) => sent.push(`${seq}:${text}`), clock);
    peek.input('h');
    peek.input('he');
    advance(300);
    peek.input('hel');
    expect(sent).toEqual(['1:h']);
    advance(400);
    expect(sent).toEqual(['1:h', '2:hel']);
    advance(1000);
    peek.input('hel'); // unchanged: nothing new to say
    advance(1000);
    expect(sent).toHaveLength(2);
    peek.input('help');
    peek.sent();
    advance(1000);
    expect(sent).toEqual(['1:h', '2:hel', '3:help']);
  });
});
