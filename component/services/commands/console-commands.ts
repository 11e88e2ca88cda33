/**
 * The XEP-0050 command `console-session` (issue 16), at the component's domain JID: the web
 * console (an XMPP client in the browser, logged in with the person's own account) runs it and
 * gets a short-lived bearer token for the portal's /api/admin/* — no second password store, and
 * the portal never sees a password. Any configured operator may run it; what the session opens
 * follows the live role (operators' sessions get 403 from the admin API).
 * Reference: https://xmpp.org/extensions/xep-0050.html §4.4 (a completed command with a result form)
 */
import type { ConsoleSessions } from '../admin/admin-types.js';
import type { CommandSpec } from './types.js';

export function createConsoleCommands(sessions: ConsoleSessions): CommandSpec[] {
  return [
    {
      name: 'console-session',
      summary: 'open a session for the web console at /admin',
      usage: 'console-session',
      minRole: 'operator',
      inChat: false,
      atDomain: true,
      fields: [],
      async result(inv) {
        const s = await sessions.open({ jid: inv.bare });
        return {
          note: `Console session for ${s.jid} (${s.role}) until ${s.expiresAt}.`,
          fields: [
            { var: 'token', label: 'Bearer token', value: s.token },
            { var: 'expires', label: 'Expires', value: s.expiresAt },
            { var: 'role', label: 'Role', value: s.role },
          ],
        };
      },
      async run() {
        return 'Run console-session as an XEP-0050 command at the component’s domain JID.';
      },
    },
  ];
}
