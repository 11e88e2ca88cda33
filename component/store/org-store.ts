/**
 * The organisational settings in Redis (issue 16): each entity (`<kind>/<id>`) with the settings
 * revision it was last written at, one revision counter, an audit list, and one Lua transition
 * for every change (lua/org-write-4.lua: compare-and-set against the entity revisions and the
 * revision the caller validated at, then announce the new revision on `<prefix>org:changed`).
 * Values are JSON; their schema is the services' business (config/org-schema.ts).
 */
import { reply } from '../lib/redis-scripts.js';
import { storeScript, type StorePartContext } from './store-scripts.js';

/** A stored entity: `field` is `<kind>/<id>`. */
export interface StoredEntity {
  field: string;
  rev: number;
  /** When first written (orders lists: creation order). */
  order: number;
  value: unknown;
}

export interface OrgChange {
  field: string;
  /** The entity's revision the caller saw: 0 = must not exist. */
  expectedRev: number;
  /** null deletes. */
  value: unknown;
}

export type OrgWriteResult =
  | { ok: true; rev: number }
  | { ok: false; reason: 'stale'; field: string; rev: number }
  | { ok: false; reason: 'moved'; rev: number }
  | { ok: false; reason: 'seeded' };

/** Audit entries kept (newest first); the evidence log keeps them all. */
const AUDIT_CAP = 1000;

const orgWriteScript = storeScript('org-write-4.lua', { changesRoutes: false }, (r): OrgWriteResult => {
  const [code, a, b] = reply.array(r, 'org-write');
  const n = reply.number(code, 'org-write code');
  if (n > 0) return { ok: true, rev: n };
  if (n === -1) return { ok: false, reason: 'stale', field: reply.string(a, 'org-write field'), rev: reply.number(b, 'org-write rev') };
  if (n === -2) return { ok: false, reason: 'moved', rev: reply.number(a, 'org-write rev') };
  if (n === -3) return { ok: false, reason: 'seeded' };
  throw new Error(`org-write: unexpected code ${n}`);
});

export function createOrgStore({ redis, keys, run }: StorePartContext) {
  return {
    channel: keys.orgChanged(),

    /** Every entity at one revision (one MULTI: a consistent read). rev 0: never seeded. */
    async read(): Promise<{ rev: number; entities: StoredEntity[] }> {
      const rows = await redis.multi().get(keys.orgRev()).hgetall(keys.orgValues()).hgetall(keys.orgRevs()).hgetall(keys.orgOrder()).exec();
      const [rev, values, revs, order] = (rows ?? []).map(([err, v]) => {
        if (err) throw err;
        return v;
      }) as [string | null, Record<string, string>, Record<string, string>, Record<string, string>];
      const entities = Object.entries(values ?? {}).map(([field, json]) => ({
        field,
        rev: Number(revs?.[field] ?? 0),
        order: Number(order?.[field] ?? 0),
        value: JSON.parse(json) as unknown,
      }));
      entities.sort((x, y) => x.order - y.order || (x.field < y.field ? -1 : 1));
      return { rev: Number(rev ?? 0), entities };
    },

    async rev(): Promise<number> {
      return Number((await redis.get(keys.orgRev())) ?? 0);
    },

    /** Applies the changes as one new revision, if nothing moved since `baseRev` ('seed': only when never seeded). */
    async write(baseRev: number | 'seed', changes: readonly OrgChange[]): Promise<OrgWriteResult> {
      const args = changes.flatMap((c) => [c.field, c.expectedRev, c.value === null ? '' : JSON.stringify(c.value)]);
      return run(orgWriteScript, [keys.orgRev(), keys.orgValues(), keys.orgRevs(), keys.orgOrder()], [keys.orgChanged(), baseRev, ...args]);
    },

    /** Newest first; written after the change's evidence record (it names the record's seq). */
    async appendAudit(entries: readonly object[]): Promise<void> {
      if (entries.length === 0) return;
      await redis
        .multi()
        .lpush(keys.orgAudit(), ...entries.map((e) => JSON.stringify(e)))
        .ltrim(keys.orgAudit(), 0, AUDIT_CAP - 1)
        .exec();
    },

    async audit(): Promise<unknown[]> {
      return (await redis.lrange(keys.orgAudit(), 0, -1)).map((j) => JSON.parse(j) as unknown);
    },
  };
}
export type OrgStore = ReturnType<typeof createOrgStore>;
