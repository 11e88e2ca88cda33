/**
 * The JSONL files of the log (mirror and exports): one canonical record per line, every line
 * ending in "\n", files named by the first seq they hold so name order is chain order.
 * Lines are split on "\n" only (readline would also eat a "\r", hiding a flipped byte).
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const logFileName = (firstSeq: number): string => `evidence-${String(firstSeq).padStart(12, '0')}.jsonl`;
export const isLogFile = (name: string): boolean => name.endsWith('.jsonl');

/** The log files of a directory, in chain order (full paths). */
export async function listLogFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && isLogFile(d.name)).map((d) => d.name);
  return names.sort().map((name) => join(dir, name));
}

export interface LogLine {
  text: string;
  /** 1-based line number in its file. */
  line: number;
  /** False for a last line without its "\n" (cut short). */
  terminated: boolean;
}

/** Streams the lines of one file without holding it in memory. */
export async function* readLogLines(path: string, chunkSize = 1 << 20): AsyncGenerator<LogLine> {
  const handle = await open(path, 'r');
  try {
    let carry = Buffer.alloc(0);
    let line = 0;
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) break;
      let data = Buffer.concat([carry, buffer.subarray(0, bytesRead)]);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        yield { text: data.toString('utf8', start, nl), line: ++line, terminated: true };
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      data = carry;
    }
    if (carry.length > 0) yield { text: carry.toString('utf8'), line: ++line, terminated: false };
  } finally {
    await handle.close();
  }
}

/** The last complete line of a file and the byte length up to its end (a torn tail is excluded). */
export async function lastCompleteLine(path: string): Promise<{ text: string | undefined; completeBytes: number }> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let window = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      await handle.read(buf, 0, buf.length, start);
      const lastNl = buf.lastIndexOf(10);
      if (lastNl === -1 && start > 0) {
        window *= 4;
        continue;
      }
      if (lastNl === -1) return { text: undefined, completeBytes: 0 };
      const prevNl = buf.lastIndexOf(10, lastNl - 1);
      if (prevNl === -1 && start > 0) {
        window *= 4;
        continue;
      }
      return { text: buf.toString('utf8', prevNl + 1, lastNl), completeBytes: start + lastNl + 1 };
    }
  } finally {
    await handle.close();
  }
}
