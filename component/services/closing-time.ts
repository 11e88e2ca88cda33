/**
 * Closing time with `desks[].hours.atClosing: 'offline'` (issue 17): each customer still waiting
 * is told the desk has closed, and their question (every message they wrote while waiting) becomes
 * an offline message, answered later with !reply. One Lua step per ticket (close-waiting-1.lua), so
 * a ticket moves once; run on every tick while the desk is closed by its hours, so a restart at or
 * after closing still moves whoever waits, and nobody twice.
 */
import { texts } from '../../src/texts.js';
import { deskStatus } from '../protocol/desk-status.js';
import { chat } from '../protocol/stanzas.js';
import { parseXml } from '../protocol/xml.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';
import type { MailNotices } from './mail-notices.js';
import type { PositionNotifier } from './position-notifier.js';

/** The bodies of the buffered stanzas, in order. */
function wordsOf(buffered: readonly string[]): string {
  return buffered
    .map((s) => {
      try {
        return parseXml(s).getChildText('body') ?? '';
      } catch {
        return '';
      }
    })
    .filter((b) => b !== '')
    .join('\n');
}

export function createClosingTime(
  ctx: ServiceContext<'hours' | 'sessions' | 'reports'>,
  presence: DeskPresence,
  positions: PositionNotifier,
  mail?: MailNotices,
) {
  const { store, directory, send, log } = ctx;

  /** Moves one waiting ticket; false when it is no longer waiting there. */
  async function closeOne(desk: string, id: number): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const buffered = await store.sessions.buffered(id);
      const r = await store.hours.closeWaiting(id, desk, wordsOf(buffered), buffered.length, ctx.now());
      if (!r.ok) continue; // assigned, ended, or a message more since: read again
      const { ticket } = r;
      const deskName = directory.desk(desk)?.name ?? desk;
      // Recorded, and counted by close-waiting-1.lua, as the wait's end (the reports' rebuild reads the same:
      // an unserved wait ended, src/report-rebuild.ts), so requested = served + abandoned + offline + waiting holds.
      void ctx.evidence.record({ kind: 'end', ticket, data: { reason: 'closed', previousState: 'waiting', by: null } });
      send(
        chat(directory.deskJid(desk), ticket.customer, texts.closedAtClosing(deskName, ticket.id), [
          deskStatus({ ticket: ticket.id, state: 'ended', reason: 'closed' }),
        ]),
        { kind: 'system', direction: 'desk->customer', ticket },
      );
      await mail?.messageLeft({
        ticket: ticket.id,
        desk,
        customerKey: ticket.customerKey,
        form: { ...(ticket.name ? { name: ticket.name } : {}), question: ticket.firstWords },
        pages: [],
      });
      log.info({ ticket: ticket.id, desk }, 'waiting ticket kept as an offline message at closing');
      return true;
    }
    return false;
  }

  return {
    /** Every ticket waiting in the desk's queue becomes an offline message. */
    async closeQueue(desk: string): Promise<void> {
      let moved = 0;
      for (const id of await store.hours.waitingIds(desk)) if (await closeOne(desk, id)) moved++;
      if (moved === 0) return;
      presence.refresh(desk);
      positions.schedule(desk);
    },
  };
}
export type ClosingTime = ReturnType<typeof createClosingTime>;
