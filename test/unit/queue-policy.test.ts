import { describe, expect, it } from 'vitest';
import { clampCapacity, freeSlots, onlineCapacity, type OperatorLoad } from '../../src/queue-policy.js';
import { pickOperator } from '../models/queue-model.js';

const op = (jid: string, over: Partial<OperatorLoad> = {}): OperatorLoad => ({
  jid,
  status: 'available',
  active: 0,
  max: 3,
  idleSince: 1000,
  ...over,
});

describe('pickOperator', () => {
  it('picks the operator with the fewest active chats', () => {
    const ops = [op('a', { active: 2 }), op('b', { active: 1 }), op('c', { active: 2 })];
    expect(pickOperator(ops)?.jid).toBe('b');
  });

  it('breaks a tie by the smallest idleSince (idle longest)', () => {
    const ops = [op('a', { active: 1, idleSince: 300 }), op('b', { active: 1, idleSince: 100 }), op('c', { active: 1, idleSince: 200 })];
    expect(pickOperator(ops)?.jid).toBe('b');
  });

  it('skips full, away, dnd, xa and offline operators', () => {
    const ops = [
      op('full', { active: 3, max: 3 }),
      op('away', { status: 'away' }),
      op('dnd', { status: 'dnd' }),
      op('xa', { status: 'xa' }),
      op('gone', { status: 'offline' }),
      op('busy', { status: 'chat', active: 2, idleSince: 9999 }),
    ];
    expect(pickOperator(ops)?.jid).toBe('busy');
  });

  it('returns undefined when nobody has room', () => {
    expect(pickOperator([])).toBeUndefined();
    expect(pickOperator([op('a', { active: 3 }), op('b', { status: 'away' })])).toBeUndefined();
  });
});

describe('freeSlots', () => {
  it('sums room of operators taking new customers only', () => {
    const ops = [
      op('a', { active: 1, max: 3 }), // 2
      op('b', { status: 'chat', active: 0, max: 2 }), // 2
      op('c', { status: 'away', active: 0, max: 5 }), // 0
      op('d', { active: 4, max: 4 }), // 0
    ];
    expect(freeSlots(ops)).toBe(4);
  });
});

describe('onlineCapacity', () => {
  it('sums max of every online operator, any show', () => {
    const ops = [op('a', { max: 3 }), op('b', { status: 'dnd', max: 2 }), op('c', { status: 'offline', max: 9 })];
    expect(onlineCapacity(ops)).toBe(5);
  });
});

describe('clampCapacity', () => {
  it('keeps 1..9 and truncates', () => {
    expect(clampCapacity(0)).toBe(1);
    expect(clampCapacity(-4)).toBe(1);
    expect(clampCapacity(1)).toBe(1);
    expect(clampCapacity(5.9)).toBe(5);
    expect(clampCapacity(9)).toBe(9);
    expect(clampCapacity(12)).toBe(9);
    expect(clampCapacity(Number.NaN)).toBe(1);
  });
});
