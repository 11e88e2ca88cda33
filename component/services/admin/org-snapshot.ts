/** An OrgSnapshot (admin-types.ts) from stored entities or from whole settings. */
import { settingsOf } from '../../../config/org-settings.js';
import { isOrgKind, type OrgSettings } from '../../../config/org-schema.js';
import type { StoredEntity } from '../../store/org-store.js';
import type { OrgEntity, OrgKind, OrgSnapshot } from './admin-types.js';

export const fieldOf = (kind: OrgKind, id: string) => `${kind}/${id}`;

/** `<kind>/<id>` → its parts (undefined for a field of no known kind). */
export function parseField(field: string): { kind: OrgKind; id: string } | undefined {
  const slash = field.indexOf('/');
  const kind = field.slice(0, slash);
  return slash > 0 && isOrgKind(kind) ? { kind, id: field.slice(slash + 1) } : undefined;
}

export function entitiesFromStore(stored: readonly StoredEntity[]): OrgEntity[] {
  return stored.flatMap((s) => {
    const f = parseField(s.field);
    return f ? [{ kind: f.kind, id: f.id, rev: s.rev, value: s.value } as OrgEntity] : [];
  });
}

export function snapshotOf(rev: number, entities: readonly OrgEntity[]): OrgSnapshot {
  const revs = new Map(entities.map((e) => [fieldOf(e.kind, e.id), e.rev]));
  return { rev, ...settingsOf(entities), entityRev: (kind, id) => revs.get(fieldOf(kind, id)) ?? 0 };
}

/** Settings not stored yet (before the seed is read back): every entity at revision 0. */
export const unstoredSnapshot = (s: OrgSettings): OrgSnapshot => ({ rev: 0, ...s, entityRev: () => 0 });
