/**
 * The desk's own presence, aggregated from its operators (DESIGN §2 "The desk's presence"):
 * open (chat) when someone has room, busy (away) when all online operators are full or away,
 * closed (xa) when nobody is on, outside business hours or switched closed (issue 17).
 */
import { estimateWaitMs, roundWaitMinutes } from './estimate.js';
import { freeSlots, onlineCapacity, type OperatorLoad } from './queue-policy.js';
import { isOnline } from './presence.js';
import type { Closure } from './business-hours.js';

export type DeskMode = 'open' | 'busy' | 'closed';

export interface DeskState {
  desk: string;
  mode: DeskMode;
  show: 'chat' | 'away' | 'xa';
  status: string;
  waiting: number;
  operatorsOnline: number;
  freeSlots: number;
  /** Estimated wait for a customer joining now, in whole minutes; null when closed. */
  estimatedWaitMinutes: number | null;
  /** Closed by business hours: the next opening (ISO 8601), when known (issue 17). */
  opensAt?: string;
}

export function computeDeskState(
  desk: string,
  operators: readonly OperatorLoad[],
  waiting: number,
  avgHandleMs: number,
  closure: Closure | null = null,
): DeskState {
  const online = operators.filter((op) => isOnline(op.status)).length;
  const free = freeSlots(operators);
  const capacity = onlineCapacity(operators);
  const base = { desk, waiting, operatorsOnline: online, freeSlots: free };
  // Outside business hours (or switched closed) the desk is closed even with operators online.
  if (closure) {
    return {
      ...base,
      mode: 'closed',
      show: 'xa',
      status: closure.status,
      estimatedWaitMinutes: null,
      ...(closure.opensAt ? { opensAt: closure.opensAt } : {}),
    };
  }
  if (online === 0) {
    return { ...base, mode: 'closed', show: 'xa', status: 'Closed — no operator is online', estimatedWaitMinutes: null };
  }
  const waitMs = estimateWaitMs({ position: waiting + 1, avgHandleMs, onlineCapacity: capacity, freeSlots: free });
  const minutes = roundWaitMinutes(waitMs);
  if (free > waiting) {
    return { ...base, mode: 'open', show: 'chat', status: 'Open — an operator is free', estimatedWaitMinutes: 0 };
  }
  return {
    ...base,
    mode: 'busy',
    show: 'away',
    status: `All operators busy — ${waiting} waiting, about ${minutes} min`,
    estimatedWaitMinutes: minutes,
  };
}

export const sameDeskPresence = (a: DeskState | undefined, b: DeskState): boolean =>
  a !== undefined && a.show === b.show && a.status === b.status && a.opensAt === b.opensAt;
