/**
 * `!closed on|off` (and the XEP-0050 command `closed`): the desk's manual "closed now" switch
 * (issue 17), for a supervisor of the desk addressed or an admin (the registry checks role and
 * desk, scope.ts). Kept in Redis, so it outlives a restart; recorded in the evidence log.
 */
import { DomainError } from '../../../src/errors.js';
import { deskClosure } from '../../../src/business-hours.js';
import type { ServiceContext } from '../context.js';
import type { DeskPresence } from '../desk-presence.js';
import type { CommandSpec } from './types.js';

const SWITCH = { on: true, off: false } as const;

export function createHoursCommands(ctx: ServiceContext<'hours'>, presence: DeskPresence): CommandSpec[] {
  const { store, directory, log } = ctx;
  return [
    {
      name: 'closed',
      summary: 'switch the desk closed now (on) or back to its hours (off)',
      usage: '!closed on|off',
      minRole: 'supervisor',
      inChat: false,
      fields: [
        {
          var: 'state',
          label: 'Closed now',
          required: true,
          options: async () => [
            { value: 'on', label: 'on: closed until switched off' },
            { value: 'off', label: 'off: open by the desk’s hours' },
          ],
        },
      ],
      async run(inv) {
        const word = inv.args.trim().toLowerCase();
        if (word !== 'on' && word !== 'off') throw new DomainError('bad-command', 'Usage: !closed on|off');
        const closed = SWITCH[word];
        const now = ctx.now();
        await store.hours.setClosedNow(inv.desk, closed, inv.bare, now);
        void ctx.evidence.record({ kind: 'settings', ticket: null, desk: inv.desk, data: { closedNow: closed, by: inv.bare } });
        log.info({ desk: inv.desk, closedNow: closed, by: inv.bare }, 'desk closed-now switch');
        presence.refresh(inv.desk);
        const deskName = directory.desk(inv.desk)?.name ?? inv.desk;
        if (closed) return `${deskName} is closed now: new customers leave a message; waiting ones are still served.`;
        const closure = deskClosure(directory.desk(inv.desk)?.hours, false, new Date(now));
        return closure ? `${deskName} follows its hours again: ${closure.status}.` : `${deskName} is open again.`;
      },
    },
  ];
}
