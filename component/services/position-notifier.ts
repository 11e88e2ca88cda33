/**
 * Tells waiting customers their place in line (DESIGN §2; XEP-0142's queue-status pushes),
 * when it changed in a way that matters to them (src/position-updates.ts): near the front every
 * step, further back when the rounded wait changes or now and then. One run per desk at a time,
 * coalesced over routing.positionUpdateMs; one round trip reads the whole line.
 */
import { estimateWaitMs, roundWaitMinutes } from '../../src/estimate.js';
import { shouldTellPosition } from '../../src/position-updates.js';
import { freeSlots, onlineCapacity } from '../../src/queue-policy.js';
import { texts } from '../../src/texts.js';
import { chat } from '../protocol/stanzas.js';
import { deskStatus } from '../protocol/desk-status.js';
import type { ServiceContext } from './context.js';
import { readDeskSnapshot } from './desk-snapshot.js';
import { createCoalescer } from '../lib/scheduling.js';
import type { LeaderGate } from './leadership.js';

/** Stored as -1: no operator online, the wait is unknown. */
const fromStored = (minutes: number) => (minutes === -1 ? Number.POSITIVE_INFINITY : minutes);

/** Several instances (`gate`): only the leader tells places; the others' changes reach it as signals. */
export function createPositionNotifier(ctx: ServiceContext<'queue' | 'hours'>, gate?: LeaderGate) {
  const { store, directory, send, config } = ctx;
  const coalescer = createCoalescer(ctx.log);

  async function notify(desk: string): Promise<void> {
    if (gate && !gate.leads()) return;
    const [waiting, snapshot] = await Promise.all([store.queue.waitingEntries(desk, 0), readDeskSnapshot(ctx, desk)]);
    const capacity = onlineCapacity(snapshot.loads);
    const free = freeSlots(snapshot.loads);
    const now = ctx.now();
    const told: { id: number; position: number; waitMinutes: number; at: number }[] = [];
    waiting.forEach((w, i) => {
      const position = i + 1;
      const waitMs = estimateWaitMs({ position, avgHandleMs: snapshot.avgHandleMs, onlineCapacity: capacity, freeSlots: free });
      const waitMinutes = roundWaitMinutes(waitMs);
      const before = { position: w.notifiedPosition, waitMinutes: fromStored(w.notifiedWaitMinutes), at: w.notifiedAt };
      if (!w.customer || !shouldTellPosition(before, { position, waitMinutes, at: now })) return;
      send(
        chat(directory.deskJid(desk), w.customer, texts.position(w.id, position, waitMs), [
          deskStatus({ ticket: w.id, state: 'waiting', position, waitMs }),
        ]),
        { kind: 'system', direction: 'desk->customer', ticket: { id: w.id, desk, customer: w.customer } },
      );
      told.push({ id: w.id, position, waitMinutes, at: now });
    });
    await store.queue.setNotified(told);
  }

  return {
    schedule(desk: string, heard = false): void {
      if (!gate || gate.leads()) coalescer.schedule(desk, config.routing.positionUpdateMs, () => notify(desk));
      else if (!heard) coalescer.schedule(`signal:${desk}`, 20, async () => gate.announce('positions', desk));
    },
    stop: () => coalescer.cancelAll(),
  };
}
export type PositionNotifier = ReturnType<typeof createPositionNotifier>;
