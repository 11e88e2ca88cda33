/**
 * Tells the operator, once per refusal episode, that their customer is over the rate limit
 * (issue 14 item 5): a line in that chat, from the customer's masked JID, so the operator knows
 * why the customer may say that messages were lost. Nothing is said while the customer waits.
 */
import { texts } from '../../src/texts.js';
import { chat } from '../protocol/stanzas.js';
import type { ServiceContext } from './context.js';
import type { CustomerIdentity } from './customer-identity.js';
import type { Continuation } from '../lib/scheduling.js';

export function createTooFastNotice(ctx: ServiceContext<'sessions'>, identity: CustomerIdentity) {
  /** The lookup, for the sender's lane; the continuation sends after the messages before it. */
  return async function tooFast(desk: string, from: string): Promise<Continuation> {
    const customerKey = await identity.keyOf(from);
    const ticketId = await ctx.store.sessions.ticketIdOfCustomer(desk, customerKey);
    const ticket = ticketId === undefined ? undefined : await ctx.store.sessions.ticket(ticketId);
    return async () => {
      if (ticket?.state !== 'active' || !ticket.operator) return;
      ctx.log.info({ ticket: ticket.id, desk }, 'customer over the rate limit; operator told');
      ctx.send(chat(ctx.directory.maskedJid(ticket.masked), ticket.operator, texts.tooFastForOperator(ticket.id)), {
        kind: 'system',
        direction: 'desk->operator',
        ticket,
      });
    };
  };
}
export type TooFastNotice = ReturnType<typeof createTooFastNotice>;
