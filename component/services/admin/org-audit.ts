/**
 * Every settings change is recorded twice (issue 16): in the evidence log (kind `settings`,
 * data {by, kind, id, action, old, new}; the record is the proof) and in the capped audit list
 * the console's audit page reads (each entry names its record's seq). The list is written after
 * the record, so it never names a record that does not exist; with the evidence log off, seq is 0.
 */
import type { Json } from '../../../src/evidence/canonical-json.js';
import type { EvidenceRecorder } from '../../evidence/recorder.js';
import type { OrgStore } from '../../store/org-store.js';
import type { AuditEntry } from './admin-types.js';

export type OrgChangeRecord = Pick<AuditEntry, 'kind' | 'id' | 'action' | 'old' | 'new'>;

export function createOrgAudit(deps: { evidence: EvidenceRecorder; org: OrgStore; now: () => number }) {
  return {
    /** Records the changes made by `by` (a bare JID, or `seed` / `import`). */
    async record(by: string, changes: readonly OrgChangeRecord[]): Promise<void> {
      const ts = new Date(deps.now()).toISOString();
      const records = await Promise.all(
        changes.map((c) =>
          deps.evidence.record({
            kind: 'settings',
            ticket: null,
            data: { by, kind: c.kind, id: c.id, action: c.action, old: (c.old ?? null) as Json, new: (c.new ?? null) as Json },
          }),
        ),
      );
      await deps.org.appendAudit(changes.map((c, i): AuditEntry => ({ seq: records[i]?.seq ?? 0, ts, by, ...c })));
    },

    /** Newest first; `beforeSeq` pages back. */
    async list(query: { limit: number; beforeSeq?: number }): Promise<AuditEntry[]> {
      const all = (await deps.org.audit()) as AuditEntry[];
      const older = query.beforeSeq === undefined ? all : all.filter((e) => e.seq < (query.beforeSeq as number));
      return older.slice(0, Math.max(0, query.limit));
    },
  };
}
export type OrgAudit = ReturnType<typeof createOrgAudit>;
