/**
 * Message archives for operators (XEP-0313), served from the evidence log:
 * - a masked JID's archive is that chat as the operators' clients got it, for the chat's
 *   operators (assigned now or before), for supervisors of its desk and for admins;
 * - a desk JID's archive is the asking operator's chats on that desk (supervisors of the desk
 *   and admins: every chat of it), newest `deskWindow` chats at most.
 * Addresses are the ones operators see: masked and desk JIDs for the customer's side, the
 * operator's own bare JID for what operators wrote; never a customer's real JID.
 * References: https://xmpp.org/extensions/xep-0313.html (§3 archive JIDs, §4 querying)
 */
import { DomainError } from '../../src/errors.js';
import { bareJid } from '../../src/jid.js';
import { parseMaskedLocal } from '../../src/masked-jid.js';
import { pageOf, type MamPage, type MamQuery } from '../../src/evidence/mam-query.js';
import { hasRole, type Role } from '../../src/roles.js';
import type { Entry } from '../../src/evidence/entry.js';
import { stanzaFacts, type Transcripts } from './transcripts.js';

export interface MamItem {
  /** Archive id (the record's seq). */
  seq: number;
  at: number;
  from: string;
  to: string;
  /** The message as recorded (its payload is what the operator got). */
  stanza: string;
  /** The chat's masked JID (the `with` of desk archives). */
  masked: string;
}

export interface MamDeps {
  transcripts: Transcripts;
  domain: string;
  operator: (bare: string) => { role: Role; desks: readonly string[] } | undefined;
  maskedJid: (local: string) => string;
  /** Chats looked at for a desk archive (newest first). */
  deskWindow?: number;
}

const lower = (jid: string | undefined) => (jid ? bareJid(jid).toLowerCase() : '');

export function createMamService(deps: MamDeps) {
  const { transcripts } = deps;
  const isOurs = (jid: string | undefined) => !!jid && (jid === deps.domain || jid.split('/')[0]?.endsWith(`@${deps.domain}`) === true);

  /** The operator-facing messages of one chat, as archive items. */
  function itemsOf(entries: readonly Entry[]): MamItem[] {
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    const items: MamItem[] = [];
    for (const line of transcripts.linesOf(entries, 'operator')) {
      const e = bySeq.get(line.seq);
      if (!e || line.redacted || typeof e.content.stanza !== 'string') continue; // erased content is not served
      const masked = e.parties.masked ?? '';
      const operator = e.parties.operator ?? '';
      if (!masked || !operator) continue;
      const recordedFrom = stanzaFacts(e.content.stanza)?.from;
      const fromOperator = line.direction === 'operator->customer';
      items.push({
        seq: e.seq,
        at: e.ts,
        masked,
        stanza: e.content.stanza,
        from: fromOperator ? operator : isOurs(recordedFrom) ? (recordedFrom as string) : masked,
        to: fromOperator ? masked : operator,
      });
    }
    return items;
  }

  function matches(item: MamItem, q: MamQuery): boolean {
    if (q.start !== undefined && item.at < q.start) return false;
    if (q.end !== undefined && item.at > q.end) return false;
    if (q.with !== undefined) {
      const w = q.with.toLowerCase();
      const exact = w.includes('/') ? [item.from.toLowerCase(), item.to.toLowerCase()] : [lower(item.from), lower(item.to)];
      if (!exact.includes(w)) return false;
    }
    return true;
  }

  function requireOperator(requester: string) {
    const op = deps.operator(lower(requester));
    if (!op) throw new DomainError('not-an-operator', 'Only operators can read the desk archives');
    return op;
  }

  return {
    /** A masked JID's archive: one chat. */
    async chat(requester: string, local: string, q: MamQuery): Promise<MamPage<MamItem>> {
      const op = requireOperator(requester);
      const parsed = parseMaskedLocal(local);
      const masked = deps.maskedJid(local);
      const entries = parsed ? await transcripts.records(parsed.ticket) : [];
      if (!entries.some((e) => e.parties.masked === masked)) throw new DomainError('unknown-session', 'No such chat');
      const own = entries.some((e) => lower(e.parties.operator) === lower(requester));
      // Supervisors read the chats of the desks they serve (as for desk archives), admins every chat.
      const deskOfChat = entries.find((e) => e.desk)?.desk ?? '';
      const overseen = hasRole(op.role, 'admin') || (hasRole(op.role, 'supervisor') && op.desks.includes(deskOfChat));
      if (!own && !overseen) throw new DomainError('not-your-session', 'This chat belongs to another operator');
      return pageOf(
        itemsOf(entries).filter((i) => matches(i, q)),
        q,
      );
    },

    /** A desk JID's archive: the requester's chats there (supervisors of the desk, admins: all). */
    async desk(requester: string, desk: string, q: MamQuery): Promise<MamPage<MamItem>> {
      const op = requireOperator(requester);
      const all = hasRole(op.role, 'admin') || (hasRole(op.role, 'supervisor') && op.desks.includes(desk));
      const scope = all ? { desk } : { operator: lower(requester) };
      const tickets = await transcripts.tickets(scope, { to: q.end, count: deps.deskWindow ?? 500 });
      const loaded = await transcripts.load(tickets.map((t) => t.ticket));
      const items: MamItem[] = [];
      for (const entries of loaded.values()) {
        if (!entries.some((e) => e.desk === desk)) continue; // the operator's chats on other desks
        items.push(...itemsOf(entries));
      }
      items.sort((a, b) => a.seq - b.seq);
      return pageOf(
        items.filter((i) => matches(i, q)),
        q,
      );
    },
  };
}
export type MamService = ReturnType<typeof createMamService>;
