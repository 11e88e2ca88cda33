/**
 * The evidence log in Redis: a stream of record headers (ID = seq) and a hash of contents
 * (so a redaction can overwrite content; stream entries cannot be edited). Every write goes
 * through lua/append-entry-2.lua; reads are plain XRANGE/HMGET. Keys are built here only.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { GENESIS_HASH, type Entry, type Sealed } from '../../src/evidence/entry.js';

const APPEND_LUA = readFileSync(new URL('./lua/append-entry-2.lua', import.meta.url), 'utf8');
const COMMAND = 'madoguchiEvidenceAppend';

export interface Head {
  seq: number;
  hash: string;
}
export const EMPTY_HEAD: Head = { seq: 0, hash: GENESIS_HASH };

export type AppendReply =
  | { kind: 'appended'; lastSeq: number }
  | { kind: 'moved'; head: Head }
  | { kind: 'target-missing' | 'already-redacted'; target: number };

export const evidenceKeys = (prefix: string) => ({
  log: `${prefix}evidence:log`,
  content: `${prefix}evidence:content`,
});

type StreamEntry = [id: string, fields: string[]];
type AppendCommand = (...args: (string | number)[]) => Promise<unknown[]>;

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

export function createEvidenceStore(redis: Redis, prefix: string) {
  const keys = evidenceKeys(prefix);
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: APPEND_LUA });
  const appendCommand = (redis as unknown as Record<string, AppendCommand>)[COMMAND] as AppendCommand;

  async function range(from: number, to: number | '+', count: number): Promise<Entry[]> {
    const rows = (await redis.xrange(keys.log, `${from}-0`, to === '+' ? '+' : `${to}-0`, 'COUNT', count)) as StreamEntry[];
    if (rows.length === 0) return [];
    const seqs = rows.map(([id]) => id.slice(0, id.indexOf('-')));
    const contents = await redis.hmget(keys.content, ...seqs);
    return rows.map(([, fields], i) => ({
      ...(JSON.parse(fieldOf(fields, 'h') ?? '{}') as Omit<Entry, 'hash' | 'content'>),
      hash: fieldOf(fields, 'x') ?? '',
      content: JSON.parse(contents[i] ?? '{}') as Entry['content'],
    }));
  }

  return {
    keys,

    /** One EVALSHA: appends `sealed` if the head is still `expected`, plus an optional redaction overwrite. */
    async append(expected: Head, sealed: readonly Sealed[], redaction?: { target: number; markerJson: string }): Promise<AppendReply> {
      const args: (string | number)[] = [keys.log, keys.content, expected.seq, expected.hash, sealed.length];
      for (const { entry, headerJson, contentJson } of sealed) args.push(entry.seq, headerJson, entry.hash, contentJson);
      if (redaction) args.push(redaction.target, redaction.markerJson);
      const reply = await appendCommand.call(redis, ...args);
      const code = Number(reply[0]);
      if (code === 1) return { kind: 'appended', lastSeq: Number(reply[1]) };
      if (code === 0) return { kind: 'moved', head: { seq: Number(reply[1]), hash: String(reply[2]) } };
      if (code === -1) return { kind: 'target-missing', target: Number(reply[1]) };
      if (code === -2) return { kind: 'already-redacted', target: Number(reply[1]) };
      throw new Error(`evidence append rejected record ${String(reply[1])}: seq out of order`);
    },

    async head(): Promise<Head> {
      const rows = (await redis.xrevrange(keys.log, '+', '-', 'COUNT', 1)) as StreamEntry[];
      const last = rows[0];
      if (!last) return EMPTY_HEAD;
      return { seq: Number(last[0].slice(0, last[0].indexOf('-'))), hash: fieldOf(last[1], 'x') ?? '' };
    },

    async entry(seq: number): Promise<Entry | undefined> {
      return (await range(seq, seq, 1))[0];
    },

    range,

    /** All records from `from` to `to` (inclusive), in pages. */
    async *iterate(from: number, to: number | '+', pageSize = 1000): AsyncGenerator<Entry[]> {
      let next = from;
      for (;;) {
        const page = await range(next, to, pageSize);
        if (page.length === 0) return;
        yield page;
        const last = page[page.length - 1] as Entry;
        if (page.length < pageSize || (to !== '+' && last.seq >= to)) return;
        next = last.seq + 1;
      }
    },
  };
}
export type EvidenceStore = ReturnType<typeof createEvidenceStore>;

