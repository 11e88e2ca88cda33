/**
 * `npm run reports -- rebuild`: drops the report rollups and counts them again from the
 * evidence records still in Redis (the same facts, through the same Lua transitions, as live:
 * chats' facts and operators' presence intervals). Widget impressions are not in the log: kept.
 * Records older than the log keeps in Redis (evidence.redisKeepRecords) are not read here.
 */
import { createFactReader, presenceFactOf } from '../../src/report-rebuild.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import type { DeskStore } from '../store/desk-store.js';

export async function rebuildReports(
  store: Pick<DeskStore, 'reports'>,
  evidence: Pick<EvidenceStore, 'iterate'>,
  zoneOf: (desk: string) => string,
): Promise<{ records: number; facts: number }> {
  await store.reports.clear();
  const factsOf = createFactReader();
  let records = 0;
  let facts = 0;
  for await (const page of evidence.iterate(0, '+')) {
    for (const entry of page) {
      records++;
      for (const fact of factsOf(entry)) if (await store.reports.record(fact, zoneOf(fact.desk))) facts++;
      const presence = presenceFactOf(entry);
      if (presence && (await store.reports.recordPresence(presence, zoneOf))) facts++;
    }
  }
  return { records, facts };
}
