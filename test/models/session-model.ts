/**
 * Reference model of a ticket's state machine. The live rule is in the Lua transitions
 * (enqueue, assign-next / assign-ready, requeue-ticket / requeue-operator, end-session);
 * test/integration/rule-twins.test.ts holds them to this table.
 * A ticket moves waiting → active → ended; an operator who stays offline past the grace period
 * sends it back to waiting (head of the queue). A message left while the desk was closed is a
 * ticket of its own kind, 'offline': answered later (!reply), it never enters the queue. At closing
 * time (hours.atClosing 'offline') a waiting ticket becomes one (close-waiting-1.lua).
 */
import { DomainError } from '../../src/errors.js';
import type { SessionState } from '../../src/session.js';

export type SessionEvent = 'assign' | 'requeue' | 'end' | 'close';

const TRANSITIONS: Record<SessionState, Partial<Record<SessionEvent, SessionState>>> = {
  waiting: { assign: 'active', end: 'ended', close: 'offline' },
  active: { requeue: 'waiting', end: 'ended' },
  ended: {},
  offline: {},
};

export function nextSessionState(state: SessionState, event: SessionEvent): SessionState {
  const next = TRANSITIONS[state][event];
  if (!next) throw new DomainError('invalid-transition', `cannot ${event} a session that is ${state}`);
  return next;
}

export const canTransition = (state: SessionState, event: SessionEvent): boolean => TRANSITIONS[state][event] !== undefined;
