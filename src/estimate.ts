/**
 * Estimated wait for a queue position, from the desk's average handle time and
 * how many chats its online operators can run at once.
 * Position p (1-based) waits for p slots to free up; with c concurrent slots each
 * freeing every avgHandleMs on average, a slot frees every avgHandleMs / c. The desk learns
 * avgHandleMs in end-session-3.lua (reference model: test/models/estimate-model.ts).
 */
export interface WaitInputs {
  position: number;
  avgHandleMs: number;
  /** Sum of capacities of operators who are online (any show). */
  onlineCapacity: number;
  /** Free slots right now among operators taking new customers. */
  freeSlots: number;
}

export function estimateWaitMs({ position, avgHandleMs, onlineCapacity, freeSlots }: WaitInputs): number {
  if (position <= freeSlots) return 0;
  if (onlineCapacity <= 0) return Number.POSITIVE_INFINITY;
  return Math.round(((position - freeSlots) * avgHandleMs) / onlineCapacity);
}

/** Whole minutes for people, never "0 min" for a non-zero wait. */
export function roundWaitMinutes(waitMs: number): number {
  if (!Number.isFinite(waitMs)) return Number.POSITIVE_INFINITY;
  if (waitMs <= 0) return 0;
  return Math.max(1, Math.round(waitMs / 60_000));
}
