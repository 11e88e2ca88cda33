/**
 * XEP-0050 session ids for the multi-stage admin commands, with no session store: the id names
 * the command, the requester's full JID and when it began, sealed with an HMAC of the component
 * secret, so any instance sharing the secret can check it. Everything else a stage needs travels
 * in the form's hidden fields. A finished (completed or canceled) id is remembered here for its
 * remaining lifetime, best effort: a replay elsewhere still meets the entity's revision check.
 * References: https://xmpp.org/extensions/xep-0050.html#desc-command (sessionid),
 * https://xmpp.org/extensions/xep-0050.html#desc-errors (bad-sessionid, session-expired)
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SessionCheck = 'ok' | 'bad-sessionid' | 'session-expired';

export interface AdhocSessionsOptions {
  secret: string;
  now: () => number;
  /** How long a command session lives (default 15 min). */
  ttlMs?: number;
}

export function createAdhocSessions(opts: AdhocSessionsOptions) {
  const ttl = opts.ttlMs ?? 15 * 60_000;
  const key = createHmac('sha256', opts.secret).update('madoguchi admin ad-hoc sessions').digest();
  const finished = new Map<string, number>(); // id → when it may be forgotten
  const seal = (payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, 16);

  function parse(id: string): { node: string; jid: string; at: number } | undefined {
    const [body = '', mac = ''] = id.split('.');
    const given = Buffer.from(mac, 'base64url');
    const payload = Buffer.from(body, 'base64url').toString('utf8');
    const expected = seal(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const [node = '', jid = '', at = ''] = payload.split('\n');
    return { node, jid, at: Number(at) };
  }

  return {
    /** A new session id for `node` run by `jid` (full JID). */
    issue(node: string, jid: string): string {
      const payload = [node, jid, String(opts.now()), randomBytes(6).toString('hex')].join('\n');
      return `${Buffer.from(payload).toString('base64url')}.${seal(payload).toString('base64url')}`;
    },

    /** Whether `id` is a live session of `node` for `jid`. */
    check(id: string, node: string, jid: string): SessionCheck {
      const s = parse(id);
      if (!s || s.node !== node || s.jid !== jid) return 'bad-sessionid';
      const now = opts.now();
      if (now - s.at > ttl || finished.has(id)) return 'session-expired';
      return 'ok';
    },

    /** The session completed or was canceled: later stages get session-expired. */
    finish(id: string): void {
      const s = parse(id);
      if (!s) return;
      const now = opts.now();
      for (const [k, until] of finished) if (until < now) finished.delete(k);
      finished.set(id, s.at + ttl);
    },
  };
}
export type AdhocSessions = ReturnType<typeof createAdhocSessions>;
