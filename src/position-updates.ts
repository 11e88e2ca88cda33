/**
 * When a waiting customer hears about their place in line again (XEP-0142's queue-status
 * pushes, "when they change"; DESIGN §2). Every assignment moves everyone up one place, so
 * telling each customer every step costs O(queue) stanzas per assignment. Told instead:
 * near the front, every step; further back, when the rounded wait they were told changes,
 * or when the place changed and they have not heard anything for a while.
 */
export interface PositionNotice {
  /** 1-based place in line; 0 = never told (e.g. requeued). */
  position: number;
  /** Whole minutes as roundWaitMinutes gives them (Infinity: no operator online); NaN = unknown. */
  waitMinutes: number;
  /** When it was told (ms epoch); NaN = unknown. */
  at: number;
}

export interface PositionPolicy {
  /** Positions up to this one hear every step. */
  front: number;
  /** Further back, a changed place is told at most this often. */
  refreshMs: number;
  /** A changed wait alone is told at most this often (estimates flicker at rounding edges). */
  minGapMs: number;
}

export const POSITION_POLICY: PositionPolicy = { front: 10, refreshMs: 30_000, minGapMs: 5_000 };

export function shouldTellPosition(told: PositionNotice, now: PositionNotice, policy: PositionPolicy = POSITION_POLICY): boolean {
  const moved = told.position !== now.position;
  const waitChanged = !Number.isNaN(told.waitMinutes) && told.waitMinutes !== now.waitMinutes;
  if (!moved && !waitChanged) return false;
  if (told.position <= 0) return true;
  const since = Number.isNaN(told.at) ? Number.POSITIVE_INFINITY : now.at - told.at;
  if (moved && now.position <= policy.front) return true;
  if (waitChanged && since >= policy.minGapMs) return true;
  return moved && since >= policy.refreshMs;
}
