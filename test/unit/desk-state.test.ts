import { describe, expect, it } from 'vitest';
import { computeDeskState, sameDeskPresence } from '../../src/desk-state.js';
import type { OperatorLoad } from '../../src/queue-policy.js';

const op = (jid: string, over: Partial<OperatorLoad> = {}): OperatorLoad => ({
  jid,
  status: 'available',
  active: 0,
  max: 2,
  idleSince: 0,
  ...over,
});

describe('computeDeskState', () => {
  it('is closed (xa) when no operator is online', () => {
    const s = computeDeskState('support', [op('a', { status: 'offline' })], 3, 300_000);
    expect(s).toEqual({
      desk: 'support',
      mode: 'closed',
      show: 'xa',
      status: 'Closed — no operator is online',
      waiting: 3,
      operatorsOnline: 0,
      freeSlots: 0,
      estimatedWaitMinutes: null,
    });
  });

  it('is open (chat) when free slots exceed the waiting customers', () => {
    const s = computeDeskState('support', [op('a', { active: 1 }), op('b', { status: 'away' })], 0, 300_000);
    expect(s).toEqual({
      desk: 'support',
      mode: 'open',
      show: 'chat',
      status: 'Open — an operator is free',
      waiting: 0,
      operatorsOnline: 2,
      freeSlots: 1,
      estimatedWaitMinutes: 0,
    });
  });

  it('is busy (away) with the waiting count and estimate when everyone is full', () => {
    // capacity 4, no free slot, 3 waiting: position 4 waits 4 × 300 s / 4 = 5 min
    const s = computeDeskState('sales', [op('a', { active: 2 }), op('b', { active: 2 })], 3, 300_000);
    expect(s.mode).toBe('busy');
    expect(s.show).toBe('away');
    expect(s.status).toBe('All operators busy — 3 waiting, about 5 min');
    expect(s.estimatedWaitMinutes).toBe(5);
    expect(s.freeSlots).toBe(0);
    expect(s.operatorsOnline).toBe(2);
  });

  it('is busy when the only online operators are away', () => {
    const s = computeDeskState('support', [op('a', { status: 'away', max: 3 })], 0, 180_000);
    expect(s.mode).toBe('busy');
    expect(s.status).toBe('All operators busy — 0 waiting, about 1 min');
  });

  it('is busy when free slots do not exceed the queue', () => {
    // 1 free slot, 1 waiting: the next customer is position 2 → (2 - 1) × 600 s / 2 = 5 min
    const s = computeDeskState('support', [op('a', { active: 1 })], 1, 600_000);
    expect(s.status).toBe('All operators busy — 1 waiting, about 5 min');
  });
});

describe('sameDeskPresence', () => {
  it('compares show and status only', () => {
    const a = computeDeskState('support', [op('a')], 0, 300_000);
    const b = computeDeskState('support', [op('a'), op('b')], 1, 300_000);
    expect(sameDeskPresence(undefined, a)).toBe(false);
    expect(sameDeskPresence(a, b)).toBe(true);
    expect(sameDeskPresence(a, computeDeskState('support', [], 0, 300_000))).toBe(false);
  });
});

describe('computeDeskState closed by business hours (issue 17)', () => {
  it('is closed (xa) with operators free, says when it opens, and carries the opening', () => {
    const s = computeDeskState('support', [op('a')], 1, 300_000, {
      opensAt: '2026-01-12T00:00:00.000Z',
      status: 'Closed — opens Monday 09:00 (JST)',
    });
    expect(s).toEqual({
      desk: 'support',
      mode: 'closed',
      show: 'xa',
      status: 'Closed — opens Monday 09:00 (JST)',
      waiting: 1,
      operatorsOnline: 1,
      freeSlots: 2,
      estimatedWaitMinutes: null,
      opensAt: '2026-01-12T00:00:00.000Z',
    });
  });
});
