/**
 * A small in-memory AdminService (component/services/admin/admin-types.ts) for the admin
 * commands' tests until the real one (Redis, zod, evidence) is there: the same contract, role
 * checks, revisions (expectedRev 0 = must not exist), refusals naming the field, audit entries.
 * It is our own service, not a mock of Prosody or Redis.
 */
import { isTimeZone } from '../../src/business-hours.js';
import { DomainError } from '../../src/errors.js';
import type {
  Actor,
  AdminService,
  AuditEntry,
  BanEntry,
  OrgEntity,
  OrgKind,
  OrgSnapshot,
  OrgValueOf,
  OperatorSettings,
  DeskSettings,
} from '../../component/services/admin/admin-types.js';

export interface MemoryAdminSeed {
  desks: DeskSettings[];
  operators: OperatorSettings[];
  canned?: Record<string, Record<string, string>>;
  forms?: Record<string, OrgValueOf['form']>;
  widget?: OrgValueOf['widget'];
  routing?: OrgValueOf['routing'];
  bans?: BanEntry[];
}

export const DEFAULT_WIDGET: OrgValueOf['widget'] = {
  title: 'Support',
  colors: { primary: '#1a73e8', background: '#ffffff', text: '#202124' },
  position: 'bottom-right',
  button: { open: { label: 'Chat with us' }, busy: {}, closed: {} },
};
export const DEFAULT_ROUTING: OrgValueOf['routing'] = {
  graceSeconds: 60,
  defaultMaxChats: 3,
  maxChatsLimit: 9,
  customerGraceSeconds: 30,
  reassignUnansweredSeconds: 0,
};

