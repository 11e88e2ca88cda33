/**
 * The one administration service (issue 16; the contract and its rules: admin-types.ts). Both
 * front doors call it: the XEP-0050 admin commands and the console's JSON API. The actor's role
 * is read from the live snapshot on every call; writes validate the whole resulting settings,
 * are one compare-and-set in Redis (store/org-store.ts), recorded (org-audit.ts) and announced.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { isTokenKey } from '../../../src/customer/token.js';
import { bareJid } from '../../../src/jid.js';
import { DomainError } from '../../../src/errors.js';
import { entitiesOf, settingsOf } from '../../../config/org-settings.js';
import { parseEntity, validateOrg, type OrgSettings } from '../../../config/org-schema.js';
import type { CustomerStore } from '../../store/customer-store.js';
import type { OrgStore } from '../../store/org-store.js';
import type { Actor, AdminRole, AdminService, BanEntry, OrgEntity, OrgKind, OrgSnapshot } from './admin-types.js';
import type { OrgAudit } from './org-audit.js';
import type { LiveOrg } from './live-org.js';
import { entitiesFromStore, fieldOf } from './org-snapshot.js';

export interface AdminDeps {
  live: LiveOrg;
  org: OrgStore;
  customers: Pick<CustomerStore, 'bans' | 'banRecord' | 'unban'>;
  audit: OrgAudit;
  /** Always admins, whatever the settings say (env MADOGUCHI_ADMIN): a fresh install is never locked out. */
  bootstrapAdmins: readonly string[];
  /** Why the desk cannot be removed now (customers waiting or chatting there), or undefined. */
  deskBusy(desk: string): Promise<string | undefined>;
  log: Pick<Logger, 'info'>;
}

/**
 * The ban list names customers by a key staff may see: a widget customer's key is already a hash
 * of their token; an XMPP customer's is their bare JID, which staff never learn (README: masked
 * addresses), so it is shown hashed too, and unban() finds it by that.
 */
const shownKey = (customerKey: string) =>
  isTokenKey(customerKey) ? customerKey : `jid:${createHash('sha256').update(customerKey).digest('hex').slice(0, 32)}`;

/** Writes retried when another change moved the settings between our read and our write. */
const MAX_ATTEMPTS = 5;

const isAdminOf = (s: OrgSettings, bootstrap: readonly string[]) => bootstrap.length > 0 || s.operators.some((o) => o.role === 'admin');

/** The entities of a snapshot, with their revisions (a built-in default not stored yet is rev 0). */
const entitiesAt = (s: OrgSnapshot): OrgEntity[] => entitiesOf(s).map((e) => ({ ...e, rev: s.entityRev(e.kind, e.id) }) as OrgEntity);

