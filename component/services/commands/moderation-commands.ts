/**
 * Blacklist (CHATS): a banned customer's chat ends, the desk looks closed to them from then
 * on and their messages are not queued. Logged with who and why.
 * Supervisors: watch a chat live, whisper to its operator, take it over.
 */
import { DomainError } from '../../../src/errors.js';
import { customerName, texts } from '../../../src/texts.js';
import type { Ticket } from '../../store/desk-store.js';
import { chat, nick } from '../../protocol/stanzas.js';
import { deskStatus } from '../../protocol/desk-status.js';
import type { ServiceContext } from '../context.js';
import type { SessionEnder } from '../session-ender.js';
import type { HandoverContext } from '../handover-context.js';
import { createCustomerPresence } from '../customer-presence.js';
import { servingDesk, type Scope } from './scope.js';
import type { CommandSpec, Invocation } from './types.js';

export function createModerationCommands(
  ctx: ServiceContext<'customers' | 'operators' | 'sessions'>,
  endSession: SessionEnder,
  handover: HandoverContext,
  scope: Scope,
): CommandSpec[] {
  const { store, directory, send, log } = ctx;
  const customerPresence = createCustomerPresence(ctx);

  /** A supervisor's target: a live chat (the registry has checked its desk). */
  function liveSubject(inv: Invocation): Ticket {
    const ticket = inv.subject as Ticket;
    if (ticket.state !== 'active') throw new DomainError('unknown-session', `Ticket #${ticket.id} is not in a chat now`);
    return ticket;
  }

  return [
    {
      name: 'ban',
      summary: 'blacklist this customer and end the chat',
      usage: '!ban [reason]',
      minRole: 'operator',
      inChat: true,
      fields: [{ var: 'reason', label: 'Reason', required: false }],
      async run(inv) {
        const t = inv.ticket as Ticket;
        const reason = inv.args.trim() || 'no reason given';
        await store.customers.ban(t.customerKey, { by: inv.bare, reason, at: ctx.now(), ticket: t.id, desk: servingDesk(t) });
        void ctx.evidence.record({ kind: 'ban', ticket: t, data: { by: inv.bare, reason } });
        log.warn({ ticket: t.id, desk: t.desk, by: inv.bare, reason }, 'customer blacklisted');
        await endSession(t.id, t.desk, 'banned', t.operator);
        return `Customer of ticket #${t.id} is blacklisted (${reason}). !unban ${t.id} lifts it.`;
      },
    },
    {
      name: 'unban',
      summary: 'lift a blacklisting',
      usage: '!unban <ticket>',
      minRole: 'operator',
      inChat: false,
      ticketArg: 'scoped',
      fields: [{ var: 'ticket', label: 'Ticket of the banned customer', required: true }],
      async run(inv) {
        const t = inv.subject as Ticket;
        const ban = await store.customers.banRecord(t.customerKey);
        if (!ban) throw new DomainError('unknown-session', `The customer of ticket #${t.id} is not blacklisted`);
        // The ban may have been placed in another ticket, at another desk: that desk decides.
        // (Records from before desks were kept: the desk of the ticket it was placed in.)
        const placedIn = ban.desk === undefined && ban.ticket ? await store.sessions.ticket(ban.ticket) : undefined;
        scope.checkBanDesk(inv.operator, ban.desk ?? (placedIn && servingDesk(placedIn)), t.id);
        if (!(await store.customers.unban(t.customerKey)))
          throw new DomainError('unknown-session', `The customer of ticket #${t.id} is not blacklisted`);
        log.warn({ ticket: t.id, by: inv.bare }, 'customer taken off the blacklist');
        return `The customer of ticket #${t.id} may write again.`;
      },
    },
    {
      name: 'monitor',
      summary: 'receive a live copy of both sides of a chat (again: stop)',
      usage: '!monitor <ticket>',
      minRole: 'supervisor',
      inChat: false,
      ticketArg: 'scoped',
      fields: [{ var: 'ticket', label: 'Ticket', required: true }],
      async run(inv) {
        const t = liveSubject(inv);
        const on = await store.sessions.toggleMonitor(t.id, inv.bare);
        log.info({ ticket: t.id, supervisor: inv.bare, on }, 'monitoring');
        return on
          ? `Monitoring ticket #${t.id}: copies come from ${directory.maskedJid(t.masked)}. !monitor ${t.id} again stops.`
          : `Stopped monitoring ticket #${t.id}.`;
      },
    },
    {
      name: 'whisper',
      summary: "a message to a chat's operator only",
      usage: '!whisper <ticket> <text>',
      minRole: 'supervisor',
      inChat: false,
      ticketArg: 'scoped',
      fields: [
        { var: 'ticket', label: 'Ticket', required: true },
        { var: 'text', label: 'Message', required: true },
      ],
      async run(inv) {
        const t = liveSubject(inv);
        const text = inv.args.trim().split(/\s+/).slice(1).join(' ');
        send(chat(directory.maskedJid(t.masked), t.operator, `[whisper from ${inv.operator.name}] ${text}`), {
          kind: 'system',
          direction: 'desk->operator',
          ticket: t,
          data: { whisper: inv.bare },
        });
        return `Whispered to ${directory.operator(t.operator)?.name ?? 'the operator'}.`;
      },
    },
    {
      name: 'takeover',
      summary: 'take a chat over from its operator',
      usage: '!takeover <ticket>',
      minRole: 'supervisor',
      inChat: false,
      ticketArg: 'scoped',
      fields: [{ var: 'ticket', label: 'Ticket', required: true }],
      async run(inv) {
        const t = liveSubject(inv);
        if (t.operator === inv.bare) throw new DomainError('bad-command', `Ticket #${t.id} is already yours`);
        const r = await store.operators.transfer(t.id, t.operator, inv.bare, ctx.now(), true);
        if (!r.ok) throw new DomainError('unknown-session', `Ticket #${t.id} changed meanwhile; try again`);
        const fromName = directory.operator(t.operator)?.name ?? 'the operator';
        void ctx.evidence.record({
          kind: 'transfer',
          ticket: { ...t, operator: inv.bare },
          data: { from: t.operator, to: inv.bare, takeover: true },
        });
        const name = customerName(t);
        send(chat(directory.maskedJid(t.masked), t.operator, `${inv.operator.name} took over chat #${t.id}.`));
        send(
          chat(
            directory.maskedJid(t.masked),
            inv.bare,
            texts.transferIntro({
              ticket: t.id,
              deskName: directory.desk(t.desk)?.name ?? t.desk,
              customerName: name,
              from: fromName,
              notes: await store.customers.notes(t.customerKey),
              summary: t.summary,
            }),
            [nick(name)],
          ),
        );
        customerPresence.gone(t);
        customerPresence.here({ ...t, operator: inv.bare });
        await handover({ ...t, operator: inv.bare }, inv.bare);
        send(
          chat(directory.deskJid(t.desk, inv.operator.name), t.customer, texts.takenOver(inv.operator.name, fromName), [
            deskStatus({ ticket: t.id, state: 'active', operator: inv.operator.name }),
          ]),
        );
        log.info({ ticket: t.id, from: t.operator, to: inv.bare }, 'session taken over');
        return '';
      },
    },
  ];
}
