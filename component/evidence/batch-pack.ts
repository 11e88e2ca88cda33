/**
 * How a batch of records is laid out in Redis (lua/append-batch-2.lua): one stream entry per
 * batch, ID `<first seq>-0`, field `h` = the canonical headers joined by '\n', field `x` = the
 * hashes (64 hex digits each) concatenated; the contents, joined by '\n', in the content hash
 * under the first seq. Canonical JSON escapes every control character, so '\n' never occurs
 * inside a record. An entry written before batching holds one record and is the same shape.
 */
import type { Entry, Sealed } from '../../src/evidence/entry.js';

export type StreamEntry = [id: string, fields: string[]];

export const firstSeqOf = (id: string): number => Number(id.slice(0, id.indexOf('-')));

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** The seq and hash of an entry's last record. */
export function lastOf(row: StreamEntry): { seq: number; hash: string } {
  const x = fieldOf(row[1], 'x') ?? '';
  return { seq: firstSeqOf(row[0]) + Math.max(1, x.length / 64) - 1, hash: x.slice(-64) };
}

/** The three packed strings of a batch: headers, hashes, contents. */
export function pack(sealed: readonly Sealed[]): { headers: string; hashes: string; contents: string } {
  let headers = '';
  let hashes = '';
  let contents = '';
  for (let i = 0; i < sealed.length; i++) {
    const s = sealed[i] as Sealed;
    if (i > 0) {
      headers += '\n';
      contents += '\n';
    }
    headers += s.headerJson;
    hashes += s.entry.hash;
    contents += s.contentJson;
  }
  return { headers, hashes, contents };
}

/**
 * The records of an entry whose seq is in [from, to], with their contents (`stored`: the
 * content field of the entry; a missing field or line reads as `{}`, as a record without content).
 */
export function unpack(row: StreamEntry, stored: string | null | undefined, from = 0, to = Number.MAX_SAFE_INTEGER): Entry[] {
  const first = firstSeqOf(row[0]);
  const headers = (fieldOf(row[1], 'h') ?? '').split('\n');
  const hashes = fieldOf(row[1], 'x') ?? '';
  const contents = stored ? stored.split('\n') : [];
  const out: Entry[] = [];
  for (let i = Math.max(0, from - first); i < headers.length && first + i <= to; i++) {
    const entry = JSON.parse(headers[i] as string) as Entry;
    entry.hash = hashes.slice(64 * i, 64 * i + 64);
    entry.content = JSON.parse(contents[i] ?? '{}') as Entry['content'];
    out.push(entry);
  }
  return out;
}
