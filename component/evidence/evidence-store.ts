/**
 * The evidence log in Redis: a stream of record headers (ID = seq) and a hash of contents
 * (so a redaction can overwrite content; stream entries cannot be edited). Every write goes
 * through lua/append-entry-2.lua; reads are plain XRANGE/HMGET. Keys are built here only.
 */
import type { Redis } from 'ioredis';
import { GENESIS_HASH, type Entry, type Sealed } from '../../src/evidence/entry.js';
import { luaScript, reply, runLua } from '../lib/redis-scripts.js';

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
  /** The transcript index (maintained by the append script): see lua/append-entry-2.lua. */
  index: `${prefix}evidence:idx:`,
  ticketSeqs: (ticket: number) => `${prefix}evidence:idx:t:${ticket}`,
  tickets: `${prefix}evidence:idx:tickets`,
  byDesk: (desk: string) => `${prefix}evidence:idx:d:${desk}`,
  byOperator: (bare: string) => `${prefix}evidence:idx:o:${bare.toLowerCase()}`,
  byCustomer: (bare: string) => `${prefix}evidence:idx:c:${bare.toLowerCase()}`,
  /** Each instance's mirror: instance → MirrorRange as JSON (several instances, issue 19 §3). */
  mirrors: `${prefix}evidence:mirrors`,
});

/** The stretch of the chain an instance's mirror holds, as it last reported it. */
export interface MirrorRange {
  first: number;
  last: number;
  at: number;
}

/** The bare, lower-cased form of a JID for the index (no resource). */
const bareLower = (jid: unknown): string => (typeof jid === 'string' ? (jid.split('/')[0] ?? '').toLowerCase() : '');

/** The index fields the append script files a record under: ticket, ts, desk, operator, customer. */
export function indexArgs(e: Entry): string[] {
  if (e.ticket === null) return ['', '', '', '', ''];
  return [String(e.ticket), String(e.ts), e.desk ?? '', bareLower(e.parties.operator), bareLower(e.content.customer)];
}

type StreamEntry = [id: string, fields: string[]];

const LUA_DIR = new URL('./lua/', import.meta.url);

/** What the append script answered (see its header); -3 is a writer bug and thrown. */
type AppendOutcome = { kind: 'appended'; lastSeq: number } | Exclude<AppendReply, { kind: 'appended' }>;
const appendScript = luaScript(LUA_DIR, 'append-entry-2.lua', {
  namespace: 'madoguchiEvidence',
  decode(r): AppendOutcome {
    const [code, a, b] = reply.array(r, 'append-entry');
    switch (reply.number(code, 'append-entry code')) {
      case 1:
        return { kind: 'appended', lastSeq: reply.number(a, 'last seq') };
      case 0:
        return { kind: 'moved', head: { seq: reply.number(a, 'head seq'), hash: reply.string(b, 'head hash') } };
      case -1:
        return { kind: 'target-missing', target: reply.number(a, 'target') };
      case -2:
        return { kind: 'already-redacted', target: reply.number(a, 'target') };
      default:
        throw new Error(`evidence append rejected record ${String(a)}: seq out of order`);
    }
  },
});
const trimScript = luaScript(LUA_DIR, 'trim-log-2.lua', {
  namespace: 'madoguchiEvidence',
  decode(r) {
    const [removed, firstSeq] = reply.array(r, 'trim-log');
    return { removed: reply.number(removed, 'removed'), firstSeq: reply.number(firstSeq, 'first seq') };
  },
});

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * What this writer has filed in the index already (ticket under `tickets`, under its desk, its
 * operator, its customer), so the next record of a chat sends only its seq. ZADD NX makes a
 * repeat harmless, so forgetting (the set is cleared when full, or a restart) costs a repeat,
 * never a gap. Entries are added only once an append succeeded.
 */
