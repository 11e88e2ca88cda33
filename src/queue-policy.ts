/**
 * Operators' loads as the desk snapshot reads them, and what they add up to. Who gets the next
 * customer is decided in Redis (the desk's ready set, includes/operator-loads.lua; reference model:
 * test/models/queue-model.ts); the store re-checks capacity atomically when it commits the choice.
 */
import { takesNewCustomers, type OperatorStatus } from './presence.js';

export interface OperatorLoad {
  jid: string;
  status: OperatorStatus;
  active: number;
  max: number;
  /** When the operator last got a chat or freed a slot (ms epoch). */
  idleSince: number;
}

export const hasRoom = (op: OperatorLoad): boolean => takesNewCustomers(op.status) && op.active < op.max;

export const freeSlots = (operators: readonly OperatorLoad[]): number =>
  operators.reduce((sum, op) => sum + (hasRoom(op) ? op.max - op.active : 0), 0);

export const onlineCapacity = (operators: readonly OperatorLoad[]): number =>
  operators.reduce((sum, op) => sum + (op.status === 'offline' ? 0 : op.max), 0);

/** Operator capacity is 1–9 chats (DESIGN §2); anything unreadable counts as 1. */
export const clampCapacity = (n: number): number => (Number.isFinite(n) ? Math.min(9, Math.max(1, Math.trunc(n))) : 1);
