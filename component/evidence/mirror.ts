/**
 * The on-disk mirror: every record this instance appends, in chain order, as JSONL. Records
 * appended by other instances in between are fetched from Redis to fill the gap, so each
 * instance's mirror is a complete, verifiable stretch of the chain. A 'redaction' record
 * also rewrites the mirrored line it targets (the one edit these files ever get). If the
 * chain in Redis no longer continues the mirror (Redis lost records, or was reset), the old
 * files are moved to `diverged-<time>/` and the mirror starts a new stretch.
 */
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../src/evidence/canonical-json.js';
import { isRedactionMarker, recordJson, redactionMarker, type Entry } from '../../src/evidence/entry.js';
import { redactionTarget } from '../../src/evidence/record-shape.js';
import { createJsonlWriter } from './jsonl-writer.js';
import { isLogFile, listLogFiles } from './log-files.js';

export interface MirrorOptions {
  dir: string;
  maxFileBytes: number;
  fsync?: boolean;
  /** Records [from, to] from Redis, in pages (to fill gaps left by other writers). */
  fetch: (from: number, to: number) => AsyncIterable<Entry[]>;
  /**
   * The oldest seq Redis still holds (0: none). Given (several instances trimming Redis, issue 19
   * §3), a mirror without files starts there, not at this instance's first record, so every
   * instance's mirror holds the whole chain Redis had when it started.
   */
  oldest?: () => Promise<number>;
  onError?: (err: Error) => void;
  now?: () => number;
}

export function createMirror(opts: MirrorOptions) {
  const files = createJsonlWriter({ dir: opts.dir, maxFileBytes: opts.maxFileBytes, fsync: opts.fsync });
  let last: { seq: number; hash: string } | undefined;
  /** Batches to write, or (`follow`) the seq to catch up to from Redis. */
  let queued: { entries: Entry[]; lines?: string[]; follow?: number }[] = [];
  let draining: Promise<void> | undefined;
  let started: Promise<void> | undefined;

  async function start(): Promise<void> {
    const line = await files.resume();
    if (line) {
      const e = JSON.parse(line) as Entry;
      last = { seq: e.seq, hash: e.hash };
    }
  }

  async function setAside(reason: string): Promise<void> {
    await files.close();
    const aside = join(opts.dir, `diverged-${new Date(opts.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, '-')}`);
    await mkdir(aside, { recursive: true });
    for (const name of (await readdir(opts.dir)).filter(isLogFile)) await rename(join(opts.dir, name), join(aside, name));
    opts.onError?.(new Error(`evidence mirror: ${reason}; previous files moved to ${aside}`));
    last = undefined;
  }

  async function applyRedaction(redaction: Entry): Promise<void> {
    const r = redactionTarget(redaction.content);
    if (!r) return;
    const marker = redactionMarker(r.reason, redaction.seq);
    const needle = `"seq":${r.target},`;
    await files.rewrite(
      r.target,
      (line) => line.includes(needle) && (JSON.parse(line) as Entry).seq === r.target,
      (line) => {
        const e = JSON.parse(line) as Entry;
        return isRedactionMarker(e.content) ? line : canonicalJson({ ...e, content: { ...marker } } as never);
      },
    );
  }

  async function appendRecords(entries: readonly Entry[], lines?: readonly string[]): Promise<void> {
    await files.append(entries.map((e, i) => ({ seq: e.seq, line: lines?.[i] ?? recordJson(e) })));
    const end = entries[entries.length - 1] as Entry;
    last = { seq: end.seq, hash: end.hash };
    for (const e of entries) if (e.kind === 'redaction' && !isRedactionMarker(e.content)) await applyRedaction(e);
  }

  /** Fills in from Redis what this mirror lacks before `next` (a fresh one: from the oldest record there). */
  async function fillBefore(next: number): Promise<void> {
    const from = last ? last.seq + 1 : opts.oldest ? await opts.oldest() : 0;
    if (from < 1 || from >= next) return;
    for await (const page of opts.fetch(from, next - 1)) {
      const first = page[0];
      if (!first) continue;
      if (last && (first.seq !== last.seq + 1 || first.prevHash !== last.hash)) {
        await setAside(`chain in Redis does not continue the mirror at seq ${last.seq} (found seq ${first.seq})`);
      }
      await appendRecords(page);
    }
  }

  async function write(entries: Entry[], lines?: string[]): Promise<void> {
    await (started ??= start());
    const first = entries[0];
    if (!first) return;
    await fillBefore(first.seq);
    if (last && (first.seq !== last.seq + 1 || first.prevHash !== last.hash)) {
      await setAside(`chain in Redis does not continue the mirror at seq ${last.seq} (found seq ${first.seq})`);
    }
    await appendRecords(entries, lines);
  }

  /** Writes everything queued; batches that follow each other go out in one write. */
  async function drain(): Promise<void> {
    while (queued.length > 0) {
      const batches = queued;
      queued = [];
      for (let i = 0; i < batches.length; ) {
        const to = batches[i]?.follow;
        if (to !== undefined) {
          i++;
          await (started ??= start()).then(() => fillBefore(to + 1)).catch((err: Error) => opts.onError?.(err));
          continue;
        }
        const entries: Entry[] = [];
        const lines: string[] = [];
        do {
          const b = batches[i++] as (typeof batches)[number];
          for (let j = 0; j < b.entries.length; j++) {
            const e = b.entries[j] as Entry;
            entries.push(e);
            lines.push(b.lines?.[j] ?? recordJson(e));
          }
        } while (i < batches.length && batches[i]?.entries[0]?.seq === (entries[entries.length - 1] as Entry).seq + 1);
        await write(entries, lines).catch((err: Error) => opts.onError?.(err));
      }
    }
  }

  const idle = async (): Promise<void> => {
    while (draining) await draining;
  };

  return {
    /** Queues a batch (chain order, with its record lines if known); failures are reported, the next batch fills the gap. */
    write(entries: Entry[], lines?: string[]): void {
      queued.push({ entries, lines });
      draining ??= drain().finally(() => {
        draining = undefined;
      });
    },
    /** Catches up with the chain in Redis through `to` (records other instances appended); resolves once written. */
    follow(to: number): Promise<void> {
      queued.push({ entries: [], follow: to });
      draining ??= drain().finally(() => {
        draining = undefined;
      });
      return idle();
    },
    /** Resolves once everything queued so far is written. */
    idle,
    /** The newest seq written to disk so far by this process (undefined before the first write); for the metrics' mirror lag. */
    writtenSeq: (): number | undefined => last?.seq,
    /** The last record on disk (after start-up: of the previous run). */
    async lastRecord(): Promise<{ seq: number; hash: string } | undefined> {
      await idle();
      await (started ??= start()).catch((err: Error) => opts.onError?.(err));
      return last;
    },
    /** The seq the mirror's oldest file starts at (undefined: no files). */
    async firstSeq(): Promise<number | undefined> {
      const first = (await listLogFiles(opts.dir).catch(() => []))[0];
      const seq = first ? Number(/(\d+)\.jsonl$/.exec(first)?.[1]) : NaN;
      return Number.isSafeInteger(seq) ? seq : undefined;
    },
    async close(): Promise<void> {
      await idle();
      await files.close();
    },
  };
}
export type Mirror = ReturnType<typeof createMirror>;
