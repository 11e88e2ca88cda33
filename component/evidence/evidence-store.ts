/**
 * The evidence log in Redis: a stream with one entry per appended batch (its records' headers
 * and hashes, batch-pack.ts) and a hash of the batches' contents (so a redaction can overwrite
 * one record's content; stream entries cannot be edited). Every write goes through
 * lua/append-batch-2.lua; reads are plain XRANGE/XREVRANGE/HMGET. Keys are built here only.
 */
import type { Redis } from 'ioredis';
import { GENESIS_HASH, type Entry, type Sealed } from '../../src/evidence/entry.js';
import { luaScript, reply, runLua } from '../lib/redis-scripts.js';
import { firstSeqOf, lastOf, pack, type StreamEntry, unpack } from './batch-pack.js';

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
  /** The transcript index (maintained by the append script): see lua/append-batch-2.lua. */
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

/** The index fields a record is filed under: ticket, ts, desk, operator, customer (reindex.ts). */
export function indexArgs(e: Entry): string[] {
  if (e.ticket === null) return ['', '', '', '', ''];
  return [String(e.ticket), String(e.ts), e.desk ?? '', bareLower(e.parties.operator), bareLower(e.content.customer)];
}

const LUA_DIR = new URL('./lua/', import.meta.url);

/** What the append script answered (see its header); -3 is a writer bug and thrown. */
type AppendOutcome = { kind: 'appended'; lastSeq: number } | Exclude<AppendReply, { kind: 'appended' }>;
const appendScript = luaScript(LUA_DIR, 'append-batch-2.lua', {
  namespace: 'madoguchiEvidence',
  decode(r): AppendOutcome {
    const [code, a, b] = reply.array(r, 'append-batch');
    switch (reply.number(code, 'append-batch code')) {
      case 1:
        return { kind: 'appended', lastSeq: reply.number(a, 'last seq') };
      case 0:
        return { kind: 'moved', head: { seq: reply.number(a, 'head seq'), hash: reply.string(b, 'head hash') } };
      case -1:
        return { kind: 'target-missing', target: reply.number(a, 'target') };
      case -2:
        return { kind: 'already-redacted', target: reply.number(a, 'target') };
      default:
        throw new Error('evidence append rejected a batch: seq out of order or malformed');
    }
  },
});
const trimScript = luaScript(LUA_DIR, 'trim-batches-2.lua', {
  namespace: 'madoguchiEvidence',
  decode(r) {
    const [removed, firstSeq] = reply.array(r, 'trim-batches');
    return { removed: reply.number(removed, 'removed'), firstSeq: reply.number(firstSeq, 'first seq') };
  },
});

/** One ticket's part of a batch for the index: its seqs and what to file it under. */
interface IndexGroup {
  ticket: number;
  seqs: number[];
  /** where ('tickets', 'd', 'o', 'c'), value, ts: triples, flat. */
  filings: (string | number)[];
}

/**
 * What this writer has filed in the index already (ticket under `tickets`, under its desk, its
 * operator, its customer), so the next record of a chat sends only its seq. ZADD NX makes a
 * repeat harmless, so forgetting (the set is cleared when full, or a restart) costs a repeat,
 * never a gap. Entries are added only once an append succeeded. A chat's next record usually
 * carries the very strings of its last one: that is one Map lookup and three comparisons, with
 * no string built (this runs once per relayed message).
 */
function createFiledSet(max = 100_000) {
  const filed = new Set<string>();
  const lastSeen = new Map<number, { desk: string | null; operator?: string; customer: unknown }>();
  return {
    /** Adds to `group` the filings `e` needs beyond what was filed before or earlier in this batch. */
    file(batch: Set<string>, group: IndexGroup, e: Entry): void {
      const seen = lastSeen.get(group.ticket);
      if (seen && seen.desk === e.desk && seen.operator === e.parties.operator && seen.customer === e.content.customer) return;
      const add = (where: string, value: string) => {
        if (value === '' && where !== 'tickets') return;
        const key = `${group.ticket}|${where}|${value}`;
        if (filed.has(key) || batch.has(key)) return;
        batch.add(key);
        group.filings.push(where, value, e.ts);
      };
      add('tickets', '');
      add('d', e.desk ?? '');
      add('o', bareLower(e.parties.operator));
      add('c', bareLower(e.content.customer));
    },
    remember(batch: Set<string>, sealed: readonly Sealed[]): void {
      if (filed.size + batch.size > max) {
        filed.clear();
        lastSeen.clear();
      }
      for (const key of batch) filed.add(key);
      for (const { entry: e } of sealed)
        if (e.ticket !== null) lastSeen.set(e.ticket, { desk: e.desk, operator: e.parties.operator, customer: e.content.customer });
    },
  };
}

