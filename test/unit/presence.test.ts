import { describe, expect, it } from 'vitest';
import { isOnline, parseShow, takesNewCustomers, type OperatorStatus } from '../../src/presence.js';
import { aggregateOperatorStatus } from '../models/presence-model.js';

describe('aggregateOperatorStatus', () => {
  it('is offline without resources', () => {
    expect(aggregateOperatorStatus([])).toBe('offline');
  });

  it('takes the most available resource, whatever the order', () => {
    expect(aggregateOperatorStatus(['away', 'available'])).toBe('available');
    expect(aggregateOperatorStatus(['available', 'away'])).toBe('available');
    expect(aggregateOperatorStatus(['dnd', 'xa'])).toBe('xa');
    expect(aggregateOperatorStatus(['xa', 'away', 'dnd'])).toBe('away');
    expect(aggregateOperatorStatus(['available', 'chat', 'away'])).toBe('chat');
  });

  it('accepts any iterable, e.g. a Map of resources', () => {
    const resources = new Map([
      ['phone', 'dnd' as const],
      ['laptop', 'away' as const],
    ]);
    expect(aggregateOperatorStatus(resources.values())).toBe('away');
  });
});

describe('takesNewCustomers', () => {
  const cases: [OperatorStatus, boolean][] = [
    ['chat', true],
    ['available', true],
    ['away', false],
    ['xa', false],
    ['dnd', false],
    ['offline', false],
  ];
  it.each(cases)('%s → %s', (status, expected) => {
    expect(takesNewCustomers(status)).toBe(expected);
  });
});

describe('isOnline and parseShow', () => {
  it('counts every show as online, only offline as not', () => {
    expect(isOnline('dnd')).toBe(true);
    expect(isOnline('offline')).toBe(false);
  });

  it('maps a missing or unknown <show/> to available', () => {
    expect(parseShow(undefined)).toBe('available');
    expect(parseShow('bogus')).toBe('available');
    expect(parseShow('dnd')).toBe('dnd');
    expect(parseShow('chat')).toBe('chat');
  });
});
