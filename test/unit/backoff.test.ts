import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../component/lib/backoff.js';

const opts = { baseMs: 250, maxMs: 30_000 };

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, each delay between half its step and the step', () => {
    const steps = [250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000];
    steps.forEach((step, attempt) => {
      expect(backoffDelay(attempt, opts, () => 0)).toBe(step / 2);
      expect(backoffDelay(attempt, opts, () => 0.999_999)).toBe(step);
    });
  });

  it('spreads a fleet: 100 instances at the same attempt do not all pick one delay', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = new Set(Array.from({ length: 100 }, () => backoffDelay(5, opts, random)));
    expect(delays.size).toBeGreaterThan(50);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });
});
