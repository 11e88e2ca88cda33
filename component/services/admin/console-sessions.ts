/**
 * Console sessions (issue 16, docs/admin.md): the web console's bearer tokens. Issued over XMPP by
 * the XEP-0050 command `console-session` (commands/console-commands.ts) to any configured operator,
 * kept in Redis (store/console-session-store.ts) as the token's SHA-256 → the bare JID.
 *
 * Not sliding: a session ends `ttlSeconds` (30 min) after it was issued, however busy. The console
 * keeps its XMPP connection and asks for a new token before the old one ends, so a stolen token is
 * good for at most 30 minutes, and closing the tab (or losing the XMPP login) ends the session.
 * The role is not frozen in the session: every call looks it up live (AdminService.roleOf), so
 * removing an admin or lowering their role takes effect at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../../../src/errors.js';
import type { ConsoleSessionStore } from '../../store/console-session-store.js';
import type { Actor, AdminRole, ConsoleSessions, PortalSession } from './admin-types.js';

export const CONSOLE_SESSION_SECONDS = 30 * 60;
/** 32 random bytes, base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface ConsoleSessionDeps {
  store: ConsoleSessionStore;
  /** The live role of a bare JID; undefined for anyone who is not a configured operator. */
  roleOf(jid: string): AdminRole | 'operator' | undefined;
  now: () => number;
  ttlSeconds?: number;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function createConsoleSessions(deps: ConsoleSessionDeps): ConsoleSessions & { close(token: string): Promise<void> } {
  const ttl = deps.ttlSeconds ?? CONSOLE_SESSION_SECONDS;
  return {
    async open(actor: Actor): Promise<PortalSession> {
      const jid = actor.jid.toLowerCase();
      const role = deps.roleOf(jid);
      if (!role) throw new DomainError('not-an-operator', 'Only the desk’s operators may open a console session');
      const token = randomBytes(32).toString('base64url');
      await deps.store.put(hashOf(token), jid, ttl);
      return { token, jid, role, expiresAt: new Date(deps.now() + ttl * 1000).toISOString() };
    },

    async actorOf(token: string): Promise<Actor | undefined> {
      if (!TOKEN.test(token)) return undefined;
      const jid = await deps.store.jidOf(hashOf(token));
      return jid ? { jid } : undefined;
    },

    /** Logging out: the token stops working at once. */
    async close(token: string): Promise<void> {
      if (TOKEN.test(token)) await deps.store.remove(hashOf(token));
    },
  };
}
export type ConsoleSessionService = ReturnType<typeof createConsoleSessions>;
