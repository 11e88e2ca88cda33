/**
 * Tells waiting customers their new place in line when it changes, coalesced over
 * routing.positionUpdateMs so a burst of queue changes sends one update each.
 */
import { estimateWaitMs } from '../../src/estimate.js';
import { freeSlots, onlineCapacity } from '../../src/queue-policy.js';
import { texts } from '../../src/texts.js';
import { chat } from '../xmpp/stanzas.js';
import { deskStatus } from '../xmpp/desk-status.js';
import type { ServiceContext } from './context.js';
import { readDeskSnapshot } from './desk-snapshot.js';
import { createCoalescer } from './scheduling.js';

export function createPositionNotifier(ctx: ServiceContext) {
  const { store, directory, send, config } = ctx;
  const coalescer = createCoalescer(ctx.log);

  async function notify(desk: string): Promise<void> {
    const [queue, snapshot] = await Promise.all([store.queue(desk), readDeskSnapshot(ctx, desk)]);
    const notified = await store.notifiedPositions(queue);
    const changed: { id: number; position: number }[] = [];
    queue.forEach((id, i) => {
      if (notified[i] !== i + 1) changed.push({ id, position: i + 1 });
    });
    if (changed.length === 0) return;
    const customers = await store.customersOf(changed.map((c) => c.id));
    const capacity = onlineCapacity(snapshot.loads);
    const free = freeSlots(snapshot.loads);
    changed.forEach(({ id, position }, i) => {
      const waitMs = estimateWaitMs({ position, avgHandleMs: snapshot.avgHandleMs, onlineCapacity: capacity, freeSlots: free });
      const to = customers[i];
      if (to) send(chat(directory.deskJid(desk), to, texts.position(id, position, waitMs), [deskStatus({ ticket: id, state: 'waiting', position, waitMs })]), { kind: 'system', direction: 'desk->customer', ticket: { id, desk, customer: to } });
    });
    await store.setNotifiedPositions(changed);
  }

  return {
    schedule(desk: string): void {
      coalescer.schedule(desk, config.routing.positionUpdateMs, () => notify(desk));
    },
    stop: () => coalescer.cancelAll(),
  };
}
export type PositionNotifier = ReturnType<typeof createPositionNotifier>;
