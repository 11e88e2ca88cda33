/**
 * The operator's commands, one registry for both doors: chat messages starting with `!`
 * and XEP-0050 ad-hoc commands. Role, chat ownership and desk scope (scope.ts) are checked
 * here, once.
 */
import type { CommandName } from '../../../src/commands.js';
import { DomainError } from '../../../src/errors.js';
import { hasRole } from '../../../src/roles.js';
import type { Scope } from './scope.js';
import type { CommandSpec, Invocation } from './types.js';

type Place = Pick<Invocation, 'operator' | 'bare' | 'ticket' | 'desk'>;

export function createCommandRegistry(initial: readonly CommandSpec[], scope: Scope) {
  const specs: CommandSpec[] = [...initial];
  const byName = new Map(specs.map((s) => [s.name, s]));

  /** The component's domain JID (desk '') takes only its own commands, and only it takes them. */
  const atDomain = (inv: Place) => inv.desk === '' && !inv.ticket;
  const available = (inv: Place) =>
    atDomain(inv)
      ? specs.filter((s) => s.atDomain && hasRole(inv.operator.role, s.minRole))
      : !scope.placeError(inv)
        ? specs.filter((s) => !s.atDomain && hasRole(inv.operator.role, s.minRole) && (!s.inChat || inv.ticket))
        : [];

  function helpText(inv: Place): string {
    const lines = available(inv).map((s) => `${s.usage} — ${s.summary}`);
    const chatOnly = specs.filter((s) => s.inChat && !s.atDomain && !inv.ticket && hasRole(inv.operator.role, s.minRole));
    if (chatOnly.length) lines.push(`In a customer's chat also: ${chatOnly.map((s) => `!${s.name}`).join(', ')}`);
    lines.push('Start a message with !! to send a literal "!" to the customer.');
    return lines.join('\n');
  }

  return {
    /** Commands are added after the registry exists, since !help describes the registry itself. */
    register(more: readonly CommandSpec[]): void {
      for (const s of more) {
        specs.push(s);
        byName.set(s.name, s);
      }
    },
    spec: (name: string) => byName.get(name as CommandName),
    available,
    helpText,
    /** Refuses a command this operator may not run here (role, chat, desk); before any form is shown. */
    authorize(name: string, inv: Place): void {
      const spec = byName.get(name as CommandName);
      if (!spec) return;
      if (!hasRole(inv.operator.role, spec.minRole)) throw new DomainError('not-an-operator', `!${name} needs the ${spec.minRole} role`);
      if (Boolean(spec.atDomain) !== atDomain(inv))
        throw new DomainError(
          'bad-command',
          spec.atDomain ? `${name} is run at the component's domain JID` : `!${name} is run at a desk or chat`,
        );
      if (spec.atDomain) return;
      if (spec.inChat && !inv.ticket) throw new DomainError('bad-command', `!${name} works in a customer's chat`);
      const outside = scope.placeError(inv);
      if (outside) throw outside;
    },

    async execute(name: CommandName, inv: Invocation): Promise<string> {
      const spec = byName.get(name);
      if (!spec) throw new DomainError('bad-command', `Unknown command !${name}`);
      this.authorize(name, inv);
      if (name === 'help') return helpText(inv);
      const required = spec.fields.filter((f) => f.required).length;
      if (inv.args.trim().split(/\s+/).filter(Boolean).length < required) throw new DomainError('bad-command', `Usage: ${spec.usage}`);
      const subject = spec.ticketArg ? await scope.subject(spec, inv) : undefined;
      return spec.run(subject ? { ...inv, subject } : inv);
    },
  };
}
export type CommandRegistry = ReturnType<typeof createCommandRegistry>;
