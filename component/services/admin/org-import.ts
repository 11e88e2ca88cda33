/**
 * Replaces the whole organisational settings (issue 16: `npm run config -- import org.yaml`):
 * validated as a whole first, then one compare-and-set of every entity that differs (created,
 * updated, removed) as one new revision, recorded as by `import` and announced. Nothing is
 * half-saved: a refusal changes nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import { DomainError } from '../../../src/errors.js';
import { entitiesOf } from '../../../config/org-settings.js';
import { validateOrg, type OrgSettings } from '../../../config/org-schema.js';
import type { OrgStore } from '../../store/org-store.js';
import type { OrgAudit, OrgChangeRecord } from './org-audit.js';
import { entitiesFromStore, fieldOf } from './org-snapshot.js';

export interface ImportDeps {
  org: OrgStore;
  audit: OrgAudit;
  bootstrapAdmins: readonly string[];
  deskBusy(desk: string): Promise<string | undefined>;
}

export async function importSettings(deps: ImportDeps, next: OrgSettings, by = 'import') {
  const problems = validateOrg(next);
  if (problems.length) throw new DomainError('bad-request', problems[0] as string);
  if (deps.bootstrapAdmins.length === 0 && !next.operators.some((o) => o.role === 'admin')) {
    throw new DomainError('bad-request', 'operator: role: no operator is an admin (or set MADOGUCHI_ADMIN)');
  }
  for (let attempt = 1; attempt <= 5; attempt++) {
    const read = await deps.org.read();
    const before = entitiesFromStore(read.entities);
    const target = entitiesOf(next);
    const changes: (OrgChangeRecord & { expectedRev: number })[] = [];
    for (const e of target) {
      const old = before.find((b) => b.kind === e.kind && b.id === e.id);
      if (old && isDeepStrictEqual(old.value, e.value)) continue;
      changes.push({
        kind: e.kind,
        id: e.id,
        action: old ? 'update' : 'create',
        old: old?.value ?? null,
        new: e.value,
        expectedRev: old?.rev ?? 0,
      });
    }
    for (const old of before) {
      if (target.some((e) => e.kind === old.kind && e.id === old.id)) continue;
      if (old.kind === 'desk') {
        const busy = await deps.deskBusy(old.id);
        if (busy) throw new DomainError('bad-request', `desk/${old.id}: cannot remove it now: ${busy}`);
      }
      changes.push({ kind: old.kind, id: old.id, action: 'delete', old: old.value, new: null, expectedRev: old.rev });
    }
    if (changes.length === 0) return { rev: read.rev, changes: [] as OrgChangeRecord[] };
    const r = await deps.org.write(
      read.rev,
      changes.map((c) => ({ field: fieldOf(c.kind as Exclude<typeof c.kind, 'ban'>, c.id), expectedRev: c.expectedRev, value: c.new })),
    );
    if (r.ok) {
      const records = changes.map(({ expectedRev: _, ...c }) => c);
      await deps.audit.record(by, records);
      return { rev: r.rev, changes: records };
    }
  }
  throw new DomainError('conflict', 'the settings kept changing during the import; retry');
}
