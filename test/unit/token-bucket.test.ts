import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/token-bucket.js';

function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const allowedOf = (r: { allowed: boolean }) => r.allowed;

describe('createRateLimiter (token bucket)', () => {
  it('allows a burst, then refuses until tokens are earned back at the sustained rate', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 5, burst: 20 }, c.now);
    const first = Array.from({ length: 25 }, () => limiter.take('a').allowed);
    expect(first.filter(Boolean)).toHaveLength(20);
    expect(first.slice(20)).toEqual([false, false, false, false, false]);
    c.advance(199);
    expect(limiter.take('a').allowed).toBe(false); // 0.995 tokens
    c.advance(1);
    expect(limiter.take('a').allowed).toBe(true); // one token per 200 ms
    expect(limiter.take('a').allowed).toBe(false);
    c.advance(1000);
    expect(Array.from({ length: 6 }, () => limiter.take('a')).map(allowedOf)).toEqual([true, true, true, true, true, false]);
  });

  it('keeps senders apart', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 1, burst: 2 }, c.now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map(allowedOf)).toEqual([true, true, false]);
    expect([limiter.take('b'), limiter.take('b')].map(allowedOf)).toEqual([true, true]);
  });

  it('charges by cost: cheap signals (chat states) fit more per second than messages', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 5, burst: 20 }, c.now);
    const signals = Array.from({ length: 81 }, () => limiter.take('a', 0.25).allowed);
    expect(signals.filter(Boolean)).toHaveLength(80);
    c.advance(1000); // 5 tokens: 20 signals or 5 messages
    expect(Array.from({ length: 21 }, () => limiter.take('a', 0.25).allowed).filter(Boolean)).toHaveLength(20);
  });

  it('flags one episode start per flood, however long, and a new one only after a full refill', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 5, burst: 20 }, c.now);
    let starts = 0;
    let allowed = 0;
    // A 10 s flood, one message per ms: the sustained rate gets through, one episode is flagged.
    for (let ms = 0; ms < 10_000; ms++) {
      const r = limiter.take('a');
      if (r.episodeStart) starts++;
      if (r.allowed) allowed++;
      c.advance(1);
    }
    expect(starts).toBe(1);
    expect(allowed).toBeGreaterThanOrEqual(20 + 49);
    expect(allowed).toBeLessThanOrEqual(20 + 51);
    c.advance(3000); // not yet full (15 of 20 tokens)
    for (let i = 0; i < 16; i++) limiter.take('a');
    expect(limiter.take('a').episodeStart).toBe(false); // still the same episode
    c.advance(4000); // full again: the episode is over
    for (let i = 0; i < 20; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, episodeStart: true });
  });

  it('forgets senders whose buckets have refilled (bounded memory)', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 10, burst: 10 }, c.now, 1000);
    for (let i = 0; i < 1000; i++) limiter.take(`idle-${i}`);
    for (let i = 0; i < 15; i++) limiter.take('busy');
    expect(limiter.size()).toBe(1001);
    c.advance(999);
    limiter.take('busy'); // before the sweep interval: nothing forgotten
    expect(limiter.size()).toBe(1001);
    c.advance(1);
    limiter.take('busy'); // the sweep: every idle bucket has refilled, the busy one has not
    expect(limiter.size()).toBe(1);
    c.advance(5000);
    limiter.sweep();
    expect(limiter.size()).toBe(0);
  });

  it('earns nothing when the clock steps back', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, c.now);
    expect(limiter.take('a').allowed).toBe(true);
    c.advance(-5000);
    expect(limiter.take('a').allowed).toBe(false);
    c.advance(5000);
    expect(limiter.take('a').allowed).toBe(false); // back where it was: still no new token
    c.advance(1000);
    expect(limiter.take('a').allowed).toBe(true);
  });
});
