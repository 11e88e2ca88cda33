/**
 * Connects the head of a desk's queue to a free operator, repeatedly, until nobody
 * waits or nobody has room. The choice is made by the pure policy; the Lua transition
 * re-checks it, so a lost race just means "look again".
 */
import { pickOperator } from '../../src/queue-policy.js';
import { texts } from '../../src/texts.js';
import type { Ticket } from '../store/desk-store.js';
import { chat, nick } from '../xmpp/stanzas.js';
import { deskStatus } from '../xmpp/desk-status.js';
import { parseXml } from '../xmpp/xml.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';
import type { PositionNotifier } from './position-notifier.js';
import { readdress } from './relay.js';
import { createKeyedSerializer } from './scheduling.js';

const MAX_ROUNDS = 10_000;

export function createDispatcher(ctx: ServiceContext, presence: DeskPresence, positions: PositionNotifier) {
  const { store, directory, send, log } = ctx;
  const serialize = createKeyedSerializer();

  /** Sends the operator the intro and the buffered messages, the customer the "has joined". */
  function announce(ticket: Ticket, buffered: readonly string[]): void {
    const op = directory.operator(ticket.operator);
    const deskName = directory.desk(ticket.desk)?.name ?? ticket.desk;
    const masked = directory.maskedJid(ticket.masked);
    const customerName = ticket.name || `Customer #${ticket.id}`;
    const messages = buffered.map((raw) => parseXml(raw));
    // A requeued or transferred ticket has no buffer left: its first words were kept.
    const first = messages.find((m) => m.getChildText('body'))?.getChildText('body') ?? (ticket.firstWords || undefined);
    const intro = texts.assignmentIntro({
      ticket: ticket.id, deskName, customerName, waitedMs: ticket.assignedAt - ticket.createdAt, firstMessage: first ?? undefined, summary: ticket.summary,
    });
    send(chat(masked, ticket.operator, intro, [nick(customerName)]), { kind: 'assign', direction: 'desk->operator', ticket, data: { waitedMs: ticket.assignedAt - ticket.createdAt } });
    for (const m of messages) send(readdress(m, masked, ticket.operator), { kind: 'message', direction: 'customer->operator', ticket });
    const opName = op?.name ?? 'An operator';
    send(chat(directory.deskJid(ticket.desk, opName), ticket.customer, texts.operatorJoined(opName), [deskStatus({ ticket: ticket.id, state: 'active', operator: opName })]), { kind: 'system', direction: 'desk->customer', ticket });
    log.info({ ticket: ticket.id, desk: ticket.desk, operator: ticket.operator, waitedMs: ticket.assignedAt - ticket.createdAt }, 'session assigned');
  }

  /** Statistics only; a failure here must not undo or delay an assignment. */
  function countAssigned(ticket: Ticket): void {
    const day = new Date(ticket.assignedAt).toISOString().slice(0, 10);
    store.countStats([`desk:${ticket.desk}`, `op:${ticket.operator}`], day, { assigned: 1, waitMs: ticket.assignedAt - ticket.createdAt })
      .catch((err: Error) => log.warn({ err: err.message }, 'stats not counted'));
  }

  async function dispatchNow(desk: string): Promise<void> {
    let assigned = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const head = await store.queueHead(desk);
      if (head === undefined) break;
      const loads = await store.operatorLoads(directory.operatorsOfDesk(desk), directory.maxChatsOf);
      const op = pickOperator(loads);
      if (!op) break;
      const outcome = await store.assignNext(desk, head, op.jid, ctx.now());
      if (!outcome.ok) continue; // another dispatcher won this round; look again
      announce(outcome.ticket, outcome.buffered); // synchronous: nothing relayed can overtake it
      await store.markAnnounced(outcome.ticket.id);
      countAssigned(outcome.ticket);
      assigned++;
    }
    if (assigned > 0) positions.schedule(desk);
    presence.refresh(desk);
  }

  /** An operator's manual pick of one waiting ticket (operator !pick). */
  async function pickNow(desk: string, ticketId: number, operator: string) {
    const outcome = await store.assignNext(desk, ticketId, operator, ctx.now(), 'pick');
    if (outcome.ok) {
      announce(outcome.ticket, outcome.buffered);
      await store.markAnnounced(outcome.ticket.id);
      countAssigned(outcome.ticket);
      positions.schedule(desk);
      presence.refresh(desk);
    }
    return outcome;
  }

  return {
    dispatch: (desk: string) => serialize(desk, () => dispatchNow(desk)),
    pick: (desk: string, ticketId: number, operator: string) => {
      let result: Awaited<ReturnType<typeof pickNow>> | undefined;
      return serialize(desk, async () => { result = await pickNow(desk, ticketId, operator); })
        .then(() => result as Awaited<ReturnType<typeof pickNow>>);
    },
    dispatchAll: () => Promise.all(directory.desks().map((d) => serialize(d.id, () => dispatchNow(d.id)))),
    /** After a crash between assignment and announcement (startup). */
    async resumeAnnouncements(): Promise<void> {
      for (const id of await store.pendingAnnouncements()) {
        const ticket = await store.ticket(id);
        if (ticket?.state === 'active') announce(ticket, await store.buffered(id));
        await store.markAnnounced(id);
      }
    },
  };
}
export type Dispatcher = ReturnType<typeof createDispatcher>;
