/**
 * `!closed on|off` (and the XEP-0050 command `closed`): the desk's manual "closed now" switch
 * (issue 17), for a supervisor of the desk addressed or an admin (the registry checks role and
 * desk, scope.ts); the console's Desks page uses the same service (closed-switch.ts).
 */
import { DomainError } from '../../../src/errors.js';
import type { ClosedSwitch } from '../closed-switch.js';
import type { CommandSpec } from './types.js';

const SWITCH = { on: true, off: false } as const;

export function createHoursCommands(closedSwitch: ClosedSwitch): CommandSpec[] {
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
        return closedSwitch.set(inv.desk, SWITCH[word], inv.bare);
      },
    },
  ];
}
