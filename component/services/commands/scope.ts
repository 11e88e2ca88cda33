/**
 * Where an operator's command may act (README "Who may do what"), checked once for both doors
 * (`!` text and XEP-0050) by the registry:
 * - per-chat commands: only in the invoker's own chat, whatever the role (supervisors reach
 *   other chats with !monitor, !whisper, !takeover);
 * - commands addressed to a desk JID: a desk of the invoker's (admins: any desk);
 * - commands naming a ticket: the ticket's desk is one of the invoker's (admins: any), or,
 *   for `!pick`, one the invoker serves (admins too: picking is serving).
 */
import { DomainError } from '../../../src/errors.js';
import { parseMaskedLocal } from '../../../src/masked-jid.js';
import { actsAtDesk } from '../../../src/roles.js';
import type { OperatorConfig } from '../../../config/schema.js';
import type { Ticket } from '../../store/desk-store.js';
import type { CommandSpec, Invocation } from './types.js';

/** The desk that serves a ticket now: one transferred to another desk's queue belongs to that desk. */
export const servingDesk = (t: Pick<Ticket, 'desk' | 'queueDesk'>): string => t.queueDesk || t.desk;

/** The desks whose lists (queue, staff, stats, offline messages) the invoker sees. */
export const desksInScope = (op: OperatorConfig, all: readonly string[]): readonly string[] => (op.role === 'admin' ? all : op.desks);

export interface ScopeDeps {
  ticket(id: number): Promise<Ticket | undefined>;
  deskName(desk: string): string;
}

export function createScope(deps: ScopeDeps) {
  const notYours = (what: string) => new DomainError('not-your-session', what);

  return {
    /** Why this invocation is outside the invoker's chat or desks; undefined when it is inside. */
    placeError(inv: Pick<Invocation, 'operator' | 'bare' | 'ticket' | 'desk'>): DomainError | undefined {
      if (inv.ticket) return inv.ticket.operator === inv.bare ? undefined : notYours('This chat is not assigned to you');
      return actsAtDesk(inv.operator, inv.desk) ? undefined : notYours(`You are not an operator of ${deps.deskName(inv.desk)}`);
    },

    /** The ticket named by the first argument (`42`, `#42`, `t42-k7q3`), if the invoker may act on it. */
    async subject(spec: Pick<CommandSpec, 'ticketArg'>, inv: Pick<Invocation, 'operator' | 'args'>): Promise<Ticket> {
      const word = inv.args.trim().split(/\s+/)[0] ?? '';
      const id = parseMaskedLocal(word.split('@')[0] ?? '')?.ticket ?? Number(word.replace(/^#/, ''));
      const ticket = Number.isSafeInteger(id) && id > 0 ? await deps.ticket(id) : undefined;
      if (!ticket) throw new DomainError('unknown-session', `No ticket ${Number.isSafeInteger(id) ? `#${id}` : word}`);
      const desk = servingDesk(ticket);
      const allowed = spec.ticketArg === 'served' ? inv.operator.desks.includes(desk) : actsAtDesk(inv.operator, desk);
      if (!allowed) throw notYours(`Ticket #${ticket.id} is at ${deps.deskName(desk)}, not one of your desks`);
      return ticket;
    },

    /** A blacklisting is lifted at the desk where it was placed (admins: anywhere). */
    checkBanDesk(op: OperatorConfig, banDesk: string | undefined, ticketId: number): void {
      if (op.role === 'admin') return;
      if (!banDesk || !actsAtDesk(op, banDesk)) {
        throw notYours(
          `The customer of ticket #${ticketId} was blacklisted at ${banDesk ? deps.deskName(banDesk) : 'another desk'}, not one of your desks`,
        );
      }
    },
  };
}
export type Scope = ReturnType<typeof createScope>;
