/** Commands given in a customer's chat (masked JID): end, transfer, note, canned. */
import { fillCanned } from '../../../src/canned.js';
import { DomainError } from '../../../src/errors.js';
import { bareJid } from '../../../src/jid.js';
import { customerName, texts } from '../../../src/texts.js';
import type { Ticket } from '../../store/desk-store.js';
import { chat, nick } from '../../protocol/stanzas.js';
import { deskStatus } from '../../protocol/desk-status.js';
import { failureError, type ScriptFailure } from '../../store/script-failures.js';
import type { ServiceContext } from '../context.js';
import type { Dispatcher } from '../dispatcher.js';
import type { SessionEnder } from '../session-ender.js';
import type { HandoverContext } from '../handover-context.js';
import type { FirstResponseCounter } from '../first-response.js';
import { createCustomerPresence } from '../customer-presence.js';
import { servingDesk } from './scope.js';
import type { CommandSpec, Invocation } from './types.js';

export interface ChatCommandDeps {
  dispatcher: Dispatcher;
  endSession: SessionEnder;
  handover: HandoverContext;
  firstResponse: FirstResponseCounter;
}

export function createChatCommands(ctx: ServiceContext<'customers' | 'operators' | 'reports'>, deps: ChatCommandDeps): CommandSpec[] {
  const { dispatcher, endSession, handover, firstResponse } = deps;
  const customerPresence = createCustomerPresence(ctx);
  const { store, directory, send, log } = ctx;

  const findOperator = (text: string) => {
    const wanted = text.toLowerCase();
    return directory
      .operators()
      .find((o) => o.name.toLowerCase() === wanted || bareJid(o.jid) === wanted || bareJid(o.jid).split('@')[0] === wanted);
  };

  function cannedFor(desk: string): Record<string, string> {
    return directory.canned(desk);
  }

  async function transferToOperator(inv: Invocation, ticket: Ticket, target: NonNullable<ReturnType<typeof findOperator>>) {
    const to = bareJid(target.jid);
    if (!target.desks.includes(servingDesk(ticket)))
      throw new DomainError('operator-full', `${target.name} does not serve ${servingDesk(ticket)}`);
    const r = await store.operators.transfer(ticket.id, inv.bare, to, ctx.now());
    if (!r.ok) {
      const why: Partial<Record<ScriptFailure, string>> = {
        notYours: 'this is not your active chat',
        operatorUnavailable: `${target.name} is not taking customers now`,
        operatorFull: `${target.name} has no free slot`,
        sameOperator: 'it is already yours',
      };
      throw failureError(r.failure, `Cannot transfer: ${why[r.failure] ?? 'refused'}`);
    }
    const masked = directory.maskedJid(ticket.masked);
    const notes = await store.customers.notes(ticket.customerKey);
    const deskName = directory.desk(ticket.desk)?.name ?? ticket.desk;
    const moved = { ...ticket, operator: to };
    void ctx.evidence.record({ kind: 'transfer', ticket: moved, data: { from: inv.bare, to } }); // counted by transfer-5.lua
    send(
      chat(
        masked,
        to,
        texts.transferIntro({
          ticket: ticket.id,
          deskName,
          customerName: customerName(ticket),
          from: inv.operator.name,
          notes,
          summary: ticket.summary,
        }),
        [nick(customerName(ticket))],
      ),
      { kind: 'system', direction: 'desk->operator', ticket: moved },
    );
    customerPresence.gone(ticket);
    customerPresence.here(moved);
    await handover(moved, to);
    send(
      chat(directory.deskJid(ticket.desk, target.name), ticket.customer, texts.takenOver(target.name, inv.operator.name), [
        deskStatus({ ticket: ticket.id, state: 'active', operator: target.name }),
      ]),
      { kind: 'system', direction: 'desk->customer', ticket: moved },
    );
    log.info({ ticket: ticket.id, from: inv.bare, to }, 'session transferred');
    return `Chat #${ticket.id} transferred to ${target.name}.`;
  }

  async function transferToDesk(inv: Invocation, ticket: Ticket, desk: string) {
    const r = await store.operators.requeueTicket(ticket.id, inv.bare, desk, ctx.now(), 'transfer');
    if (!r.ok) throw failureError(r.failure, 'Cannot transfer: this is not your active chat');
    const deskName = directory.desk(desk)?.name ?? desk;
    void ctx.evidence.record({ kind: 'transfer', ticket, data: { from: inv.bare, toDesk: desk } }); // counted by requeue-ticket-4.lua
    customerPresence.gone(ticket);
    send(
      chat(directory.deskJid(ticket.desk), ticket.customer, texts.transferredToDesk(deskName), [
        deskStatus({ ticket: ticket.id, state: 'waiting', position: 1, waitMs: Number.POSITIVE_INFINITY }),
      ]),
      { kind: 'system', direction: 'desk->customer', ticket },
    );
    log.info({ ticket: ticket.id, from: inv.bare, desk }, 'session sent back to a queue');
    await dispatcher.dispatch(desk);
    for (const d of new Set([ticket.desk, ...inv.operator.desks])) await dispatcher.dispatch(d);
    return `Chat #${ticket.id} went back to the ${deskName} queue, at its head.`;
  }

  return [
    {
      name: 'end',
      summary: 'end this chat',
      usage: '!end',
      minRole: 'operator',
      inChat: true,
      fields: [],
      async run(inv) {
        const t = inv.ticket as Ticket;
        await endSession(t.id, t.desk, 'operator-ended', t.operator);
        return '';
      },
    },
    {
      name: 'transfer',
      summary: "hand this chat to an operator, or back to a desk's queue",
      usage: '!transfer <operator|desk>',
      minRole: 'operator',
      inChat: true,
      fields: [
        {
          var: 'target',
          label: 'Operator or desk',
          required: true,
          options: async () => [
            ...directory.operators().map((o) => ({ value: o.name, label: `Operator ${o.name}` })),
            ...directory.desks().map((d) => ({ value: d.id, label: `Desk ${d.name} (queue)` })),
          ],
        },
      ],
      async run(inv) {
        const ticket = inv.ticket as Ticket;
        const target = inv.args.trim();
        if (directory.desk(target.toLowerCase())) return transferToDesk(inv, ticket, target.toLowerCase());
        const op = findOperator(target);
        if (!op) throw new DomainError('bad-command', `No operator or desk called "${target}"`);
        return transferToOperator(inv, ticket, op);
      },
    },
    {
      name: 'note',
      summary: 'add a note to this customer (kept across visits)',
      usage: '!note <text>',
      minRole: 'operator',
      inChat: true,
      fields: [{ var: 'text', label: 'Note', required: true }],
      async run(inv) {
        const t = inv.ticket as Ticket;
        await store.customers.addNote(
          t.customerKey,
          `${new Date(ctx.now()).toISOString().slice(0, 16).replace('T', ' ')} ${inv.operator.name}: ${inv.args.trim()}`,
        );
        return `Note added to ${customerName(t)}.`;
      },
    },
    {
      name: 'canned',
      summary: 'list canned replies, or send one',
      usage: '!canned [name]',
      minRole: 'operator',
      inChat: true,
      fields: [
        {
          var: 'name',
          label: 'Canned reply',
          required: false,
          options: async (inv) => Object.keys(cannedFor(inv.desk)).map((n) => ({ value: n, label: n })),
        },
      ],
      async run(inv) {
        const t = inv.ticket as Ticket;
        const all = cannedFor(t.desk);
        const name = inv.args.trim().split(/\s+/)[0] ?? '';
        if (!name)
          return Object.keys(all).length
            ? Object.entries(all)
                .map(([n, text]) => `${n}: ${text}`)
                .join('\n')
            : 'No canned replies configured.';
        const template = all[name];
        if (!template) throw new DomainError('bad-command', `No canned reply "${name}". Send !canned for the list.`);
        const body = fillCanned(template, {
          customer: customerName(t),
          operator: inv.operator.name,
          desk: directory.desk(t.desk)?.name ?? t.desk,
        });
        send(chat(directory.deskJid(t.desk, inv.operator.name), t.customer, body), {
          kind: 'message',
          direction: 'operator->customer',
          ticket: t,
          data: { canned: name },
        });
        firstResponse(t);
        return '';
      },
    },
  ];
}
