/**
 * Append-only, size-rotated JSONL files. Files are opened with O_APPEND and never edited,
 * except by an explicit rewrite (redaction); a full file is closed and made read-only
 * (0440) and the next one is named by the seq of its first record.
 */
import { chmod, mkdir, open, readFile, rename, stat, truncate, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { lastCompleteLine, listLogFiles, logFileName } from './log-files.js';

export interface JsonlWriterOptions {
  dir: string;
  maxFileBytes: number;
  /** fdatasync after every write: survives power loss, costs a disk flush per batch. */
  fsync?: boolean;
}

export interface RecordLine {
  seq: number;
  line: string; // without "\n"
}

const firstSeqOf = (path: string) => Number(/(\d+)\.jsonl$/.exec(basename(path))?.[1] ?? NaN);

export function createJsonlWriter(opts: JsonlWriterOptions) {
  let handle: FileHandle | undefined;
  let path: string | undefined;
  let size = 0;

  async function openFile(target: string): Promise<void> {
    handle = await open(target, 'a', 0o640);
    path = target;
    size = (await handle.stat()).size;
  }

  async function closeFile(readOnly: boolean): Promise<void> {
    if (!handle || !path) return;
    await handle.close();
    if (readOnly) await chmod(path, 0o440);
    handle = undefined;
  }

  async function writeChunk(chunk: string): Promise<void> {
    if (!handle || chunk === '') return;
    await handle.write(chunk);
    if (opts.fsync) await handle.datasync();
  }

  return {
    /** Continues the newest file (dropping a torn last line); returns its last complete line. */
    async resume(): Promise<string | undefined> {
      await mkdir(opts.dir, { recursive: true, mode: 0o750 });
      const files = await listLogFiles(opts.dir);
      const last = files[files.length - 1];
      if (!last) return undefined;
      const { text, completeBytes } = await lastCompleteLine(last);
      if (completeBytes < (await stat(last)).size) {
        await chmod(last, 0o640);
        await truncate(last, completeBytes);
      }
      if (completeBytes < opts.maxFileBytes) await openFile(last);
      return text;
    },

    async append(records: readonly RecordLine[]): Promise<void> {
      let chunk = '';
      for (const { seq, line } of records) {
        const bytes = Buffer.byteLength(line) + 1;
        if (!handle || (size > 0 && size + bytes > opts.maxFileBytes)) {
          await writeChunk(chunk);
          chunk = '';
          await closeFile(true);
          await mkdir(opts.dir, { recursive: true, mode: 0o750 });
          await openFile(join(opts.dir, logFileName(seq)));
        }
        chunk += `${line}\n`;
        size += bytes;
      }
      await writeChunk(chunk);
    },

    /** Rewrites the line holding `seq` (found by `match`) through `edit`; false if no file holds it. */
    async rewrite(seq: number, match: (line: string) => boolean, edit: (line: string) => string): Promise<boolean> {
      const files = await listLogFiles(opts.dir);
      const file = files.filter((f) => firstSeqOf(f) <= seq).pop();
      if (!file) return false;
      const lines = (await readFile(file, 'utf8')).split('\n');
      const index = lines.findIndex(match);
      if (index === -1) return false;
      lines[index] = edit(lines[index] as string);
      const isCurrent = file === path;
      const mode = (await stat(file)).mode & 0o777;
      if (isCurrent) await closeFile(false);
      const tmp = `${file}.rewrite`;
      const out = await open(tmp, 'w', 0o640);
      try {
        await out.writeFile(lines.join('\n'));
        if (opts.fsync) await out.datasync();
      } finally {
        await out.close();
      }
      await rename(tmp, file);
      await chmod(file, mode);
      if (isCurrent) await openFile(file);
      return true;
    },

    async close(): Promise<void> {
      await closeFile(false);
    },

    currentFile: () => path,
  };
}
export type JsonlWriter = ReturnType<typeof createJsonlWriter>;
