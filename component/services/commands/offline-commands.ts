/**
 * Messages left while the desk was closed (docs/widget-protocol.md §6): `!tickets` lists the
 * unanswered ones of the operator's desks, `!reply` answers one — at once if the customer is
 * online, and in any case on their next visit (and by mail: once across both, mail-notices.ts).
 */
import { DomainError } from '../../../src/errors.js';
import { formSummary } from '../../../src/customer/join-form.js';
import { formatDuration, texts } from '../../../src/texts.js';
import { NS_DESK, NS_RECEIPTS } from '../../protocol/namespaces.js';
import { chat } from '../../protocol/stanzas.js';
import { xml } from '../../protocol/xml.js';
import { createReportStamps } from '../report-facts.js';
import type { ServiceContext } from '../context.js';
import type { Ticket } from '../../store/desk-store.js';
import { liveReplyId, type MailNotices } from '../mail-notices.js';
import { desksInScope } from './scope.js';
import type { CommandSpec } from './types.js';

const PREVIEW = 120;

export function createOfflineCommands(ctx: ServiceContext<'customers' | 'reports' | 'sessions'>, mail?: MailNotices): CommandSpec[] {
  const reportStamps = createReportStamps(ctx);
  const { store, directory, send, log } = ctx;

  return [
    {
      name: 'tickets',
      summary: 'messages left while the desk was closed, not yet answered',
      usage: '!tickets',
      minRole: 'operator',
      inChat: false,
      fields: [],
      async run(inv) {
        const now = ctx.now();
        const lines: string[] = [];
        for (const desk of desksInScope(
          inv.operator,
          directory.desks().map((d) => d.id),
        )) {
          const open = await store.customers.openOffline(desk);
          const claims = await store.customers.offlineClaims(open.map((t) => t.id));
          for (const [i, t] of open.entries()) {
            const holder = claims[i] ? ` — taken by ${directory.operator(claims[i] as string)?.name ?? 'another operator'}` : '';
            const summary = formSummary(await store.customers.form(t.id));
            const text = t.firstWords.length > PREVIEW ? `${t.firstWords.slice(0, PREVIEW - 1)}…` : t.firstWords;
            lines.push(
              `#${t.id} ${t.name || 'Anonymous'}${summary ? ` (${summary})` : ''} — ${directory.desk(desk)?.name ?? desk} — ${formatDuration(now - t.createdAt)} ago${holder}: “${text}”`,
            );
          }
        }
        if (lines.length === 0) return 'No open offline messages.';
        return [`Open offline messages (take one with !pick <ticket>, answer with !reply <ticket> <text>):`, ...lines].join('\n');
      },
    },
    {
      name: 'reply',
      summary: 'answer an offline message',
      usage: '!reply <ticket> <text>',
      minRole: 'operator',
      inChat: false,
      ticketArg: 'scoped',
      fields: [
        { var: 'ticket', label: 'Ticket', required: true },
        { var: 'text', label: 'Answer', required: true },
      ],
      async run(inv) {
        const t = inv.subject as Ticket;
        const id = t.id;
        const text = inv.args
          .trim()
          .replace(/^\S+\s+/, '')
          .trim();
        if (t.state !== 'offline') throw new DomainError('unknown-session', `No offline message #${id}`);
        const reply = { ticket: id, at: ctx.now(), operator: inv.operator.name, text };
        // The first reply counts in the reports (offlineReplied), in the same MULTI as it is kept.
        const fact = reportStamps.fact({
          kind: 'offlineReplied',
          ticket: id,
          desk: t.desk,
          operator: inv.bare,
          createdAt: t.createdAt,
          ms: reply.at - t.createdAt,
        });
        await store.customers.addReply(id, t.desk, reply, fact);
        const online = await store.customers.boundJid(t.customerKey);
        const live = online !== undefined && (await store.customers.stillBound(t.customerKey, online));
        // By email too, with the customer's consent (issue 17); held for the live copy's receipt while online.
        await mail?.replied(t, reply, live);
        const message = chat(directory.deskJid(t.desk), online ?? t.customer, texts.offlineReply(id, inv.operator.name, text), [
          xml('reply', { xmlns: NS_DESK, ticket: String(id), at: new Date(reply.at).toISOString(), operator: inv.operator.name }, text),
          xml('request', { xmlns: NS_RECEIPTS }),
        ]);
        message.attrs.id = liveReplyId(id, reply.at); // XEP-0184 §5: the receipt names this id
        // Sent now in case the customer is online; kept for their next <session/> either way.
        send(message, { kind: 'reply', direction: 'operator->customer', ticket: t, data: { by: inv.bare } });
        log.info({ ticket: id, desk: t.desk, operator: inv.bare }, 'offline message answered');
        return `Reply to #${id} sent; ${t.name || 'the customer'} sees it now if online, or on their next visit.`;
      },
    },
  ];
}
