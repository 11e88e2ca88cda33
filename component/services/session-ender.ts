/** Ending a session, whoever ends it: both sides are told, the slot frees, the queue moves. */
import { texts } from '../../src/texts.js';
import { deskText } from '../../src/desk-texts.js';
import { chat } from '../protocol/stanzas.js';
import { deskStatus } from '../protocol/desk-status.js';
import { failureError } from '../store/script-failures.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';
import type { Dispatcher } from './dispatcher.js';
import type { PositionNotifier } from './position-notifier.js';
import { createCustomerPresence } from './customer-presence.js';

export type EndReason = 'operator-ended' | 'customer-left' | 'customer-ended' | 'banned';

export function createSessionEnder(
  ctx: ServiceContext<'reports' | 'sessions' | 'customers'>,
  dispatcher: Dispatcher,
  presence: DeskPresence,
  positions: PositionNotifier,
) {
  const { store, directory, send, log } = ctx;
  const customerPresence = createCustomerPresence(ctx);

  return async function endSession(ticketId: number, desk: string, reason: EndReason, byOperator = ''): Promise<void> {
    const result = await store.sessions.endSession(ticketId, desk, reason, ctx.now(), byOperator);
    if (!result.ok) {
      if (result.failure === 'notYours') throw failureError(result.failure, 'This chat belongs to another operator');
      throw failureError(result.failure, `Chat #${ticketId} has already ended`);
    }
    const { ticket, previousState } = result;
    void ctx.evidence.record({ kind: 'end', ticket, data: { reason, previousState, by: byOperator || null } });
    const toCustomer = { kind: 'system', direction: 'desk->customer', ticket } as const;
    const toOperator = { kind: 'system', direction: 'desk->operator', ticket } as const;
    const masked = directory.maskedJid(ticket.masked);
    const opName = directory.operator(ticket.operator)?.name ?? 'The operator';
    if (reason === 'banned') {
      send(
        chat(directory.deskJid(desk), ticket.customer, texts.bannedEnd(), [
          deskStatus({ ticket: ticket.id, state: 'ended', reason: 'banned' }),
        ]),
        toCustomer,
      );
      send(chat(masked, ticket.operator, texts.endedForOperator(ticket.id)), toOperator);
    } else if (reason === 'operator-ended') {
      const own = directory.desk(desk)?.texts;
      const closing = own?.ended
        ? deskText(own, 'ended', (await store.customers.form(ticket.id)).language, directory.desk(desk)?.name ?? desk)
        : undefined;
      send(
        chat(directory.deskJid(desk, opName), ticket.customer, texts.endedByOperator(opName, closing), [
          deskStatus({ ticket: ticket.id, state: 'ended', reason: 'operator' }),
        ]),
        toCustomer,
      );
      send(chat(masked, ticket.operator, texts.endedForOperator(ticket.id)), toOperator);
    } else if (previousState === 'active') {
      send(
        chat(masked, ticket.operator, reason === 'customer-ended' ? texts.customerEnded(ticket.id) : texts.customerLeft(ticket.id)),
        toOperator,
      );
    }
    if (previousState === 'active') customerPresence.gone(ticket);
    log.info({ ticket: ticket.id, desk, reason, previousState, operator: ticket.operator || undefined }, 'session ended');
    // The reports counted the end (abandoned, or ended) in end-session-3.lua itself.
    // The freed slot is dispatched without holding up whoever ended the chat: an operator's next
    // stanza (another `!end`) runs in their lane after this one (BENCHMARKS.md F26).
    if (previousState === 'active')
      void dispatcher.dispatch(desk).catch((err: Error) => log.warn({ err: err.message, desk }, 'dispatch after an end failed'));
    else presence.refresh(desk);
    positions.schedule(desk);
  };
}
export type SessionEnder = ReturnType<typeof createSessionEnder>;
