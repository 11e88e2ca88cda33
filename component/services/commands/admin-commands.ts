/**
 * The admin actions that make sense as a chat line at a desk JID (issue 16), over the
 * AdminService (which checks the live role: a refusal comes back as a ⚠ line):
 * - `!hours` shows the desk's hours as text (src/org/hours-text.ts); admins change them with
 *   `!hours set <lines>` (lines, or `;` between them) or remove them with `!hours clear`;
 * - `!canned-set <name> <text>` / `!canned-del <name>`: the desk's own canned replies (admins);
 * - `!bans`: the blacklist (supervisors and admins; `!unban <ticket>` lifts one).
 * The full editors are the XEP-0050 admin commands on the domain JID (xmpp/handlers/admin-adhoc.ts).
 */
import { DomainError, isDomainError } from '../../../src/errors.js';
import { formatHours, parseHours } from '../../../src/org/hours-text.js';
import type { AdminService, Actor, DeskSettings } from '../admin/admin-types.js';
import type { CommandSpec, Invocation } from './types.js';

const NAME = /^[a-z0-9_-]+$/i;

export function createAdminCommands(admin: AdminService): CommandSpec[] {
  const actorOf = (inv: Invocation): Actor => ({ jid: inv.bare.toLowerCase() });
  const deskOf = (id: string): DeskSettings => {
    const desk = admin.snapshot().desks.find((d) => d.id === id);
    if (!desk) throw new DomainError('unknown-desk', `No desk ${id}`);
    return desk;
  };
  /** One write with the revision just read; a race with another admin says so instead of overwriting. */
  async function write(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (isDomainError(err) && err.code === 'conflict')
        throw new DomainError('conflict', `Someone else changed ${what} meanwhile; nothing was saved. Look again and retry.`);
      throw err;
    }
  }

  async function setHours(inv: Invocation, text: string | undefined): Promise<string> {
    // The service refuses anyone but admins; asked first, so an operator reads that, not a read refusal.
    if (admin.roleOf(actorOf(inv)) !== 'admin') throw new DomainError('forbidden', 'Only admins may change settings');
    const entity = await admin.get(actorOf(inv), 'desk', inv.desk); // the newest revision
    if (!entity) throw new DomainError('unknown-desk', `No desk ${inv.desk}`);
    const desk = entity.value;
    const { hours: _old, ...rest } = desk;
    let value: DeskSettings = rest;
    if (text !== undefined) {
      const parsed = parseHours(text.replace(/;/g, '\n'), desk.hours?.timeZone ?? desk.timeZone);
      if (!parsed.ok) throw new DomainError('bad-command', `Hours not changed: ${parsed.error}`);
      value = { ...rest, hours: { ...parsed.hours, ...(desk.hours?.zoneLabel ? { zoneLabel: desk.hours.zoneLabel } : {}) } };
    }
    await write(`${desk.name}'s settings`, () => admin.put(actorOf(inv), 'desk', desk.id, value, entity.rev));
    return text === undefined
      ? `${desk.name} has no business hours now: open whenever an operator is on.`
      : `${desk.name}'s hours are now:\n${formatHours(value.hours as NonNullable<DeskSettings['hours']>)}`;
  }

  return [
    {
      name: 'hours',
      summary: "the desk's business hours (admins: set <lines> or clear)",
      usage: '!hours [set <lines>|clear]',
      minRole: 'operator',
      inChat: false,
      fields: [{ var: 'change', label: 'Empty: show. Admins: "set mon 09:00-18:00; sat closed" or "clear"', required: false }],
      async run(inv) {
        const m = /^(\S*)\s*([\s\S]*)$/.exec(inv.args.trim());
        const sub = (m?.[1] ?? '').toLowerCase();
        if (sub === 'set') {
          if (!m?.[2]?.trim()) throw new DomainError('bad-command', 'Usage: !hours set mon 09:00-18:00; sat closed; 2026-12-24 closed');
          return setHours(inv, m[2]);
        }
        if (sub === 'clear') return setHours(inv, undefined);
        if (sub) throw new DomainError('bad-command', 'Usage: !hours [set <lines>|clear]');
        const desk = deskOf(inv.desk);
        if (!desk.hours) return `${desk.name} has no business hours: open whenever an operator is on.`;
        const text = formatHours(desk.hours);
        return `${desk.name}'s hours (${desk.hours.zoneLabel ?? desk.hours.timeZone}):\n${text || 'closed every day'}`;
      },
    },
    {
      name: 'canned-set',
      summary: "add or change one of the desk's own canned replies",
      usage: '!canned-set <name> <text>',
      minRole: 'admin',
      inChat: false,
      fields: [
        { var: 'name', label: 'Name (one word)', required: true },
        { var: 'text', label: 'Text ({customer}, {operator}, {desk} are filled in)', required: true },
      ],
      async run(inv) {
        const [, name = '', text = ''] = /^(\S+)\s+([\s\S]+)$/.exec(inv.args.trim()) ?? [];
        if (!NAME.test(name) || !text.trim())
          throw new DomainError('bad-command', 'Usage: !canned-set <name> <text> (a name is one word: a-z, 0-9, _ -)');
        const current = await admin.get(actorOf(inv), 'canned', inv.desk);
        const set = { ...(current?.value ?? {}), [name]: text.trim() };
        const deskName = deskOf(inv.desk).name;
        await write(`${deskName}'s canned replies`, () => admin.put(actorOf(inv), 'canned', inv.desk, set, current?.rev ?? 0));
        return `${current?.value[name] === undefined ? 'Added' : 'Changed'} the canned reply "${name}" of ${deskName}.`;
      },
    },
    {
      name: 'canned-del',
      summary: "delete one of the desk's own canned replies",
      usage: '!canned-del <name>',
      minRole: 'admin',
      inChat: false,
      fields: [{ var: 'name', label: 'Name', required: true }],
      async run(inv) {
        const name = inv.args.trim().split(/\s+/)[0] ?? '';
        const current = await admin.get(actorOf(inv), 'canned', inv.desk);
        const deskName = deskOf(inv.desk).name;
        if (!current || current.value[name] === undefined)
          throw new DomainError('unknown-session', `${deskName} has no canned reply "${name}" of its own`);
        const { [name]: _gone, ...rest } = current.value;
        await write(`${deskName}'s canned replies`, () => admin.put(actorOf(inv), 'canned', inv.desk, rest, current.rev));
        return `Deleted the canned reply "${name}" of ${deskName}.`;
      },
    },
    {
      name: 'bans',
      summary: 'the blacklist (lift one with !unban <ticket>)',
      usage: '!bans',
      minRole: 'supervisor',
      inChat: false,
      fields: [],
      async run(inv) {
        const bans = await admin.bans(actorOf(inv));
        if (bans.length === 0) return 'Nobody is blacklisted.';
        const lines = bans.map(
          (b) =>
            `${b.ticket === null ? 'no ticket' : `#${b.ticket}`} — ${b.reason ?? 'no reason given'} — by ${b.by}, ${b.at.slice(0, 16).replace('T', ' ')} UTC`,
        );
        return `Blacklisted (${bans.length}):\n${lines.join('\n')}`;
      },
    },
  ];
}
