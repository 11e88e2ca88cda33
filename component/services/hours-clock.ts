/**
 * Flips a desk's presence when its business hours open or close it, or the "closed now" switch
 * changes (issue 17). Run on every tick: the state is recomputed from the clock and Redis, never
 * remembered across a restart, so the first tick after one publishes whatever is true now, and a
 * switch set through another instance is seen within a tick.
 */
import { isOpen } from '../../src/business-hours.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';
import type { Dispatcher } from './dispatcher.js';
import type { ClosingTime } from './closing-time.js';

export function createHoursClock(ctx: ServiceContext<'hours'>, presence: DeskPresence, dispatcher: Dispatcher, closing?: ClosingTime) {
  const { store, directory } = ctx;
  /** The last closed/open seen per desk in this process. */
  const closedBefore = new Map<string, boolean>();

  return {
    async check(): Promise<void> {
      const desks = directory.desks();
      const switched = await store.hours.closedNow(desks.map((d) => d.id));
      const at = new Date(ctx.now());
      for (const d of desks) {
        const closedByHours = d.hours !== undefined && !isOpen(d.hours, at);
        const closed = switched.has(d.id) || closedByHours;
        // atClosing 'offline': whoever still waits becomes an offline message (each ticket once, restart or not).
        if (closedByHours && d.hours?.atClosing === 'offline')
          await closing?.closeQueue(d.id).catch((err: Error) => ctx.log.warn({ err: err.message, desk: d.id }, 'closing the queue failed'));
        const before = closedBefore.get(d.id);
        closedBefore.set(d.id, closed);
        if (before === closed) continue;
        // The first look refreshes too: the presence only goes out if it differs from what was last sent.
        if (before !== undefined) ctx.log.info({ desk: d.id, closed }, closed ? 'desk closed' : 'desk opened');
        presence.refresh(d.id);
        // Reopening: anyone still waiting (served to the end at closing) is dispatched as usual.
        if (!closed) await dispatcher.dispatch(d.id);
      }
    },
  };
}
