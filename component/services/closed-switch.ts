/**
 * The desk's manual "closed now" switch (issue 17): one service behind `!closed on|off`, the
 * XEP-0050 command `closed` and the console's Desks page. Kept in Redis, so it outlives a
 * restart; recorded in the evidence log; the desk's presence follows at once.
 */
import { deskClosure } from '../../src/business-hours.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';

export function createClosedSwitch(ctx: ServiceContext<'hours'>, presence: DeskPresence) {
  const { store, directory, log } = ctx;
  return {
    /** Switches `desk` closed (or back to its hours) for `by` (a bare JID, already authorized); returns what it did, as text. */
    async set(desk: string, closed: boolean, by: string): Promise<string> {
      const now = ctx.now();
      await store.hours.setClosedNow(desk, closed, by, now);
      void ctx.evidence.record({ kind: 'settings', ticket: null, desk, data: { closedNow: closed, by } });
      log.info({ desk, closedNow: closed, by }, 'desk closed-now switch');
      presence.refresh(desk);
      const deskName = directory.desk(desk)?.name ?? desk;
      if (closed) return `${deskName} is closed now: new customers leave a message; waiting ones are still served.`;
      const closure = deskClosure(directory.desk(desk)?.hours, false, new Date(now));
      return closure ? `${deskName} follows its hours again: ${closure.status}.` : `${deskName} is open again.`;
    },
    async isClosed(desk: string): Promise<boolean> {
      return (await store.hours.closedNow([desk])).has(desk);
    },
  };
}
export type ClosedSwitch = ReturnType<typeof createClosedSwitch>;
