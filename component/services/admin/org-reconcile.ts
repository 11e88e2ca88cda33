/**
 * Applies a new settings snapshot to the running desk (issue 16). Every instance runs it when it
 * swaps its snapshot, so each step is idempotent: the store's scripts re-check what they change
 * (a chat requeued by one instance is no longer the operator's for the other).
 * - An operator removed, or removed from a desk, takes no new customers there (the desks'
 *   aggregates follow: sync-operator-1.lua) and their chats on that desk go back to the head of
 *   its queue (requeue-ticket-4.lua), the customer and the operator told.
 * - A changed cap applies at once; a new or renamed desk publishes its presence; a removed one
 *   says unavailable to its subscribers. Then every desk dispatches (capacity may have grown).
 */
import { texts } from '../../../src/texts.js';
import { chat, presence } from '../../protocol/stanzas.js';
import { deskStatus } from '../../protocol/desk-status.js';
import type { ServiceContext } from '../context.js';
import type { DeskPresence } from '../desk-presence.js';
import type { Dispatcher } from '../dispatcher.js';
import type { PositionNotifier } from '../position-notifier.js';
import { createCustomerPresence } from '../customer-presence.js';
import { servingDesk } from '../commands/scope.js';
import type { OperatorSettings, OrgSnapshot } from './admin-types.js';

export interface ReconcileDeps {
  presence: DeskPresence;
  dispatcher: Dispatcher;
  positions: PositionNotifier;
}

const capOf = (op: OperatorSettings, s: OrgSnapshot) =>
  Math.min(op.maxChats ?? s.routing.defaultMaxChats, op.maxChatsLimit ?? s.routing.maxChatsLimit);

export function createOrgReconcile(ctx: ServiceContext<'operators' | 'sessions' | 'audiences'>, deps: ReconcileDeps) {
  const { store, directory, send, log } = ctx;
  const customerPresence = createCustomerPresence(ctx);

  /** The operator's active chats on desks they no longer serve go back to the head of those queues. */
  async function requeueOutside(jid: string, serves: readonly string[]): Promise<Set<string>> {
    const touched = new Set<string>();
    for (const id of await store.operators.operatorTickets(jid)) {
      const ticket = await store.sessions.ticket(id);
      if (ticket?.state !== 'active' || serves.includes(servingDesk(ticket))) continue;
      const desk = servingDesk(ticket);
      const r = await store.operators.requeueTicket(id, jid, desk, ctx.now());
      if (!r.ok) continue; // another instance did it, or the chat moved meanwhile
      touched.add(desk);
      const tag = { kind: 'requeue', ticket: { ...ticket, operator: jid }, data: { reason: 'settings' } } as const;
      customerPresence.gone(ticket);
      send(
        chat(directory.deskJid(desk), ticket.customer, texts.requeuedOperatorRemoved(id), [
          deskStatus({ ticket: id, state: 'waiting', position: 1, waitMs: Number.POSITIVE_INFINITY }),
        ]),
        { ...tag, direction: 'desk->customer' },
      );
      send(chat(directory.maskedJid(ticket.masked), jid, texts.requeuedRemovedForOperator(id, directory.desk(desk)?.name ?? desk)), {
        ...tag,
        direction: 'desk->operator',
      });
      log.info({ ticket: id, desk, operator: jid }, 'chat requeued: the operator no longer serves the desk');
    }
    return touched;
  }

  return async function reconcile(prev: OrgSnapshot, next: OrgSnapshot): Promise<void> {
    const before = new Map(prev.operators.map((o) => [o.jid, o]));
    const after = new Map(next.operators.map((o) => [o.jid, o]));
    for (const [jid, was] of before) {
      if (after.has(jid)) continue;
      await store.operators.syncOperator(jid, capOf(was, prev), []); // off every desk: no new customers
      await requeueOutside(jid, []);
    }
    for (const [jid, op] of after) {
      const was = before.get(jid);
      const cap = capOf(op, next);
      if (was && was.desks.join() === op.desks.join() && capOf(was, prev) === cap) continue;
      await store.operators.syncOperator(jid, cap, op.desks);
      if (was && capOf(was, prev) !== cap) await store.operators.setOperatorMax(jid, cap); // the admin's cap wins over !max
      if (was) await requeueOutside(jid, op.desks);
    }
    const old = new Map(prev.desks.map((d) => [d.id, d]));
    const gone = prev.desks.filter((d) => !next.desks.some((n) => n.id === d.id));
    for (const d of gone) {
      for (const to of await store.audiences.subscribers(d.id)) send(presence(directory.deskJid(d.id), to, { type: 'unavailable' }));
    }
    const changed = next.desks.filter((d) => old.get(d.id)?.name !== d.name);
    if (changed.length || gone.length || JSON.stringify(prev.operators) !== JSON.stringify(next.operators))
      await deps.presence.publishAll(true);
    await deps.dispatcher.dispatchAll();
    for (const d of next.desks) deps.positions.schedule(d.id);
  };
}
