/**
 * The desk's presence as the button shows it (README "The desk's presence"): `chat` or
 * available = open; `away`/`dnd` = busy; `xa` or unavailable = closed. The numbers come from
 * the desk's `<queue/>` (docs/widget-protocol.md §3); from a desk without it (an older
 * component) they are read from the status line's digits.
 */
import type { DeskQueue } from './protocol/index.js';

export type DeskMode = 'open' | 'busy' | 'closed';

export interface DeskPresenceState {
  mode: DeskMode;
  waiting?: number;
  minutes?: number;
  /** Closed by business hours: when it opens (ISO 8601), shown in the customer's own zone. */
  opensAt?: string;
}

export function parseDeskPresence(p: { type?: string; show?: string; status?: string; queue?: DeskQueue }): DeskPresenceState {
  if (p.type === 'unavailable' || p.type === 'error' || p.show === 'xa') {
    const opens = p.show === 'xa' && p.queue?.opens && !Number.isNaN(Date.parse(p.queue.opens)) ? p.queue.opens : undefined;
    return opens ? { mode: 'closed', opensAt: opens } : { mode: 'closed' };
  }
  if (p.show !== 'away' && p.show !== 'dnd') return { mode: 'open' };
  const state: DeskPresenceState = { mode: 'busy' };
  if (p.queue?.waiting !== undefined) {
    state.waiting = p.queue.waiting;
    if (p.queue.waitMinutes !== undefined) state.minutes = p.queue.waitMinutes;
    return state;
  }
  const waiting = /(\d+)\s+waiting/.exec(p.status ?? '');
  const minutes = /about\s+(\d+)\s+min/.exec(p.status ?? '');
  if (waiting?.[1] !== undefined) state.waiting = Number(waiting[1]);
  if (minutes?.[1] !== undefined) state.minutes = Number(minutes[1]);
  return state;
}
