import { describe, expect, it } from 'vitest';
import { estimateWaitMs, roundWaitMinutes } from '../../src/estimate.js';
import { nextAverage } from '../models/estimate-model.js';

describe('estimateWaitMs', () => {
  it('is 0 when the position fits in the free slots', () => {
    expect(estimateWaitMs({ position: 1, avgHandleMs: 300_000, onlineCapacity: 4, freeSlots: 1 })).toBe(0);
    expect(estimateWaitMs({ position: 3, avgHandleMs: 300_000, onlineCapacity: 4, freeSlots: 3 })).toBe(0);
  });

  it('is Infinity when no operator is online', () => {
    expect(estimateWaitMs({ position: 1, avgHandleMs: 300_000, onlineCapacity: 0, freeSlots: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('is (position - free) × avg / capacity, rounded', () => {
    expect(estimateWaitMs({ position: 4, avgHandleMs: 300_000, onlineCapacity: 6, freeSlots: 1 })).toBe(150_000);
    expect(estimateWaitMs({ position: 2, avgHandleMs: 1000, onlineCapacity: 3, freeSlots: 0 })).toBe(667);
  });
});

describe('roundWaitMinutes', () => {
  it('rounds to whole minutes, never 0 for a non-zero wait', () => {
    expect(roundWaitMinutes(0)).toBe(0);
    expect(roundWaitMinutes(-5)).toBe(0);
    expect(roundWaitMinutes(1)).toBe(1);
    expect(roundWaitMinutes(89_999)).toBe(1);
    expect(roundWaitMinutes(90_000)).toBe(2);
    expect(roundWaitMinutes(240_000)).toBe(4);
  });

  it('keeps Infinity', () => {
    expect(roundWaitMinutes(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('nextAverage', () => {
  it('moves 20% towards the sample by default', () => {
    expect(nextAverage(300_000, 100_000)).toBe(260_000);
    expect(nextAverage(1000, 2000)).toBe(1200);
  });

  it('honours alpha', () => {
    expect(nextAverage(1000, 2000, 0.5)).toBe(1500);
    expect(nextAverage(1000, 2000, 1)).toBe(2000);
  });
});
