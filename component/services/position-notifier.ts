/**
 * Tells waiting customers their place in line (DESIGN §2; XEP-0142's queue-status pushes),
 * when it changed in a way that matters to them (src/position-updates.ts): near the front every
 * step, further back when the rounded wait changes or now and then. One run per desk at a time,
 * coalesced over routing.positionUpdateMs; one round trip reads the head of the line and a window
 * that moves back along it run by run, so a run costs the same however long the line (issue 21:
 * with 20,000 waiting, reading everyone each second was the one cost of a join that grew with the
 * queue). Far back, a change is told within one pass of the window (line length / SWEEP runs).
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

/** Read every run: the places that hear every step (POSITION_POLICY.front) and well past them. */
export const HEAD = 100;
/** Read every run further back, from where the previous run stopped. */
export const SWEEP = 400;

/** Stored as -1: no operator online, the wait is unknown. */
const fromStored = (minutes: number) => (minutes === -1 ? Number.POSITIVE_INFINITY : minutes);

/** Several instances (`gate`): only the leader tells places; the others' changes reach it as signals. */
export function createPositionNotifier(ctx: ServiceContext<'queue' | 'hours'>, gate?: LeaderGate) {
  const { store, directory, send, config } = ctx;
  const coalescer = createCoalescer(ctx.log);
  /** Per desk: where the next run's window starts (0-based place). */
  const cursors = new Map<string, number>();

  async function notify(desk: string): Promise<void> {
    if (gate && !gate.leads()) return;
    const start = cursors.get(desk) ?? HEAD;
    const [waiting, snapshot] = await Promise.all([
      store.queue.waitingEntries(desk, HEAD, { start, count: SWEEP }),
      readDeskSnapshot(ctx, desk),
    ]);
    // A pass along the line goes on next run until it reaches the end, then starts again behind the head.
    const passGoesOn = (waiting.at(-1)?.position ?? 0) >= start + SWEEP;
    cursors.set(desk, passGoesOn ? start + SWEEP : HEAD);
    if (passGoesOn) coalescer.schedule(desk, config.routing.positionUpdateMs, () => notify(desk));
    const capacity = onlineCapacity(snapshot.loads);
    const free = freeSlots(snapshot.loads);
    const now = ctx.now();
    const told: { id: number; position: number; waitMinutes: number; at: number }[] = [];
    for (const w of waiting) {
      const position = w.position;
      const waitMs = estimateWaitMs({ position, avgHandleMs: snapshot.avgHandleMs, onlineCapacity: capacity, freeSlots: free });
      const waitMinutes = roundWaitMinutes(waitMs);
      const before = { position: w.notifiedPosition, waitMinutes: fromStored(w.notifiedWaitMinutes), at: w.notifiedAt };
      if (!w.customer || !shouldTellPosition(before, { position, waitMinutes, at: now })) continue;
      send(
        chat(directory.deskJid(desk), w.customer, texts.position(w.id, position, waitMs), [
          deskStatus({ ticket: w.id, state: 'waiting', position, waitMs }),
        ]),
        { kind: 'system', direction: 'desk->customer', ticket: { id: w.id, desk, customer: w.customer } },
      );
      told.push({ id: w.id, position, waitMinutes, at: now });
    }
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
