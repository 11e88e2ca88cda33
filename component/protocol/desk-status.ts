/**
 * The machine-readable `<status/>` the desk puts next to the body of its automatic messages
 * (docs/widget-protocol.md §3), so the widget never parses English.
 */
import { roundWaitMinutes } from '../../src/estimate.js';
import type { DeskState } from '../../src/desk-state.js';
import { NS_DESK } from './namespaces.js';
import { xml, type Element } from './xml.js';

export type DeskStatus =
  | { ticket: number; state: 'waiting'; position: number; waitMs: number }
  | { ticket: number; state: 'active'; operator: string }
  | { ticket: number; state: 'ended'; reason: 'operator' | 'customer' | 'banned' | 'timeout' | 'closed' };

export function deskStatus(status: DeskStatus): Element {
  const attrs: Record<string, string> = { xmlns: NS_DESK, ticket: String(status.ticket), state: status.state };
  if (status.state === 'waiting') {
    attrs.position = String(status.position);
    // No operator online: the wait is unknown, so the attribute is left out.
    if (Number.isFinite(roundWaitMinutes(status.waitMs))) attrs.wait = String(Math.round(status.waitMs / 1000));
  } else if (status.state === 'active') attrs.operator = status.operator;
  else attrs.reason = status.reason;
  return xml('status', attrs);
}

/**
 * The desk's state next to its presence's show/status (docs/widget-protocol.md §3): what the
 * status line says in words, as numbers — `<queue mode waiting operators free wait-minutes opens/>`.
 */
export function deskQueue(state: DeskState): Element {
  const attrs: Record<string, string> = {
    xmlns: NS_DESK,
    mode: state.mode,
    waiting: String(state.waiting),
    operators: String(state.operatorsOnline),
    free: String(state.freeSlots),
  };
  if (state.estimatedWaitMinutes !== null) attrs['wait-minutes'] = String(state.estimatedWaitMinutes);
  // Closed by business hours: when it opens next, ISO 8601 in UTC, for the reader's own zone (issue 17).
  if (state.opensAt) attrs.opens = state.opensAt;
  return xml('queue', attrs);
}
