/** Desk-wide commands: what waits, who is on, my capacity, today's figures. */
import { DomainError } from '../../../src/errors.js';
import { clampCapacity } from '../../../src/queue-policy.js';
import { customerName, formatDuration } from '../../../src/texts.js';
import { failureError, type ScriptFailure } from '../../store/script-failures.js';
import { localBucket, parsePeriod } from '../../../src/report-figures.js';
import { createReports } from '../reports.js';
import { statsLine } from './stats-line.js';
import type { ServiceContext } from '../context.js';
import type { Dispatcher } from '../dispatcher.js';
import type { Ticket } from '../../store/desk-store.js';
import { desksInScope, servingDesk } from './scope.js';
import type { CommandSpec, Invocation } from './types.js';

export function createDeskCommands(
  ctx: ServiceContext<'customers' | 'operators' | 'queue' | 'reports' | 'sessions'>,
  dispatcher: Dispatcher,
  helpText: (inv: Invocation) => string,
): CommandSpec[] {
  const { store, directory } = ctx;
  const reports = createReports(ctx);
  const scoped = (inv: Invocation) =>
    desksInScope(
      inv.operator,
      directory.desks().map((d) => d.id),
    );

  async function waitingOf(desks: readonly string[]) {
    const rows = [];
    for (const desk of desks) {
      for (const id of await store.queue.queue(desk)) {
        const t = await store.sessions.ticket(id);
        if (t) rows.push({ ...t, queueOf: desk });
      }
    }
    return rows;
  }

  const waitingOptions = async (inv: Invocation) =>
    (await waitingOf(inv.operator.desks)).map((t) => ({ value: String(t.id), label: `#${t.id} ${customerName(t)} (${t.queueOf})` }));

  return [
    {
      name: 'help',
      summary: 'the commands you may use',
      usage: '!help',
      minRole: 'operator',
      inChat: false,
      fields: [],
      run: async (inv) => helpText(inv),
    },
    {
      name: 'queue',
      summary: 'who is waiting at your desks',
      usage: '!queue',
      minRole: 'operator',
      inChat: false,
      fields: [],
      async run(inv) {
        const rows = await waitingOf(scoped(inv));
        if (rows.length === 0) return 'Nobody is waiting.';
        const now = ctx.now();
        return `${rows
          .map(
            (t, i) =>
              `${i + 1}. #${t.id} ${customerName(t)}${t.summary ? ` (${t.summary})` : ''} — ${t.queueOf} — waiting ${formatDuration(now - t.createdAt)}` +
              (t.firstWords ? ` — “${t.firstWords}”` : ''),
          )
          .join('\n')}\nTake one with !pick <ticket>.`;
      },
    },
    {
      name: 'pick',
      summary: 'take a specific waiting customer, or a left message (to answer with !reply)',
      usage: '!pick <ticket>',
      minRole: 'operator',
      inChat: false,
      ticketArg: 'served',
      fields: [{ var: 'ticket', label: 'Waiting customer', required: true, options: waitingOptions }],
      async run(inv) {
        const ticket = inv.subject as Ticket;
        const id = ticket.id;
        const desk = servingDesk(ticket);
        if (ticket.state === 'offline') {
          // A left message (issue 17): picking it claims it, so !tickets shows it taken; open or closed desk alike.
          const holder = await store.customers.claimOffline(id, inv.bare);
          if (holder !== inv.bare)
            throw new DomainError('conflict', `Cannot pick #${id}: ${directory.operator(holder)?.name ?? 'another operator'} has taken it`);
          return `#${id} is yours: answer it with !reply ${id} <text>.`;
        }
        if (ticket.state !== 'waiting') throw new DomainError('unknown-session', `Ticket #${id} is not waiting`);
        const outcome = await dispatcher.pick(desk, id, inv.bare);
        if (!outcome.ok) {
          const reasons: Partial<Record<ScriptFailure, string>> = {
            headChanged: 'someone else took it',
            operatorUnavailable: 'you are offline',
            operatorFull: 'you are at your capacity',
          };
          throw failureError(outcome.failure, `Cannot pick #${id}: ${reasons[outcome.failure] ?? 'refused'}`);
        }
        return '';
      },
    },
    {
      name: 'staff',
      summary: 'who is on, their presence and load',
      usage: '!staff',
      minRole: 'operator',
      inChat: false,
      fields: [],
      async run(inv) {
        const jids = [...new Set(scoped(inv).flatMap((d) => directory.operatorsOfDesk(d)))];
        const loads = await store.operators.operatorLoads(jids, directory.maxChatsOf);
        return loads.map((l) => `${directory.operator(l.jid)?.name ?? l.jid} — ${l.status} — ${l.active}/${l.max}`).join('\n');
      },
    },
    {
      name: 'max',
      summary: 'your capacity (1–9 chats at once)',
      usage: '!max <1-9>',
      minRole: 'operator',
      inChat: false,
      fields: [{ var: 'max', label: 'Chats at once (1–9)', required: true }],
      async run(inv) {
        const n = Number(inv.args.split(/\s+/)[0]);
        if (!Number.isInteger(n) || n < 1 || n > 9) throw new DomainError('bad-command', 'Usage: !max <1-9>');
        const limit = directory.maxChatsLimitOf(inv.bare);
        if (n > limit) throw new DomainError('bad-command', `Your administrator allows at most ${limit} chats at once`);
        await store.operators.setOperatorMax(inv.bare, clampCapacity(n));
        for (const desk of inv.operator.desks) await dispatcher.dispatch(desk);
        return `You now take up to ${n} chats at once.`;
      },
    },
    {
      name: 'stats',
      summary: 'figures for you (and your desks, for supervisors) over a period',
      usage: '!stats [today|yesterday|7d|30d|YYYY-MM-DD..YYYY-MM-DD]',
      minRole: 'operator',
      inChat: false,
      fields: [{ var: 'period', label: 'Period: today, yesterday, 7d, 30d or YYYY-MM-DD..YYYY-MM-DD', required: false }],
      async run(inv) {
        const zone = directory.desk(inv.operator.desks[0] ?? '')?.timeZone ?? 'UTC';
        const period = parsePeriod(inv.args, localBucket(ctx.now(), zone).day);
        if (!period) throw new DomainError('bad-command', 'Usage: !stats [today|yesterday|7d|30d|YYYY-MM-DD..YYYY-MM-DD]');
        const viewer = { jid: inv.bare, role: inv.operator.role, desks: inv.operator.desks };
        const label = period.from === period.to ? period.from : `${period.from}..${period.to}`;
        const mine = await reports.report(viewer, { ...period, operator: inv.bare, by: 'day' });
        const lines = [statsLine(`You (${label})`, mine.totals, false)];
        if (inv.operator.role !== 'operator') {
          for (const desk of scoped(inv)) {
            const r = await reports.report(viewer, { ...period, desk, by: 'day' });
            lines.push(statsLine(directory.desk(desk)?.name ?? desk, r.totals, true));
          }
        }
        return lines.join('\n');
      },
    },
  ];
}
