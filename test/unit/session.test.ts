import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.js';
import type { SessionState } from '../../src/session.js';
import { canTransition, nextSessionState, type SessionEvent } from '../models/session-model.js';

describe('nextSessionState', () => {
  const valid: [SessionState, SessionEvent, SessionState][] = [
    ['waiting', 'assign', 'active'],
    ['waiting', 'end', 'ended'],
    ['active', 'requeue', 'waiting'],
    ['active', 'end', 'ended'],
  ];
  it.each(valid)('%s --%s--> %s', (from, event, to) => {
    expect(nextSessionState(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  const invalid: [SessionState, SessionEvent][] = [
    ['waiting', 'requeue'],
    ['active', 'assign'],
    ['ended', 'assign'],
    ['ended', 'requeue'],
    ['ended', 'end'],
  ];
  it.each(invalid)('%s --%s--> throws invalid-transition', (from, event) => {
    expect(canTransition(from, event)).toBe(false);
    let caught: unknown;
    try {
      nextSessionState(from, event);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe('invalid-transition');
    expect((caught as DomainError).message).toBe(`cannot ${event} a session that is ${from}`);
  });
});
