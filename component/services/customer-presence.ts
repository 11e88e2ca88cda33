/**
 * The customer as a contact of the operator: the masked JID sends presence (RFC 6121 §4.6,
 * directed presence) to the assigned operator, so any client shows whether the customer is
 * there, reconnecting (the widget's page changed) or gone — and answers the operator's probes.
 */
import { customerName } from '../../src/texts.js';
import type { Ticket } from '../store/desk-store.js';
import { nick, presence } from '../protocol/stanzas.js';
import type { ServiceContext } from './context.js';

export function createCustomerPresence(ctx: ServiceContext<never>) {
  const { directory, send } = ctx;
  const from = (t: Ticket) => directory.maskedJid(t.masked);
  const status = (t: Ticket) => `Ticket #${t.id} — ${directory.desk(t.desk)?.name ?? t.desk}`;

  const api = {
    here(t: Ticket, operator = t.operator): void {
      const p = presence(from(t), operator, { status: status(t) });
      p.append(nick(customerName(t))); // XEP-0172 §4.3: nick in the first presence to a contact
      send(p);
    },
    reconnecting(t: Ticket): void {
      send(presence(from(t), t.operator, { show: 'away', status: `${status(t)} — reconnecting (page change or network)` }));
    },
    gone(t: Ticket, operator = t.operator): void {
      if (operator) send(presence(from(t), operator, { type: 'unavailable', status: status(t) }));
    },
    /** RFC 6121 §4.3: a probe gets the current presence; only the chat's operator learns anything. */
    answerProbe(t: Ticket | undefined, prober: string): void {
      if (t?.state !== 'active' || t.operator !== prober) return;
      if (t.detachedAt) api.reconnecting(t);
      else api.here(t);
    },
  };
  return api;
}
export type CustomerPresence = ReturnType<typeof createCustomerPresence>;
