/**
 * A small in-memory AdminService (component/services/admin/admin-types.ts) for the console's HTTP
 * tests: our own service's contract, not Prosody or Redis. Roles from a map; revisions, refusals
 * and the audit list as the contract says (stale rev → conflict, supervisors read-only on their
 * desks, operators and strangers forbidden, a bad value names its field).
 */
import { DomainError, type DomainErrorCode } from '../../src/errors.js';
import type {
  Actor,
  AdminRole,
  AdminService,
  AuditEntry,
  BanEntry,
  OrgEntity,
  OrgKind,
  OrgSnapshot,
  OrgValueOf,
} from '../../component/services/admin/admin-types.js';

const refuse = (code: string, message: string) => new DomainError(code as DomainErrorCode, message);

export interface MemoryAdmin extends AdminService {
  /** Entities as stored, by `<kind>/<id>`. */
  entities: Map<string, OrgEntity>;
  bansList: BanEntry[];
}

export function createMemoryAdmin(roles: Record<string, { role: AdminRole | 'operator'; desks: string[] }>): MemoryAdmin {
  const entities = new Map<string, OrgEntity>();
  const auditList: AuditEntry[] = [];
  const bansList: BanEntry[] = [];
  let rev = 0;
  const key = (kind: OrgKind, id: string) => `${kind}/${id}`;
  const roleOf = (a: Actor) => roles[a.jid]?.role;
  const deskOf = (e: OrgEntity) => (e.kind === 'desk' ? e.id : e.kind === 'canned' || e.kind === 'form' ? e.id : undefined);

  function mayRead(a: Actor, e: OrgEntity): boolean {
    const r = roles[a.jid];
    if (r?.role === 'admin') return true;
    if (r?.role !== 'supervisor') return false;
    const desk = deskOf(e);
    return desk !== undefined && r.desks.includes(desk);
  }
  function needAdmin(a: Actor): void {
    const role = roleOf(a);
    if (role === 'supervisor') throw refuse('forbidden', 'Supervisors see settings read-only');
    if (role !== 'admin') throw refuse('forbidden', 'Only admins administer the desk');
  }
  function needReader(a: Actor): void {
    const role = roleOf(a);
    if (role !== 'admin' && role !== 'supervisor') throw refuse('forbidden', 'Only admins and supervisors see settings');
  }
  function validate(kind: OrgKind, id: string, value: unknown): void {
    const v = value as Record<string, unknown> | undefined;
    if (kind === 'desk' && (typeof v?.name !== 'string' || !v.name.trim())) throw refuse('bad-request', `desk/${id}: name: required`);
    if (kind === 'operator' && !Array.isArray(v?.desks)) throw refuse('bad-request', `operator/${id}: desks: expected a list`);
    if (kind === 'routing' && typeof v?.reassignUnansweredSeconds === 'number' && v.reassignUnansweredSeconds < 0)
      throw refuse('bad-request', `routing/${id}: reassignUnansweredSeconds: must be ≥ 0`);
  }

  const admin: MemoryAdmin = {
    entities,
    bansList,
    roleOf,
    snapshot: () => ({ rev, entityRev: (k: OrgKind, id: string) => entities.get(key(k, id))?.rev ?? 0 }) as unknown as OrgSnapshot,
    async list<K extends OrgKind>(a: Actor, kind: K) {
      needReader(a);
      return [...entities.values()].filter((e) => e.kind === kind && mayRead(a, e)) as OrgEntity<K>[];
    },
    async get<K extends OrgKind>(a: Actor, kind: K, id: string) {
      needReader(a);
      const e = entities.get(key(kind, id));
      return e && mayRead(a, e) ? (e as OrgEntity<K>) : undefined;
    },
    async put<K extends OrgKind>(a: Actor, kind: K, id: string, value: unknown, expectedRev: number) {
      needAdmin(a);
      const old = entities.get(key(kind, id));
      if ((old?.rev ?? 0) !== expectedRev)
        throw refuse('conflict', `${kind}/${id} was changed by someone else (now at revision ${old?.rev ?? 0})`);
      validate(kind, id, value);
      const e: OrgEntity<K> = { kind, id, rev: ++rev, value: value as OrgValueOf[K] };
      entities.set(key(kind, id), e);
      auditList.unshift({
        seq: rev,
        ts: new Date().toISOString(),
        by: a.jid,
        kind,
        id,
        action: old ? 'update' : 'create',
        old: old?.value ?? null,
        new: value,
      });
      return e;
    },
    async remove(a: Actor, kind: OrgKind, id: string, expectedRev: number) {
      needAdmin(a);
      const old = entities.get(key(kind, id));
      if (!old) throw refuse('unknown-desk', `no ${kind}/${id}`);
      if (old.rev !== expectedRev) throw refuse('conflict', `${kind}/${id} was changed by someone else`);
      entities.delete(key(kind, id));
      auditList.unshift({ seq: ++rev, ts: new Date().toISOString(), by: a.jid, kind, id, action: 'delete', old: old.value, new: null });
    },
    async bans(a: Actor) {
      needReader(a);
      return [...bansList];
    },
    async unban(a: Actor, customerKey: string) {
      needAdmin(a);
      const i = bansList.findIndex((b) => b.customerKey === customerKey);
      if (i >= 0) bansList.splice(i, 1);
    },
    async audit(a: Actor, q: { limit: number; beforeSeq?: number }) {
      needReader(a);
      return auditList.filter((e) => q.beforeSeq === undefined || e.seq < q.beforeSeq).slice(0, q.limit);
    },
  };
  return admin;
}
