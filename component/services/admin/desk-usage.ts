/** Whether a desk may be removed now (issue 16): not while customers wait or chat there. */
import type { DeskStore } from '../../store/desk-store.js';
import { servingDesk } from '../commands/scope.js';

export function createDeskUsage(store: Pick<DeskStore, 'queue' | 'operators' | 'sessions'>, operators: () => readonly { jid: string }[]) {
  /** Why the desk cannot go now, or undefined. */
  return async function deskBusy(desk: string): Promise<string | undefined> {
    const waiting = await store.queue.queueLength(desk);
    let active = 0;
    for (const jid of new Set(operators().map((o) => o.jid))) {
      for (const id of await store.operators.operatorTickets(jid)) {
        const t = await store.sessions.ticket(id);
        if (t?.state === 'active' && servingDesk(t) === desk) active++;
      }
    }
    if (!waiting && !active) return undefined;
    return `${waiting} customer(s) waiting and ${active} chatting there; close the desk (!closed on) and let them be served first`;
  };
}
