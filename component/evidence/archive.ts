/**
 * Reads records trimmed from Redis back from the JSONL mirror (the archive): files are named
 * by their first seq, so the file of a seq is found by name, and only that file is read. A
 * sparse offset table per file (every 256th line, dropped when the file changes, e.g. by a
 * redaction rewrite) lets later reads start near the record instead of at the top.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Entry } from '../../src/evidence/entry.js';
import { listLogFiles } from './log-files.js';

const firstSeqOf = (path: string) => Number(/(\d+)\.jsonl$/.exec(basename(path))?.[1] ?? NaN);
const STEP = 256;

interface Offsets {
  mtimeMs: number;
  size: number;
  marks: { seq: number; offset: number }[];
}

export function createArchive(dir: string) {
  const tables = new Map<string, Offsets>();

  /** Scans `file` from the nearest mark before `from`, collecting the wanted seqs. */
  async function scan(file: string, wanted: Set<number>, out: Map<number, string>): Promise<void> {
    const st = await stat(file);
    let table = tables.get(file);
    if (!table || table.mtimeMs !== st.mtimeMs || table.size !== st.size) {
      table = { mtimeMs: st.mtimeMs, size: st.size, marks: [] };
      tables.set(file, table);
    }
    const lowest = Math.min(...wanted);
    const highest = Math.max(...wanted);
    const mark = [...table.marks].reverse().find((m) => m.seq <= lowest);
    let offset = mark?.offset ?? 0;
    const handle = await open(file, 'r');
    try {
      let carry = Buffer.alloc(0);
      const chunk = Buffer.allocUnsafe(1 << 20);
      let lineNo = 0;
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset + carry.length);
        if (bytesRead === 0) return;
        const data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
        let start = 0;
        for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
          const line = data.toString('utf8', start, nl);
          const at = line.lastIndexOf(',"seq":');
          const seq = at === -1 ? NaN : Number.parseInt(line.slice(at + 7), 10);
          if (lineNo++ % STEP === 0 && !table.marks.some((m) => m.seq === seq)) {
            table.marks.push({ seq, offset: offset + start });
            table.marks.sort((a, b) => a.seq - b.seq);
          }
          if (wanted.has(seq)) out.set(seq, line);
          start = nl + 1;
          if (seq >= highest) return;
        }
        offset += start;
        carry = Buffer.from(data.subarray(start));
      }
    } finally {
      await handle.close();
    }
  }

  return {
    /** The records with these seqs that the archive holds, in chain order. */
    async entries(seqs: readonly number[]): Promise<Entry[]> {
      if (seqs.length === 0) return [];
      let files: string[];
      try {
        files = await listLogFiles(dir);
      } catch {
        return [];
      }
      const byFile = new Map<string, Set<number>>();
      for (const seq of seqs) {
        const file = files.filter((f) => firstSeqOf(f) <= seq).pop();
        if (file) byFile.set(file, (byFile.get(file) ?? new Set()).add(seq));
      }
      const lines = new Map<number, string>();
      for (const [file, wanted] of byFile) await scan(file, wanted, lines);
      return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, line]) => JSON.parse(line) as Entry);
    },
  };
}
export type Archive = ReturnType<typeof createArchive>;
