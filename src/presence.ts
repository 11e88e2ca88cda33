/**
 * Presence aggregation (RFC 6121 §4.7.2 <show/> values).
 * An operator may be online from several resources; the desk routes by the
 * most available one. The desk itself publishes an aggregate of its operators.
 */
export type Show = 'chat' | 'available' | 'away' | 'xa' | 'dnd';
export type OperatorStatus = Show | 'offline';

/** Higher is more available. Must match SHOW_RANK in store/lua/operator-presence-3.lua. */
export const SHOW_RANK: Record<OperatorStatus, number> = {
  offline: 0,
  dnd: 1,
  xa: 2,
  away: 3,
  available: 4,
  chat: 5,
};

export function parseShow(show: string | undefined): Show {
  return show === 'chat' || show === 'away' || show === 'xa' || show === 'dnd' ? show : 'available';
}

/** The most available of an operator's resources; offline when it has none. */
export function aggregateOperatorStatus(resources: Iterable<Show>): OperatorStatus {
  let best: OperatorStatus = 'offline';
  for (const show of resources) if (SHOW_RANK[show] > SHOW_RANK[best]) best = show;
  return best;
}

/** available and chat take new customers; away, xa, dnd keep current chats only (DESIGN §2). */
export const takesNewCustomers = (status: OperatorStatus): boolean =>
  status === 'available' || status === 'chat';

export const isOnline = (status: OperatorStatus): boolean => status !== 'offline';