export function createAdminService(deps: AdminDeps): AdminService {
  const bootstrap = deps.bootstrapAdmins.map((j) => bareJid(j).toLowerCase());

  function roleOf(actor: Actor): AdminRole | 'operator' | undefined {
    const jid = bareJid(actor.jid).toLowerCase();
    if (bootstrap.includes(jid)) return 'admin';
    return deps.live.current().operators.find((o) => o.jid === jid)?.role;
  }

  function requireRole(actor: Actor, admin: boolean): { role: AdminRole; desks: readonly string[] } {
    const role = roleOf(actor);
    if (role === 'admin') return { role, desks: [] };
    if (role === 'supervisor' && !admin) {
      const desks = deps.live.current().operators.find((o) => o.jid === bareJid(actor.jid).toLowerCase())?.desks ?? [];
      return { role, desks };
    }
    throw new DomainError('forbidden', admin ? 'Only admins may change settings' : 'Only admins and supervisors may read settings');
  }

  /** What a supervisor of `desks` may read: their desks, their forms and canned sets (and the shared ones), their operators. */
  const visibleTo = (desks: readonly string[]) => (e: OrgEntity) => {
    if (e.kind === 'desk') return desks.includes(e.id);
    if (e.kind === 'canned') return e.id === 'global' || desks.includes(e.id);
    if (e.kind === 'form') return e.id === 'default' || desks.includes(e.id);
    if (e.kind === 'operator') return (e.value as OrgEntity<'operator'>['value']).desks.some((d) => desks.includes(d));
    return false;
  };

  async function readable(actor: Actor): Promise<(e: OrgEntity) => boolean> {
    await deps.live.ready();
    await deps.live.reload(); // reads follow the newest revision, even before its announcement arrives
    const who = requireRole(actor, false);
    return who.role === 'admin' ? () => true : visibleTo(who.desks);
  }

  /** put/remove: validate against the settings as read, compare-and-set, retry if they moved meanwhile. */
  async function change(actor: Actor, kind: OrgKind, id: string, value: unknown | null, expectedRev: number): Promise<OrgEntity> {
    await deps.live.ready();
    requireRole(actor, true);
    const field = fieldOf(kind, id);
    let parsed: unknown = null;
    if (value !== null) {
      const r = parseEntity(kind, id, value);
      if (!r.ok) throw new DomainError('bad-request', r.error);
      parsed = r.value;
    } else if (kind === 'desk') {
      const busy = await deps.deskBusy(id);
      if (busy) throw new DomainError('bad-request', `desk/${id}: cannot remove it now: ${busy}`);
    }
    for (let attempt = 1; ; attempt++) {
      const read = await deps.org.read();
      const before = entitiesFromStore(read.entities);
      const old = before.find((e) => e.kind === kind && e.id === id);
      const stale = () => new DomainError('conflict', `someone else changed ${field} (now rev ${old?.rev ?? 0}); reload`);
      if ((old?.rev ?? 0) !== expectedRev) throw stale();
      if (value === null && !old) throw new DomainError('bad-request', `${field}: (value): no such entity`);
      const after = before.filter((e) => e !== old);
      if (parsed !== null) after.push({ kind, id, rev: 0, value: parsed } as OrgEntity);
      const next = settingsOf(after);
      const problems = validateOrg(next);
      if (problems.length) throw new DomainError('bad-request', problems[0] as string);
      if (isAdminOf(settingsOf(before), bootstrap) && !isAdminOf(next, bootstrap)) {
        throw new DomainError('bad-request', `${field}: role: this would leave no admin (or set MADOGUCHI_ADMIN)`);
      }
      const r = await deps.org.write(read.rev, [{ field, expectedRev, value: parsed }]);
      if (r.ok) {
        const action = value === null ? 'delete' : old ? 'update' : 'create';
        await deps.audit.record(bareJid(actor.jid).toLowerCase(), [{ kind, id, action, old: old?.value ?? null, new: parsed }]);
        deps.log.info({ by: actor.jid, entity: field, action, rev: r.rev }, 'settings changed');
        await deps.live.reload(); // this instance applies it before answering; the others on the announcement
        return { kind, id, rev: r.rev, value: parsed } as OrgEntity;
      }
      if (r.reason === 'stale') throw new DomainError('conflict', `someone else changed ${field} (now rev ${r.rev}); reload`);
      if (attempt >= MAX_ATTEMPTS) throw new DomainError('conflict', `settings are changing too fast to save ${field}; retry`);
    }
  }

  async function visibleBans(actor: Actor): Promise<{ key: string; entry: BanEntry; desk: string | undefined }[]> {
    await deps.live.ready();
    const who = requireRole(actor, false);
    const all = await deps.customers.bans();
    return all
      .map(({ customerKey, record }) => ({
        desk: record.desk,
        key: customerKey,
        entry: {
          ticket: record.ticket || null,
          customerKey: shownKey(customerKey),
          by: record.by,
          ...(record.reason ? { reason: record.reason } : {}),
          at: new Date(record.at).toISOString(),
        },
      }))
      .filter((b) => who.role === 'admin' || (b.desk !== undefined && who.desks.includes(b.desk)));
  }

  return {
    roleOf,
    snapshot: () => deps.live.current(),
    async list(actor, kind) {
      const may = await readable(actor);
      return entitiesAt(deps.live.current()).filter((e) => e.kind === kind && may(e)) as OrgEntity<typeof kind>[];
    },
    async get(actor, kind, id) {
      const may = await readable(actor);
      const found = entitiesAt(deps.live.current()).find((e) => e.kind === kind && e.id === id);
      return found && may(found) ? (found as OrgEntity<typeof kind>) : undefined;
    },
    put: (actor, kind, id, value, expectedRev) => change(actor, kind, id, value ?? {}, expectedRev) as Promise<OrgEntity<typeof kind>>,
    async remove(actor, kind, id, expectedRev) {
      await change(actor, kind, id, null, expectedRev);
    },
    async bans(actor) {
      return (await visibleBans(actor)).map((b) => b.entry).sort((a, b) => b.at.localeCompare(a.at));
    },
    /** `customerKey` as bans() shows it. */
    async unban(actor, customerKey) {
      await deps.live.ready();
      requireRole(actor, true);
      const stored = (await visibleBans(actor)).find((b) => b.entry.customerKey === customerKey)?.key;
      const record = stored === undefined ? undefined : await deps.customers.banRecord(stored);
      if (stored === undefined || !record || !(await deps.customers.unban(stored)))
        throw new DomainError('bad-request', `ban/${customerKey}: not banned`);
      await deps.audit.record(bareJid(actor.jid).toLowerCase(), [
        { kind: 'ban', id: customerKey, action: 'delete', old: record, new: null },
      ]);
    },
    async audit(actor, query) {
      await deps.live.ready();
      requireRole(actor, true);
      return deps.audit.list(query);
    },
  };
}