export function createMemoryAdmin(seed: MemoryAdminSeed, now: () => number = Date.now) {
  let rev = 0;
  const entities = new Map<string, OrgEntity>();
  const bans: BanEntry[] = [...(seed.bans ?? [])];
  const audit: AuditEntry[] = [];
  const write = (kind: OrgKind, id: string, value: unknown) => entities.set(`${kind}/${id}`, { kind, id, rev: ++rev, value } as OrgEntity);
  for (const d of seed.desks) write('desk', d.id, d);
  for (const o of seed.operators) write('operator', o.jid, o);
  for (const [id, set] of Object.entries(seed.canned ?? { global: {} })) write('canned', id, set);
  for (const [id, form] of Object.entries(seed.forms ?? { default: [] })) write('form', id, form);
  write('widget', 'default', seed.widget ?? DEFAULT_WIDGET);
  write('routing', 'default', seed.routing ?? DEFAULT_ROUTING);

  const all = <K extends OrgKind>(kind: K) => [...entities.values()].filter((e): e is OrgEntity<K> => e.kind === kind);
  const operatorOf = (actor: Actor) => entities.get(`operator/${actor.jid.toLowerCase()}`)?.value as OperatorSettings | undefined;

  function snapshot(): OrgSnapshot {
    const byDesk = <K extends 'canned' | 'form'>(kind: K, base: string) =>
      Object.fromEntries(
        all(kind)
          .filter((e) => e.id !== base)
          .map((e) => [e.id, e.value]),
      ) as Record<string, OrgValueOf[K]>;
    return {
      rev,
      desks: all('desk').map((e) => e.value),
      operators: all('operator').map((e) => e.value),
      canned: { global: (entities.get('canned/global')?.value as OrgValueOf['canned']) ?? {}, byDesk: byDesk('canned', 'global') },
      forms: { default: (entities.get('form/default')?.value as OrgValueOf['form']) ?? [], byDesk: byDesk('form', 'default') },
      widget: entities.get('widget/default')?.value as OrgValueOf['widget'],
      routing: entities.get('routing/default')?.value as OrgValueOf['routing'],
      entityRev: (kind, id) => entities.get(`${kind}/${id}`)?.rev ?? 0,
    };
  }

  const forbidden = () => new DomainError('forbidden', 'Only admins may do this');
  function requireAdmin(actor: Actor): void {
    if (operatorOf(actor)?.role !== 'admin') throw forbidden();
  }
  /** Supervisors read their desks (and those desks' forms and canned sets); admins everything. */
  function mayRead(actor: Actor, kind: OrgKind, id: string): boolean {
    const op = operatorOf(actor);
    if (op?.role === 'admin') return true;
    if (op?.role !== 'supervisor') return false;
    if (kind === 'desk') return op.desks.includes(id);
    if (kind === 'canned' || kind === 'form') return id === 'global' || id === 'default' || op.desks.includes(id);
    if (kind === 'operator')
      return (entities.get(`operator/${id}`)?.value as OperatorSettings | undefined)?.desks.some((d) => op.desks.includes(d)) ?? false;
    return false;
  }

  /** A few of the schema's rules, with its message shape '<kind>/<id>: <path>: <message>'. */
  function validate(kind: OrgKind, id: string, value: unknown): void {
    const bad = (path: string, msg: string) => new DomainError('bad-request', `${kind}/${id}: ${path}: ${msg}`);
    if (kind === 'desk') {
      const d = value as DeskSettings;
      if (!d.name) throw bad('name', 'Too small: expected string to have >=1 characters');
      if (!isTimeZone(d.timeZone)) throw bad('timeZone', 'expected an IANA time zone, e.g. Europe/Berlin');
    }
    if (kind === 'operator') {
      const o = value as OperatorSettings;
      o.desks.forEach((d, i) => {
        if (!entities.has(`desk/${d}`)) throw bad(`desks.${i}`, `unknown desk "${d}"`);
      });
      if ((o.maxChats ?? 1) > (o.maxChatsLimit ?? 9)) throw bad('maxChats', "is above this operator's limit");
    }
    if (kind === 'canned' && Object.values(value as Record<string, string>).some((t) => t.length > 500)) throw bad('text', 'too long');
  }

  function record(actor: Actor, kind: OrgKind | 'ban', id: string, action: AuditEntry['action'], old: unknown, next: unknown) {
    audit.push({ seq: audit.length + 1, ts: new Date(now()).toISOString(), by: actor.jid, kind, id, action, old, new: next });
  }

  const service: AdminService = {
    roleOf: (actor) => operatorOf(actor)?.role,
    snapshot,
    async list(actor, kind) {
      const role = operatorOf(actor)?.role;
      if (role !== 'admin' && role !== 'supervisor') throw forbidden();
      if (role === 'supervisor' && !['desk', 'canned', 'form', 'operator'].includes(kind)) throw forbidden();
      return all(kind).filter((e) => mayRead(actor, kind, e.id));
    },
    async get(actor, kind, id) {
      if (!mayRead(actor, kind, id)) throw forbidden();
      return entities.get(`${kind}/${id}`) as OrgEntity<typeof kind> | undefined;
    },
    async put(actor, kind, id, value, expectedRev) {
      requireAdmin(actor);
      const key = `${kind}/${id}`;
      const old = entities.get(key);
      if ((old?.rev ?? 0) !== expectedRev)
        throw new DomainError('conflict', `${key} was changed by someone else (revision ${old?.rev ?? 0})`);
      validate(kind, id, value);
      write(kind, id, structuredClone(value));
      record(actor, kind, id, old ? 'update' : 'create', old?.value, value);
      return entities.get(key) as OrgEntity<typeof kind>;
    },
    async remove(actor, kind, id, expectedRev) {
      requireAdmin(actor);
      const key = `${kind}/${id}`;
      const old = entities.get(key);
      if (!old) throw new DomainError('unknown-desk', `No ${key}`);
      if (old.rev !== expectedRev) throw new DomainError('conflict', `${key} was changed by someone else (revision ${old.rev})`);
      entities.delete(key);
      rev++;
      record(actor, kind, id, 'delete', old.value, undefined);
    },
    async bans(actor) {
      const role = operatorOf(actor)?.role;
      if (role !== 'admin' && role !== 'supervisor') throw forbidden();
      return bans.map((b) => ({ ...b }));
    },
    async unban(actor, customerKey) {
      requireAdmin(actor);
      const i = bans.findIndex((b) => b.customerKey === customerKey);
      if (i === -1) throw new DomainError('unknown-session', 'Not blacklisted');
      const [gone] = bans.splice(i, 1);
      record(actor, 'ban', customerKey, 'delete', { ticket: gone?.ticket, by: gone?.by }, undefined);
    },
    async audit(actor, query) {
      requireAdmin(actor);
      return [...audit]
        .reverse()
        .filter((e) => query.beforeSeq === undefined || e.seq < query.beforeSeq)
        .slice(0, query.limit);
    },
  };
  return Object.assign(service, { banList: bans, auditLog: audit });
}
export type MemoryAdmin = ReturnType<typeof createMemoryAdmin>;
