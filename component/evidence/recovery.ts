/**
 * Start-up repair: when Redis lost its newest records (it restarted without
 * `appendfsync always`) but this instance's mirror still has them, they are put back,
 * unchanged, through the same compare-and-set script. Only records that continue the head
 * Redis still has, and that hash correctly, are restored; anything else is reported.
 */
import { canonicalJson } from '../../src/evidence/canonical-json.js';
import { headerJson, headerOf, type Entry, type Sealed } from '../../src/evidence/entry.js';
import { sha256Hex } from './crypto.js';
import type { EvidenceStore, Head } from './evidence-store.js';
import { listLogFiles, readLogLines } from './log-files.js';

const firstSeqOf = (path: string) => Number(/(\d+)\.jsonl$/.exec(path)?.[1] ?? NaN);

export async function recoverFromMirror(
  store: EvidenceStore,
  dir: string,
  mirrorLast: Head,
  report: (err: Error) => void,
  batchSize = 256,
): Promise<{ recovered: number }> {
  let head = await store.head();
  if (mirrorLast.seq <= head.seq) return { recovered: 0 };
  const files = await listLogFiles(dir);
  let startAt = 0;
  files.forEach((f, i) => {
    if (firstSeqOf(f) <= Math.max(head.seq, 1)) startAt = i;
  });
  let anchored = head.seq === 0;
  let recovered = 0;
  let batch: Sealed[] = [];

  const stop = (why: string) => {
    report(new Error(`evidence recovery stopped at seq ${head.seq + batch.length + 1}: ${why}`));
    return { recovered };
  };
  async function push(): Promise<string | undefined> {
    if (batch.length === 0) return undefined;
    const reply = await store.append(head, batch);
    if (reply.kind !== 'appended') return `Redis refused the records (${reply.kind})`;
    const last = (batch[batch.length - 1] as Sealed).entry;
    head = { seq: last.seq, hash: last.hash };
    recovered += batch.length;
    batch = [];
    return undefined;
  }

  for (const file of files.slice(startAt)) {
    for await (const { text, terminated } of readLogLines(file)) {
      if (!terminated) break;
      const e = JSON.parse(text) as Entry;
      if (e.seq < head.seq) continue;
      if (e.seq === head.seq && !batch.length) {
        if (e.hash !== head.hash) return stop('the mirror and Redis disagree at their common seq');
        anchored = true;
        continue;
      }
      const prev = batch.length ? (batch[batch.length - 1] as Sealed).entry : head;
      if (!anchored || e.seq !== prev.seq + 1 || e.prevHash !== prev.hash) return stop('the mirror does not continue the chain in Redis');
      const header = headerJson(headerOf(e));
      if (sha256Hex(header) !== e.hash) return stop('mirrored record does not match its hash');
      batch.push({ entry: e, headerJson: header, contentJson: canonicalJson(e.content) });
      if (batch.length >= batchSize) {
        const problem = await push();
        if (problem) return stop(problem);
      }
    }
  }
  const problem = await push();
  return problem ? stop(problem) : { recovered };
}
