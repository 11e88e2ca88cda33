/**
 * `npm run reports -- rebuild`: drops the report rollups and counts them again from the
 * evidence log (the same facts, through the same rules, as live: chats' facts and operators'
 * presence intervals). Widget impressions are not in the log: kept. Records trimmed from Redis
 * (evidence.redisKeepRecords) are read from the JSONL mirror first; when the log at hand does not
 * go back to its first record (no mirror, or one that starts later), nothing is dropped: a rebuild
 * from part of the log would destroy the history the rest counted.
 */
import type { Entry } from '../../src/evidence/entry.js';
import { createFactReader, presenceFactOf } from '../../src/report-rebuild.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import { listLogFiles, readLogLines } from '../evidence/log-files.js';
import type { DeskStore } from '../store/desk-store.js';

export class IncompleteLogError extends Error {}

/** The mirror's records below seq `below`, in chain order, in pages. */
async function* mirrored(dir: string, below: number, pageSize = 1000): AsyncGenerator<Entry[]> {
  let files: string[];
  try {
    files = await listLogFiles(dir);
  } catch {
    return;
  }
  let page: Entry[] = [];
  for (const file of files) {
    for await (const { text, terminated } of readLogLines(file)) {
      if (!terminated || text === '') continue; // a torn tail
      const e = JSON.parse(text) as Entry;
      if (e.seq >= below) break;
      page.push(e);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
  }
  if (page.length) yield page;
}

/** Checks that the mirror holds every record from seq 1 to below − 1, without a gap. */
async function checkCovered(dir: string | undefined, below: number): Promise<void> {
  let next = 1;
  if (dir) for await (const page of mirrored(dir, below)) for (const e of page) if (e.seq === next) next++;
  if (next < below)
    throw new IncompleteLogError(
      `the evidence records ${next}..${below - 1} are trimmed from Redis and not in the mirror` +
        `${dir ? ` (${dir})` : ' (none configured)'}: a rebuild would lose what they counted. Nothing changed.`,
    );
}

export async function rebuildReports(
  store: Pick<DeskStore, 'reports'>,
  evidence: Pick<EvidenceStore, 'iterate' | 'firstSeq' | 'head'>,
  zoneOf: (desk: string) => string,
  opts: { mirrorDir?: string } = {},
): Promise<{ records: number; facts: number; fromMirror: number }> {
  const first = (await evidence.firstSeq()) || (await evidence.head()).seq + 1; // all trimmed: the mirror holds them
  if (first > 1) await checkCovered(opts.mirrorDir, first);
  await store.reports.clear();
  const factsOf = createFactReader();
  let records = 0;
  let facts = 0;
  let fromMirror = 0;
  async function count(page: readonly Entry[]) {
    for (const entry of page) {
      records++;
      for (const fact of factsOf(entry)) if (await store.reports.record(fact, zoneOf(fact.desk))) facts++;
      const presence = presenceFactOf(entry);
      if (presence && (await store.reports.recordPresence(presence, zoneOf))) facts++;
    }
  }
  if (first > 1 && opts.mirrorDir)
    for await (const page of mirrored(opts.mirrorDir, first)) {
      fromMirror += page.length;
      await count(page);
    }
  for await (const page of evidence.iterate(first, '+')) await count(page.filter((e) => e.seq >= first));
  return { records, facts, fromMirror };
}