export function createEvidenceStore(redis: Redis, prefix: string) {
  const keys = evidenceKeys(prefix);
  const filed = createFiledSet();

  /** The stream entries holding seqs from..to (the first one may start below `from`), at most `count` entries. */
  async function rows(from: number, to: number | '+', count: number): Promise<StreamEntry[]> {
    const end = to === '+' ? '+' : `${to}-0`;
    const [[, holder], [, after]] = (await redis
      .pipeline()
      .xrevrange(keys.log, `${from}-0`, '-', 'COUNT', 1)
      .xrange(keys.log, `(${from}-0`, end, 'COUNT', count)
      .exec()) as [[Error | null, StreamEntry[]], [Error | null, StreamEntry[]]];
    const first = holder?.[0];
    const found = first && lastOf(first).seq >= from ? [first, ...(after ?? [])] : (after ?? []);
    return found;
  }

  /** The records of these entries (contents in one HMGET) within [from, to]. */
  async function expand(found: readonly StreamEntry[], from = 0, to = Number.MAX_SAFE_INTEGER): Promise<Entry[]> {
    if (found.length === 0) return [];
    const contents = await redis.hmget(keys.content, ...found.map(([id]) => String(firstSeqOf(id))));
    return found.flatMap((row, i) => unpack(row, contents[i], from, to));
  }

  /**
   * Up to `count` records from `from` through `to`, in chain order. Entries hold whole batches,
   * so it reads about as many entries as the records it still needs divided by the records per
   * entry it has seen so far (no batch read twice, little read past `count`).
   */
  async function range(from: number, to: number | '+', count: number): Promise<Entry[]> {
    const last = to === '+' ? Number.MAX_SAFE_INTEGER : to;
    const out: Entry[] = [];
    let next = from;
    let perEntry = 1;
    while (out.length < count && next <= last) {
      const want = count - out.length;
      const found = await rows(next, to, Math.max(1, Math.ceil(want / perEntry)));
      const records = await expand(found, next, last);
      if (records.length === 0) break;
      perEntry = Math.max(1, records.length / found.length);
      for (const e of records) if (out.length < count) out.push(e);
      next = (records[records.length - 1] as Entry).seq + 1;
    }
    return out;
  }

  return {
    keys,

    /** One EVALSHA: appends `sealed` as one stream entry if the head is still `expected`, plus an optional redaction overwrite. */
    async append(
      expected: Head,
      sealed: readonly Sealed[],
      redaction?: { target: number; markerJson: string; archived?: boolean },
    ): Promise<AppendReply> {
      const packed = pack(sealed);
      const batch = new Set<string>();
      const groups = new Map<number, IndexGroup>();
      for (const { entry } of sealed) {
        if (entry.ticket === null) continue;
        let group = groups.get(entry.ticket);
        if (!group) groups.set(entry.ticket, (group = { ticket: entry.ticket, seqs: [], filings: [] }));
        group.seqs.push(entry.seq);
        filed.file(batch, group, entry);
      }
      const args: (string | number | Buffer)[] = [
        expected.seq,
        expected.hash,
        sealed.length,
        keys.index,
        sealed[0]?.entry.seq ?? expected.seq + 1,
        // Buffers: encoded once here, copied as they are into the command (ioredis would otherwise
        // measure and re-concatenate the strings into one command string first).
        Buffer.from(packed.headers),
        packed.hashes,
        Buffer.from(packed.contents),
        groups.size,
      ];
      for (const g of groups.values()) args.push(g.ticket, g.seqs.length, ...g.seqs, g.filings.length / 3, ...g.filings);
      if (redaction) args.push(redaction.target, redaction.markerJson, redaction.archived ? '1' : '0');
      const outcome = await runLua(redis, appendScript, [keys.log, keys.content], args);
      if (outcome.kind === 'appended') filed.remember(batch, sealed);
      return outcome;
    },

    async head(): Promise<Head> {
      const last = ((await redis.xrevrange(keys.log, '+', '-', 'COUNT', 1)) as StreamEntry[])[0];
      return last ? lastOf(last) : EMPTY_HEAD;
    },

    /**
     * The newest checkpoint record, scanning back from the head page by page (checkpoints come
     * every checkpointEvery records per writer, or sooner); undefined if none within `maxScan`
     * records. `pageSize` counts stream entries (batches).
     */
    async lastCheckpoint(maxScan = 100_000, pageSize = 50): Promise<Entry | undefined> {
      let end = '+';
      for (let scanned = 0; scanned < maxScan; ) {
        const page = (await redis.xrevrange(keys.log, end, '-', 'COUNT', pageSize)) as StreamEntry[];
        for (const row of page) {
          const records = unpack(row, null);
          for (let i = records.length - 1; i >= 0 && scanned < maxScan; i--, scanned++) {
            const e = records[i] as Entry;
            if (e.kind === 'checkpoint') return (await this.entries([e.seq]))[0];
          }
        }
        if (page.length < pageSize) return undefined;
        end = `(${(page[page.length - 1] as StreamEntry)[0]}`;
      }
      return undefined;
    },

    async entry(seq: number): Promise<Entry | undefined> {
      return (await range(seq, seq, 1))[0];
    },

    range,

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

    /** The seq of the oldest record still in Redis (0: empty); older ones live in the mirror only. */
    async firstSeq(): Promise<number> {
      const first = ((await redis.xrange(keys.log, '-', '+', 'COUNT', 1)) as StreamEntry[])[0];
      return first ? firstSeqOf(first[0]) : 0;
    },

    /** Records with these seqs that are still in Redis (any order in, chain order out): each seq's batch, read once. */
    async entries(seqs: readonly number[]): Promise<Entry[]> {
      const wanted = new Set(seqs);
      if (wanted.size === 0) return [];
      const pipe = redis.pipeline();
      for (const seq of wanted) pipe.xrevrange(keys.log, `${seq}-0`, '-', 'COUNT', 1);
      const byId = new Map<string, StreamEntry>();
      for (const [, found] of (await pipe.exec()) ?? []) {
        const row = (found as StreamEntry[] | undefined)?.[0];
        if (row) byId.set(row[0], row);
      }
      const records = await expand([...byId.values()]);
      return records.filter((e) => wanted.has(e.seq)).sort((a, b) => a.seq - b.seq);
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
