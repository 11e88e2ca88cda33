/**
 * Sends one active chat back to the head of its desk's queue, keeping its ticket
 * (requeue-ticket-4.lua), and tells both sides why: settings that took the desk from the
 * operator (issue 16), or an operator who did not answer in time (routing.reassignUnansweredSeconds).
 * Idempotent across instances: the script refuses a chat that is no longer the operator's.
 */
import { chat } from '../protocol/stanzas.js';
import { deskStatus } from '../protocol/desk-status.js';
import type { Ticket } from '../store/desk-store.js';
import type { Json } from '../../src/evidence/canonical-json.js';
import type { ServiceContext } from './context.js';
import { createCustomerPresence } from './customer-presence.js';
import { servingDesk } from './commands/scope.js';

export function createChatRequeue(ctx: ServiceContext<'operators' | 'sessions'>) {
  const { store, directory, send } = ctx;
  const customerPresence = createCustomerPresence(ctx);
  /** True when this call requeued it (false: not the operator's active chat any more). */
  return async function requeueChat(
    ticket: Ticket,
    words: { customer: string; operator: string },
    data: { [key: string]: Json },
  ): Promise<boolean> {
    const desk = servingDesk(ticket);
    // A reassignment of an unanswered chat is the operator's miss, counted in the same step.
    const counted = data.reason === 'unanswered' ? 'unanswered' : '';
    const r = await store.operators.requeueTicket(ticket.id, ticket.operator, desk, ctx.now(), counted);
    if (!r.ok) return false;
    const tag = { kind: 'requeue', ticket, data } as const;
    customerPresence.gone(ticket);
    send(
      chat(directory.deskJid(desk), ticket.customer, words.customer, [
        deskStatus({ ticket: ticket.id, state: 'waiting', position: 1, waitMs: Number.POSITIVE_INFINITY }),
      ]),
      { ...tag, direction: 'desk->customer' },
    );
    send(chat(directory.maskedJid(ticket.masked), ticket.operator, words.operator), { ...tag, direction: 'desk->operator' });
    return true;
  };
}
export type ChatRequeue = ReturnType<typeof createChatRequeue>;
