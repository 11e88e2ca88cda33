/**
 * The console's Live desk page (issue 16): per desk the queue with wait times, the operators with
 * presence and load, the active chats. Read from the store: the desk's snapshot (the aggregates
 * the desk's presence uses), the queue, and each operator's tickets. Admins see every desk,
 * supervisors their own; operators and strangers nothing (not-an-operator → 403 / forbidden).
 * Never a customer's address: tickets and waits only.
 */
import { DomainError } from '../../../src/errors.js';
import type { ClosedSwitch } from '../closed-switch.js';
import type { ServiceContext } from '../context.js';
import { readDeskSnapshot } from '../desk-snapshot.js';
import type { Actor, AdminRole, LiveDesk, LiveView } from './admin-types.js';

export interface LiveViewDeps {
  /** The live role of a bare JID (AdminService.roleOf). */
  roleOf(jid: string): AdminRole | 'operator' | undefined;
  /** The same switch as `!closed on|off` (closed-switch.ts). */
  closedSwitch?: ClosedSwitch;
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

export function createLiveView(ctx: ServiceContext<'queue' | 'hours' | 'sessions' | 'operators'>, deps: LiveViewDeps): LiveView {
  const { store, directory } = ctx;

  function desksOf(actor: Actor): string[] {
    const role = deps.roleOf(actor.jid);
    const all = directory.desks().map((d) => d.id);
    if (role === 'admin') return all;
    if (role === 'supervisor') return all.filter((d) => directory.operator(actor.jid)?.desks.includes(d));
    throw new DomainError('not-an-operator', 'The live view is for admins and supervisors');
  }

  async function deskView(desk: string, now: number): Promise<LiveDesk> {
    const [snap, queue, closed] = await Promise.all([readDeskSnapshot(ctx, desk), store.queue.queue(desk), store.hours.closedNow([desk])]);
    const waitingTickets = await Promise.all(queue.map((id) => store.sessions.ticket(id)));
    const chatIds = await Promise.all(snap.loads.map((l) => store.operators.operatorTickets(l.jid)));
    const chatTickets = await Promise.all([...new Set(chatIds.flat())].map((id) => store.sessions.ticket(id)));
    return {
      desk,
      name: directory.desk(desk)?.name ?? desk,
      state: snap.state.mode,
      closedNow: closed.has(desk),
      waiting: waitingTickets.flatMap((t) => (t ? [{ ticket: t.id, waitedSeconds: seconds(now - t.createdAt) }] : [])),
      operators: snap.loads.map((l) => ({
        jid: l.jid,
        name: directory.operator(l.jid)?.name ?? l.jid,
        show: l.status,
        chats: l.active,
        maxChats: l.max,
      })),
      // A chat is listed at the desk serving it now (a transfer to another desk's queue moves it).
      chats: chatTickets
        .flatMap((t) => (t?.state === 'active' && (t.queueDesk || t.desk) === desk ? [t] : []))
        .sort((a, b) => a.id - b.id)
        .map((t) => ({
          ticket: t.id,
          operator: t.operator,
          waitedSeconds: seconds((t.assignedAt || now) - t.createdAt),
          sinceSeconds: seconds(now - (t.assignedAt || t.createdAt)),
        })),
    };
  }

  return {
    async live(actor) {
      const desks = desksOf(actor);
      const now = ctx.now();
      return Promise.all(desks.map((d) => deskView(d, now)));
    },
    async setClosedNow(actor, desk, closed) {
      // The same who-may as `!closed`: an admin, or a supervisor of that desk (desksOf).
      const mine = desksOf(actor);
      if (!directory.desk(desk)) throw new DomainError('unknown-desk', `No desk ${desk}`);
      if (!mine.includes(desk)) throw new DomainError('forbidden', `Not one of your desks: ${desk}`);
      if (!deps.closedSwitch) throw new DomainError('forbidden', 'The closed-now switch is not available here');
      return deps.closedSwitch.set(desk, closed, actor.jid);
    },
  };
}
