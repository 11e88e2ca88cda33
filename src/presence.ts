/**
 * Operator presence (RFC 6121 §4.7.2 <show/> values). An operator may be online from several
 * resources; the desk routes by the most available one, aggregated in operator-presence-3.lua
 * (reference model: test/models/presence-model.ts).
 */
export type Show = 'chat' | 'available' | 'away' | 'xa' | 'dnd';
export type OperatorStatus = Show | 'offline';

export function parseShow(show: string | undefined): Show {
  return show === 'chat' || show === 'away' || show === 'xa' || show === 'dnd' ? show : 'available';
}

/**
 * available and chat take new customers; away, xa, dnd keep current chats only (DESIGN §2).
 * Its Lua twin is `routable` in operator-presence-3.lua and `room` in includes/operator-loads.lua
 * (held to hasRoom by test/integration/rule-twins.test.ts).
 */
export const takesNewCustomers = (status: OperatorStatus): boolean => status === 'available' || status === 'chat';

export const isOnline = (status: OperatorStatus): boolean => status !== 'offline';
