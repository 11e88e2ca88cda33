/**
 * A customer writing over XMPP to a desk closed by its business hours or switched closed
 * (issue 17): no ticket joins the queue (operators online get no new customers); the message is
 * kept as an offline message, answered later with !reply, and the desk says when it opens.
 * A desk closed only because nobody is online keeps today's behaviour (the customer waits).
 */
import { texts } from '../../src/texts.js';
import { deskText } from '../../src/desk-texts.js';
import { chat } from '../protocol/stanzas.js';
import type { Element } from '../protocol/xml.js';
import type { ServiceContext } from './context.js';
import { readDeskClosure } from './desk-snapshot.js';
import type { MailNotices } from './mail-notices.js';
import { createReportStamps } from './report-facts.js';

/** The same bounds as the widget's messages (customer-requests.ts). */
const MAX_OFFLINE_PER_CUSTOMER = 20;
const MAX_OPEN_OFFLINE_PER_DESK = 10_000;

/** `mail`: the desk's staff are told of the message by email (issue 17), as for one left in the widget. */
export function createClosedDesk(ctx: ServiceContext<'customers' | 'hours' | 'reports'>, mail?: MailNotices) {
  const { store, directory, send, log } = ctx;
  const reportStamps = createReportStamps(ctx);

  return {
    /** Handles the message when the desk is closed by hours; false when it is not (join as usual). */
    async takeMessage(desk: string, from: string, stanza: Element, customerKey: string, name: string): Promise<boolean> {
      const closure = await readDeskClosure(ctx, desk); // not the operators' loads: a join must not read them twice
      // A blacklisted customer is refused by the queue as today (the desk looks closed to them anyway).
      if (!closure || (await store.customers.bannedAmong([customerKey])).size > 0) return false;
      const deskName = directory.desk(desk)?.name ?? desk;
      const closed = deskText(directory.desk(desk)?.texts, 'closed', stanza.attrs['xml:lang'], deskName);
      const body = stanza.getChildText('body') ?? '';
      const counts = await store.customers.offlineCounts(desk, customerKey);
      if (counts.ofCustomer >= MAX_OFFLINE_PER_CUSTOMER || counts.openAtDesk >= MAX_OPEN_OFFLINE_PER_DESK) {
        send(chat(directory.deskJid(desk), from, texts.closedByHours(deskName, closure.status, null, closed)), {
          kind: 'system',
          direction: 'desk->customer',
          ticket: null,
          desk,
        });
        return true;
      }
      const now = ctx.now();
      // Counted with the ticket, as one left in the widget: requested and offline.
      const report = reportStamps.offline(desk, now);
      const id = await store.customers.createOffline({
        desk,
        customer: from,
        customerKey,
        name,
        message: body,
        form: {},
        pages: [],
        now,
        report,
      });
      const ticket = { id, desk, customer: from };
      void ctx.evidence.record(
        { kind: 'offline', direction: 'customer->desk', ticket, data: { closed: closure.status, createdAt: now } },
        stanza,
      );
      send(chat(directory.deskJid(desk), from, texts.closedByHours(deskName, closure.status, id, closed)), {
        kind: 'system',
        direction: 'desk->customer',
        ticket,
      });
      await mail?.messageLeft({ ticket: id, desk, customerKey, form: { ...(name ? { name } : {}), question: body }, pages: [] });
      log.info({ ticket: id, desk }, 'offline message left while closed');
      return true;
    },
  };
}
export type ClosedDesk = ReturnType<typeof createClosedDesk>;
