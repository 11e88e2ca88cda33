/**
 * The machine-readable `<status/>` the desk puts next to the body of its automatic messages
 * (docs/widget-protocol.md §3), so the widget never parses English.
 */
import { roundWaitMinutes } from '../../src/estimate.js';
import { NS_DESK } from './namespaces.js';
import { xml, type Element } from './xml.js';

export type DeskStatus =
  | { ticket: number; state: 'waiting'; position: number; waitMs: number }
  | { ticket: number; state: 'active'; operator: string }
  | { ticket: number; state: 'ended'; reason: 'operator' | 'customer' | 'banned' | 'timeout' };

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
