/**
 * Applies a new settings snapshot to the running desk (issue 16). Every instance runs it when it
 * swaps its snapshot, so each step is idempotent: the store's scripts re-check what they change
 * (a chat requeued by one instance is no longer the operator's for the other).
 * - An operator removed, or removed from a desk, takes no new customers there (the desks'
 *   aggregates follow: sync-operator-1.lua) and their chats on that desk go back to the head of
 *   its queue (requeue-ticket-4.lua), the customer and the operator told.
 * - An operator added (or given a desk) is probed for their presence (RFC 6121 §4.3).
 * - A changed cap applies at once; a new or renamed desk publishes its presence; a removed one
 *   says unavailable to its subscribers. Then every desk dispatches (capacity may have grown).
 */
import { texts } from '../../../src/texts.js';
import { presence } from '../../protocol/stanzas.js';
import type { ServiceContext } from '../context.js';
import type { DeskPresence } from '../desk-presence.js';
import type { Dispatcher } from '../dispatcher.js';
import type { PositionNotifier } from '../position-notifier.js';
import { createChatRequeue } from '../requeue-chat.js';
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
  const requeue = createChatRequeue(ctx);

  /**
   * The operator's active chats at desks taken from them (`all`: removed altogether) go back to the
   * head of those queues. Only those desks: an admin's !takeover may hold a chat at a desk they never served.
   */
  async function requeueAt(jid: string, taken: ReadonlySet<string> | 'all'): Promise<Set<string>> {
    const touched = new Set<string>();
    for (const id of await store.operators.operatorTickets(jid)) {
      const ticket = await store.sessions.ticket(id);
      if (ticket?.state !== 'active' || ticket.operator !== jid || (taken !== 'all' && !taken.has(servingDesk(ticket)))) continue;
      const desk = servingDesk(ticket);
      const words = {
        customer: texts.requeuedOperatorRemoved(id),
        operator: texts.requeuedRemovedForOperator(id, directory.desk(desk)?.name ?? desk),
      };
      if (!(await requeue(ticket, words, { reason: 'settings' }))) continue; // another instance did it, or the chat moved
      touched.add(desk);
      log.info({ ticket: id, desk, operator: jid }, 'chat requeued: the operator no longer serves the desk');
    }
    return touched;
  }

  /**
   * After a (re)connection: what changed while no instance was running (an import) is applied
   * too. Who the desks' aggregates still count without serving them leaves them; every operator's
   * chats outside their desks go back to the queue.
   */
  async function catchUp(): Promise<void> {
    const s = directory.snapshot();
    const ops = new Map(s.operators.map((o) => [o.jid, o]));
    const stale = new Map<string, Set<string>>(); // operator → desks whose aggregates count them, though they serve them no more
    for (const d of s.desks) {
      for (const jid of await store.operators.deskOperators(d.id)) {
        if (!ops.get(jid)?.desks.includes(d.id)) stale.set(jid, (stale.get(jid) ?? new Set()).add(d.id));
      }
    }
    for (const [jid, desks] of stale) {
      const op = ops.get(jid);
      await store.operators.syncOperator(jid, op ? capOf(op, s) : s.routing.defaultMaxChats, op?.desks ?? []);
      await requeueAt(jid, op ? desks : 'all');
    }
  }

  const reconcile = async function reconcile(prev: OrgSnapshot, next: OrgSnapshot): Promise<void> {
    const before = new Map(prev.operators.map((o) => [o.jid, o]));
    const after = new Map(next.operators.map((o) => [o.jid, o]));
    for (const [jid, was] of before) {
      if (after.has(jid)) continue;
      await store.operators.syncOperator(jid, capOf(was, prev), []); // off every desk: no new customers
      await requeueAt(jid, 'all');
    }
    for (const [jid, op] of after) {
      const was = before.get(jid);
      const cap = capOf(op, next);
      if (was && was.desks.join() === op.desks.join() && capOf(was, prev) === cap) continue;
      await store.operators.syncOperator(jid, cap, op.desks);
      // what the hash says may be stale (presence is ignored while someone is no operator): ask (RFC 6121 §4.3)
      for (const d of op.desks) if (!was?.desks.includes(d)) send(presence(directory.deskJid(d), jid, { type: 'probe' }));
      if (was && capOf(was, prev) !== cap) await store.operators.setOperatorMax(jid, cap); // the admin's cap wins over !max
      if (was) await requeueAt(jid, new Set(was.desks.filter((d) => !op.desks.includes(d))));
    }
    const old = new Map(prev.desks.map((d) => [d.id, d]));
    const gone = prev.desks.filter((d) => !next.desks.some((n) => n.id === d.id));
    for (const d of gone) {
      for (const to of await store.audiences.subscribers(d.id)) send(presence(directory.deskJid(d.id), to, { type: 'unavailable' }));
    }
    const changed = next.desks.filter((d) => old.get(d.id)?.name !== d.name);
    // a new desk (no old name) announces itself; a renamed one carries its new name (XEP-0172 nick)
    if (changed.length || gone.length || JSON.stringify(prev.operators) !== JSON.stringify(next.operators))
      await deps.presence.publishAll(
        true,
        changed.map((d) => d.id),
      );
    await deps.dispatcher.dispatchAll();
    for (const d of next.desks) deps.positions.schedule(d.id);
  };
  return { reconcile, catchUp };
}
