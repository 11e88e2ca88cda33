/**
 * A support session (one ticket) moves waiting → active → ended; an operator who
 * stays offline past the grace period sends it back to waiting (head of the queue).
 * A message left while the desk was closed is a ticket of its own kind, 'offline': it is
 * answered later (!reply) and never enters the queue.
 */
import { DomainError } from './errors.js';

export type SessionState = 'waiting' | 'active' | 'ended' | 'offline';
export type SessionEvent = 'assign' | 'requeue' | 'end';

const TRANSITIONS: Record<SessionState, Partial<Record<SessionEvent, SessionState>>> = {
  waiting: { assign: 'active', end: 'ended' },
  active: { requeue: 'waiting', end: 'ended' },
  ended: {},
  offline: {},
};

export function nextSessionState(state: SessionState, event: SessionEvent): SessionState {
  const next = TRANSITIONS[state][event];
  if (!next) throw new DomainError('invalid-transition', `cannot ${event} a session that is ${state}`);
  return next;
}

export const canTransition = (state: SessionState, event: SessionEvent): boolean =>
  TRANSITIONS[state][event] !== undefined;
