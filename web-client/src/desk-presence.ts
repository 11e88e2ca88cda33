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

/** One desk as GET /api/status lists it (component/http/app.ts), also each event of /api/status/stream. */
export interface DeskStatusJson {
  desk?: string;
  mode?: string;
  waiting?: number;
  estimatedWaitMinutes?: number | null;
  opensAt?: string;
}

/** The loader's reading of the portal's JSON, the same as of the presence above: numbers when busy, the opening when closed. */
export function deskStateOf(j: DeskStatusJson): DeskPresenceState | undefined {
  if (j.mode === 'open') return { mode: 'open' };
  if (j.mode === 'busy') {
    const s: DeskPresenceState = { mode: 'busy' };
    if (typeof j.waiting === 'number') s.waiting = j.waiting;
    if (typeof j.estimatedWaitMinutes === 'number') s.minutes = j.estimatedWaitMinutes;
    return s;
  }
  if (j.mode === 'closed') return typeof j.opensAt === 'string' ? { mode: 'closed', opensAt: j.opensAt } : { mode: 'closed' };
  return undefined;
}