function createFiledSet(max = 100_000) {
  const filed = new Set<string>();
  return {
    /** The index field to send for this record: '' when it was filed before (or in this batch). */
    field(batch: Set<string>, ticket: string, where: string, value: string): string {
      if (value === '') return '';
      const key = `${ticket}|${where}|${value}`;
      if (filed.has(key) || batch.has(key)) return '';
      batch.add(key);
      return value;
    },
    /**
     * The four index fields of a record; a chat's later records (same ticket, desk, operator,
     * customer) are one lookup instead of four (this runs once per relayed message).
     */
    fields(batch: Set<string>, ticket: string, desk: string, operator: string, customer: string): [string, string, string, string] {
      const all = `${ticket}|*|${desk}|${operator}|${customer}`;
      if (filed.has(all) || batch.has(all)) return ['', '', '', ''];
      batch.add(all);
      return [
        this.field(batch, ticket, 'tickets', ticket === '' ? '' : '1'),
        this.field(batch, ticket, 'd', desk),
        this.field(batch, ticket, 'o', operator),
        this.field(batch, ticket, 'c', customer),
      ];
    },
    remember(batch: Set<string>): void {
      if (filed.size + batch.size > max) filed.clear();
      for (const key of batch) filed.add(key);
    },
  };
}

export function createEvidenceStore(redis: Redis, prefix: string) {
  const keys = evidenceKeys(prefix);
  const filed = createFiledSet();

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
    async append(
      expected: Head,
      sealed: readonly Sealed[],
      redaction?: { target: number; markerJson: string; archived?: boolean },
    ): Promise<AppendReply> {
      const args: (string | number)[] = [expected.seq, expected.hash, sealed.length, keys.index];
      const batch = new Set<string>();
      for (const { entry, headerJson, contentJson } of sealed) {
        const [ticket, ts, desk, operator, customer] = indexArgs(entry) as [string, string, string, string, string];
        args.push(entry.seq, headerJson, entry.hash, contentJson, ticket, ts, ...filed.fields(batch, ticket, desk, operator, customer));
      }
      if (redaction) args.push(redaction.target, redaction.markerJson, redaction.archived ? '1' : '0');
      const outcome = await runLua(redis, appendScript, [keys.log, keys.content], args);
      if (outcome.kind === 'appended') filed.remember(batch);
      return outcome;
    },

    async head(): Promise<Head> {
      const rows = (await redis.xrevrange(keys.log, '+', '-', 'COUNT', 1)) as StreamEntry[];
      const last = rows[0];
      if (!last) return EMPTY_HEAD;
      return { seq: Number(last[0].slice(0, last[0].indexOf('-'))), hash: fieldOf(last[1], 'x') ?? '' };
    },

    /**
     * The newest checkpoint record, scanning back from the head page by page (checkpoints come
     * every checkpointEvery records per writer, or sooner); undefined if none within `maxScan`.
     */
    async lastCheckpoint(maxScan = 100_000, pageSize = 500): Promise<Entry | undefined> {
      let end = '+';
      for (let scanned = 0; scanned < maxScan; ) {
        const rows = (await redis.xrevrange(keys.log, end, '-', 'COUNT', pageSize)) as StreamEntry[];
        for (const [id, fields] of rows) {
          const h = fieldOf(fields, 'h') ?? '';
          if (h.includes('"kind":"checkpoint"')) return (await this.entries([Number(id.slice(0, id.indexOf('-')))]))[0];
        }
        if (rows.length < pageSize) return undefined;
        scanned += rows.length;
        const oldest = (rows[rows.length - 1] as StreamEntry)[0];
        end = `(${oldest}`;
      }
      return undefined;
    },

    async entry(seq: number): Promise<Entry | undefined> {
      return (await range(seq, seq, 1))[0];
    },

    range,

    /** The seq of the oldest record still in Redis (0: empty); older ones live in the mirror only. */
    /** Reports this instance's mirror (trimming keeps what any live instance's mirror lacks). */
    async reportMirror(instance: string, range: MirrorRange): Promise<void> {
      await redis.hset(keys.mirrors, instance, JSON.stringify(range));
    },
    async mirrorRanges(): Promise<Map<string, MirrorRange>> {
      const all = await redis.hgetall(keys.mirrors);
      return new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as MirrorRange]));
    },
    async forgetMirror(instance: string): Promise<void> {
      await redis.hdel(keys.mirrors, instance);
    },

    async firstSeq(): Promise<number> {
      const rows = (await redis.xrange(keys.log, '-', '+', 'COUNT', 1)) as StreamEntry[];
      return rows[0] ? Number(rows[0][0].slice(0, rows[0][0].indexOf('-'))) : 0;
    },

    /** Records with these seqs that are still in Redis (any order in, chain order out). */
    async entries(seqs: readonly number[]): Promise<Entry[]> {
      if (seqs.length === 0) return [];
      const pipe = redis.pipeline();
      for (const seq of seqs) pipe.xrange(keys.log, `${seq}-0`, `${seq}-0`);
      pipe.hmget(keys.content, ...seqs.map(String));
      const replies = (await pipe.exec()) ?? [];
      const contents = (replies[replies.length - 1]?.[1] ?? []) as (string | null)[];
      const out: Entry[] = [];
      seqs.forEach((_, i) => {
        const row = (replies[i]?.[1] as StreamEntry[] | undefined)?.[0];
        if (!row) return;
        out.push({
          ...(JSON.parse(fieldOf(row[1], 'h') ?? '{}') as Omit<Entry, 'hash' | 'content'>),
          hash: fieldOf(row[1], 'x') ?? '',
          content: JSON.parse(contents[i] ?? '{}') as Entry['content'],
        });
      });
      return out.sort((a, b) => a.seq - b.seq);
    },

    /** Index: the seqs of a ticket's records, in chain order. */
    async ticketSeqs(ticket: number): Promise<number[]> {
      return (await redis.lrange(keys.ticketSeqs(ticket), 0, -1)).map(Number);
    },

    /** Index: the seqs of many tickets' records, in one round trip. */
    async ticketsSeqs(tickets: readonly number[]): Promise<Map<number, number[]>> {
      const pipe = redis.pipeline();
      for (const t of tickets) pipe.lrange(keys.ticketSeqs(t), 0, -1);
      const rows = (await pipe.exec()) ?? [];
      return new Map(tickets.map((t, i) => [t, ((rows[i]?.[1] ?? []) as string[]).map(Number)]));
    },

    /**
     * Index: tickets newest first (by the time of their first record there), optionally of one
     * desk, operator or customer (bare JID), first record at or before `to`, at most `count`
     * after skipping `offset`.
     */
    async tickets(
      scope: { desk?: string; operator?: string; customer?: string },
      range: { to?: number; offset?: number; count: number },
    ): Promise<{ ticket: number; ts: number }[]> {
      const key =
        scope.desk !== undefined
          ? keys.byDesk(scope.desk)
          : scope.operator !== undefined
            ? keys.byOperator(scope.operator)
            : scope.customer !== undefined
              ? keys.byCustomer(scope.customer)
              : keys.tickets;
      const rows = await redis.zrevrangebyscore(key, range.to ?? '+inf', '-inf', 'WITHSCORES', 'LIMIT', range.offset ?? 0, range.count);
      const out: { ticket: number; ts: number }[] = [];
      for (let i = 0; i + 1 < rows.length; i += 2) out.push({ ticket: Number(rows[i]), ts: Number(rows[i + 1]) });
      return out;
    },

    /** Forgets which customer a (redacted) ticket belonged to. */
    async unindexCustomer(bare: string, ticket: number): Promise<void> {
      await redis.zrem(keys.byCustomer(bare), String(ticket));
    },

    /**
     * Drops records below `keepFrom` from Redis (at most `max` per call, never the head). Redis
     * runs nothing else during a call: 2,000 records take it ~2-3 ms (10,000 took 12-30 ms).
     */
    async trim(keepFrom: number, max = 2_000): Promise<{ removed: number; firstSeq: number }> {
      return runLua(redis, trimScript, [keys.log, keys.content], [keepFrom, max]);
    },

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
