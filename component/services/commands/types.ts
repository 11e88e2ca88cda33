/** One operator action, usable as a `!command` and as an XEP-0050 ad-hoc command. */
import type { OperatorConfig } from '../../../config/schema.js';
import type { CommandName } from '../../../src/commands.js';
import type { Role } from '../../../src/roles.js';
import type { Ticket } from '../../store/desk-store.js';

export interface Invocation {
  operator: OperatorConfig;
  /** The operator's bare JID. */
  bare: string;
  args: string;
  /** The chat the command was given in (masked JID), if any. */
  ticket?: Ticket;
  /** The desk addressed (desk JID) or the chat's desk. */
  desk: string;
  /** The ticket named by the first argument (commands with `ticketArg`), scope-checked by the registry. */
  subject?: Ticket;
}

export interface ArgField {
  var: string;
  label: string;
  required: boolean;
  /** Choices for a list-single field (ad-hoc forms). */
  options?: (inv: Invocation) => Promise<{ label: string; value: string }[]>;
}

/** Commands with no `!` form: XEP-0050 only, at the component's domain JID (issue 16). */
export type DomainCommandName = 'console-session';

/** A command's answer as data: an XEP-0004 form of type `result` beside the note (XEP-0050 §4.4). */
export interface CommandResultForm {
  note: string;
  fields: { var: string; label: string; value: string }[];
}

export interface CommandSpec {
  name: CommandName | DomainCommandName;
  summary: string;
  usage: string;
  minRole: Role;
  /** Needs a customer's chat (masked JID). */
  inChat: boolean;
  /**
   * The first argument names a ticket; the registry resolves it and refuses one outside the
   * invoker's scope (scope.ts): 'scoped' at the invoker's desks (admins: any), 'served' at the
   * desks the invoker serves (admins too).
   */
  ticketArg?: 'scoped' | 'served';
  /** Arguments, in order: the text form joins them with spaces, ad-hoc asks for them in a form. */
  fields: ArgField[];
  /**
   * Addressed to the component's domain JID (XEP-0050 only; `desk` is '' there), not to a desk
   * or a chat; answered with `result` instead of `run`.
   */
  atDomain?: boolean;
  result?: (inv: Invocation) => Promise<CommandResultForm>;
  /** Returns the reply to the operator ('' for none). Throws DomainError for refusals. */
  run(inv: Invocation): Promise<string>;
}
