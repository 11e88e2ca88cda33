/**
 * The desk's presence as the button shows it (README "The desk's presence"): `chat` or
 * available = open; `away`/`dnd` = busy, with "N waiting, about M min" from the status text;
 * `xa` or unavailable = closed. Presence has no machine-readable queue numbers, so the
 * numbers are read from the status line (digits only; the wording around them may change).
 */
export type DeskMode = 'open' | 'busy' | 'closed';

export interface DeskPresenceState {
  mode: DeskMode;
  waiting?: number;
  minutes?: number;
}

export function parseDeskPresence(p: { type?: string; show?: string; status?: string }): DeskPresenceState {
  if (p.type === 'unavailable' || p.type === 'error' || p.show === 'xa') return { mode: 'closed' };
  if (p.show !== 'away' && p.show !== 'dnd') return { mode: 'open' };
  const state: DeskPresenceState = { mode: 'busy' };
  const waiting = /(\d+)\s+waiting/.exec(p.status ?? '');
  const minutes = /about\s+(\d+)\s+min/.exec(p.status ?? '');
  if (waiting?.[1] !== undefined) state.waiting = Number(waiting[1]);
  if (minutes?.[1] !== undefined) state.minutes = Number(minutes[1]);
  return state;
}
