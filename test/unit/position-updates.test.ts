import { describe, expect, it } from 'vitest';
import { POSITION_POLICY, shouldTellPosition } from '../../src/position-updates.js';

const told = (position: number, waitMinutes: number, at: number) => ({ position, waitMinutes, at });

describe('shouldTellPosition', () => {
  it('stays quiet when neither the place nor the wait changed', () => {
    expect(shouldTellPosition(told(3, 2, 0), told(3, 2, 60_000))).toBe(false);
    expect(shouldTellPosition(told(300, Number.NaN, 0), told(300, 7, 60_000))).toBe(false);
  });

  it('tells every step near the front of the line', () => {
    expect(shouldTellPosition(told(11, 2, 1000), told(10, 2, 1100))).toBe(true);
    expect(shouldTellPosition(told(2, 1, 1000), told(1, 1, 1001))).toBe(true);
  });

  it('further back, tells a changed place only after refreshMs', () => {
    expect(shouldTellPosition(told(500, 9, 0), told(499, 9, POSITION_POLICY.refreshMs - 1))).toBe(false);
    expect(shouldTellPosition(told(500, 9, 0), told(480, 9, POSITION_POLICY.refreshMs))).toBe(true);
  });

  it('tells a changed rounded wait, but not more often than minGapMs', () => {
    expect(shouldTellPosition(told(500, 9, 0), told(490, 8, POSITION_POLICY.minGapMs))).toBe(true);
    expect(shouldTellPosition(told(500, 9, 0), told(490, 8, POSITION_POLICY.minGapMs - 1))).toBe(false);
    // All operators went offline: the wait became unknown (Infinity) without anyone moving.
    expect(shouldTellPosition(told(40, 3, 0), told(40, Number.POSITIVE_INFINITY, 10_000))).toBe(true);
  });

  it('always tells a customer who was never told (requeued), and when the time is unknown', () => {
    expect(shouldTellPosition(told(0, Number.NaN, Number.NaN), told(1, 0, 5))).toBe(true);
    expect(shouldTellPosition(told(50, Number.NaN, Number.NaN), told(49, 3, 5))).toBe(true);
  });
});
