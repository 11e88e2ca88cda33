/**
 * routing.reassignUnansweredSeconds (issue 16): a chat whose operator has not answered the
 * customer within N seconds of the assignment goes to another operator of the desk who takes
 * customers and has room: back to the head of the queue with its ticket (requeue-ticket-4.lua),
 * then picked for that operator (the desk's ready set's best other than the silent one). Both are
 * told, the evidence log records it (kind `requeue`, reason `unanswered`). With nobody else free it
 * stays where it is (handing it back to the same operator would help no one) and is looked at
 * again. 0 turns it off. Every instance may sweep: the requeue script takes a chat once.
 */
import { texts } from '../../src/texts.js';
import type { ServiceContext } from './context.js';
import type { Dispatcher } from './dispatcher.js';
import type { PositionNotifier } from './position-notifier.js';
import { createChatRequeue } from './requeue-chat.js';
import { servingDesk } from './commands/scope.js';

/** How often the active chats are looked at, at most (never more than a quarter of N apart). */
const MAX_GAP_MS = 5000;

export function createUnansweredSweep(
  ctx: ServiceContext<'operators' | 'sessions' | 'queue' | 'reports'>,
  dispatcher: Dispatcher,
  positions: PositionNotifier,
) {
  const { store, directory, log } = ctx;
  const requeue = createChatRequeue(ctx);
  let lastRun = 0;

  return async function sweepUnanswered(): Promise<void> {
    const seconds = directory.routing().reassignUnansweredSeconds;
    const now = ctx.now();
    if (seconds <= 0 || now - lastRun < Math.min(MAX_GAP_MS, (seconds * 1000) / 4)) return;
    lastRun = now;
    const desks = new Set<string>();
    for (const op of directory.operators()) {
      for (const id of await store.operators.operatorTickets(op.jid)) {
        const t = await store.sessions.ticket(id);
        if (t?.state !== 'active' || t.firstResponseAt > 0 || t.operator !== op.jid || now - t.assignedAt < seconds * 1000) continue;
        const desk = servingDesk(t);
        const other = (await store.queue.readyOperators(desk)).find((jid) => jid !== op.jid);
        if (!other) continue;
        const words = { customer: texts.reassignedUnanswered(id), operator: texts.reassignedUnansweredForOperator(id, seconds) };
        if (!(await requeue(t, words, { reason: 'unanswered', seconds }))) continue;
        log.info({ ticket: id, from: op.jid, to: other, seconds }, 'unanswered chat reassigned');
        if (!(await dispatcher.pick(desk, id, other)).ok) desks.add(desk); // raced: the queue's next free operator
      }
    }
    for (const desk of desks) {
      await dispatcher.dispatch(desk);
      positions.schedule(desk);
    }
  };
}
