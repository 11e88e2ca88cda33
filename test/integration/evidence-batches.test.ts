/**
 * The evidence log's Redis layout (issue 21): one stream entry per appended batch, contents
 * redactable record by record, every reader working across batches; and a log written before
 * batching (one entry per record) still read, appended to, trimmed and redacted.
 */
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEvidenceLog, type EvidenceLog, type EvidenceLogOptions } from '../../component/evidence/evidence-log.js';
import { sha256Hex } from '../../component/evidence/crypto.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { verifyLogFiles } from '../../component/evidence/verify-files.js';
import { makeDraft, sealChain, GENESIS_HASH } from '../../src/evidence/entry.js';
import { freshPrefix } from '../support/redis.js';
import { useEvidenceRedis } from './evidence-fixture.js';

const keyPair = generateEvidenceKeyPair();
const ev = useEvidenceRedis();
let redis: Redis;
beforeAll(() => {
  redis = ev.redis();
});

function openLog(overrides: Partial<EvidenceLogOptions> = {}): EvidenceLog {
  const log = createEvidenceLog({ redis, prefix: freshPrefix(), keyPair, checkpointEvery: 1000, checkpointMs: 60_000, ...overrides });
  ev.onCleanup(() => log.close());
  return log;
}

const message = (i: number, ticket = 1 + (i % 5)) => ({
  kind: 'message',
  ticket,
  desk: 'support',
  direction: 'customer->operator' as const,
  parties: { customer: `c${ticket}@guest.localhost/web`, masked: `t${ticket}-k7q3@support.localhost`, operator: 'alice@localhost' },
  stanza: `<message type='chat' id='m${i}'><body>hello ${i}\nsecond line "quoted"</body></message>`,
});

describe('evidence log in Redis: one stream entry per batch', () => {
  it('packs a burst into a few entries and reads every record back across them', async () => {
    const log = openLog();
    const appended = await Promise.all(Array.from({ length: 600 }, (_, i) => log.append(message(i))));
    await log.flush();
    const { keys } = log.store;
    const entries = await redis.xlen(keys.log);
    expect(entries).toBeLessThanOrEqual(log.stats().batches);
    expect(entries).toBeLessThan(10); // 601 records
    expect(await redis.hlen(keys.content)).toBe(entries);
    const head = await log.store.head();
    expect(head.seq).toBe(601);
    expect(head.hash).toBe((await log.store.entry(601))?.hash);
    expect((await log.store.entry(601))?.kind).toBe('checkpoint');
    expect(await log.store.firstSeq()).toBe(1);
    const all = await log.store.range(1, '+', 10_000);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 601 }, (_, i) => i + 1));
    expect(all.slice(0, 600)).toEqual(appended);
    expect((await log.store.range(255, 258, 100)).map((e) => e.seq)).toEqual([255, 256, 257, 258]);
    const some = await log.store.entries([600, 3, 257, 3, 999]);
    expect(some.map((e) => e.seq)).toEqual([3, 257, 600]);
    expect(some[1]?.content.stanza).toBe(message(256).stanza);
    const pages: number[] = [];
    for await (const page of log.store.iterate(2, 550, 100)) pages.push(page.length);
    expect(pages).toEqual([100, 100, 100, 100, 100, 49]);
    expect((await log.store.lastCheckpoint())?.seq).toBe(601);
    expect(await log.store.ticketSeqs(2)).toEqual(appended.filter((e) => e.ticket === 2).map((e) => e.seq));
    const dir = join(ev.tempDir(), 'export');
    await log.export({ dir });
    expect(await verifyLogFiles([dir], keyPair.publicKeyPem)).toMatchObject({ ok: true, records: 601 });
  });

  it('redacts one record inside a batch and leaves the others of the batch as they were', async () => {
    const mirrorDir = ev.tempDir();
    const log = openLog({ mirrorDir });
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(message(i))));
    expect(await redis.xlen(log.store.keys.log)).toBeLessThan(5);
    const before = await log.store.range(1, 50, 50);
    await log.redact(20, 'erasure #1');
    await expect(log.redact(20, 'again')).rejects.toThrow(/already redacted/);
    const after = await log.store.range(1, 50, 50);
    expect(after[19]?.content).toEqual({ redacted: true, reason: 'erasure #1', redactionSeq: 51 });
    expect(after.filter((_, i) => i !== 19)).toEqual(before.filter((_, i) => i !== 19));
    await log.flush();
    expect(await verifyLogFiles([mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true, redacted: 1 });
    const dir = join(ev.tempDir(), 'export');
    await log.export({ dir });
    expect(await verifyLogFiles([dir], keyPair.publicKeyPem)).toMatchObject({ ok: true, redacted: 1 });
  });

  it('refuses to sign an export when one record inside a packed batch was altered in Redis, naming it', async () => {
    const log = openLog();
    await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(message(i))));
    const { keys } = log.store;
    const fields = await redis.hgetall(keys.content);
    const [field, packed] = Object.entries(fields).find(([, v]) => v.includes('hello 30\\n')) as [string, string];
    expect(packed.split('\n').length).toBeGreaterThan(1);
    await redis.hset(keys.content, field, packed.replace('hello 30\\n', 'HELLO 30\\n'));
    await expect(log.export({ dir: join(ev.tempDir(), 'x') })).rejects.toThrow(/seq 31: content does not match/);
  });

  it('with a batching window, appends handed over apart go out as one entry; a flush does not wait for the window', async () => {
    const log = openLog({ batchWindowMs: 300 });
    const started = Date.now();
    const first = log.append(message(1));
    await new Promise((r) => setTimeout(r, 30));
    const second = log.append(message(2));
    await first;
    expect(Date.now() - started).toBeGreaterThanOrEqual(290); // nobody waits for it but the record itself
    await second;
    expect(await redis.xlen(log.store.keys.log)).toBe(1);
    const third = log.append(message(3));
    const flushing = Date.now();
    await log.flush();
    expect(Date.now() - flushing).toBeLessThan(250);
    expect((await third).seq).toBe(3);
    expect(await redis.xlen(log.store.keys.log)).toBe(2); // record 3 and the checkpoint went together
  });

  it("a reader's settled() brings what the window holds to Redis at once, without a checkpoint", async () => {
    const log = openLog({ batchWindowMs: 300 });
    const appended = log.append(message(1)); // the stanza it records has left; a MAM query follows at once
    const asked = Date.now();
    await log.settled();
    expect(Date.now() - asked).toBeLessThan(250);
    expect((await appended).seq).toBe(1);
    expect((await log.store.entry(1))?.kind).not.toBe('checkpoint');
    expect(await log.store.entry(2)).toBeUndefined(); // no checkpoint came with it
  });

  it('puts back whole batches that Redis lost, from the mirror', async () => {
    const mirrorDir = ev.tempDir();
    const prefix = freshPrefix();
    const first = createEvidenceLog({ redis, prefix, keyPair, mirrorDir, checkpointEvery: 1000 });
    await Promise.all(Array.from({ length: 300 }, (_, i) => first.append(message(i))));
    await first.close();
    const { keys } = first.store;
    const rows = (await redis.xrange(keys.log, '-', '+')) as [string, string[]][];
    expect(rows.length).toBeGreaterThan(1);
    // As after a restart from an older snapshot: the stream and contents end before the last batch.
    const lost = rows[rows.length - 1] as [string, string[]];
    await redis.del(keys.log);
    for (const [id, fields] of rows.slice(0, -1)) await redis.xadd(keys.log, id, ...fields);
    await redis.hdel(keys.content, lost[0].split('-')[0] as string);
    const second = openLog({ prefix, mirrorDir });
    const { recovered } = await second.open();
    expect(recovered).toBe(301 - Number(lost[0].split('-')[0]) + 1);
    expect((await second.store.head()).seq).toBe(301);
    expect((await second.append(message(999))).seq).toBe(302);
    const dir = join(ev.tempDir(), 'export');
    await second.export({ dir });
    expect(await verifyLogFiles([dir], keyPair.publicKeyPem)).toMatchObject({ ok: true, records: 303 });
  });
});

describe('a log written before batching (one stream entry per record)', () => {
  /** Writes records the way the previous layout did: entry <seq>-0 with h and x, content field <seq>. */
  async function writeLegacy(prefix: string, n: number): Promise<void> {
    const drafts = Array.from({ length: n }, (_, i) =>
      makeDraft(
        {
          ts: 1_700_000_000_000 + i,
          kind: 'message',
          ticket: 7,
          desk: 'support',
          direction: 'customer->operator',
          parties: { masked: 't7-k7q3@support.localhost', operator: 'alice@localhost' },
          content: { customer: 'old@guest.localhost/web', salt: `s${i}`, stanza: `<message><body>old ${i}</body></message>` },
        },
        sha256Hex,
      ),
    );
    const sealed = sealChain({ seq: 0, hash: GENESIS_HASH }, drafts, sha256Hex);
    for (const s of sealed) {
      await redis.xadd(`${prefix}evidence:log`, `${s.entry.seq}-0`, 'h', s.headerJson, 'x', s.entry.hash);
      await redis.hset(`${prefix}evidence:content`, String(s.entry.seq), s.contentJson);
    }
  }

  it('is read, continued in batches, trimmed, redacted and exported as one chain', async () => {
    const prefix = freshPrefix();
    await writeLegacy(prefix, 30);
    const mirrorDir = ev.tempDir();
    const log = openLog({ prefix, mirrorDir, redisKeepRecords: 40 });
    await log.open(); // builds the transcript index from the old records
    expect(await log.store.head()).toEqual({ seq: 30, hash: (await log.store.entry(30))?.hash });
    expect((await log.store.entry(12))?.content.stanza).toBe('<message><body>old 11</body></message>');
    expect(await log.store.ticketSeqs(7)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const appended = await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(message(i))));
    expect(appended[0]?.seq).toBe(31);
    expect(appended[0]?.prevHash).toBe((await log.store.entry(30))?.hash);
    await log.redact(5, 'old erasure');
    expect((await log.store.entry(5))?.content).toMatchObject({ redacted: true, redactionSeq: 131 });
    await log.flush();
    const dir = join(ev.tempDir(), 'export');
    await log.export({ dir });
    expect(await verifyLogFiles([dir], keyPair.publicKeyPem)).toMatchObject({ ok: true, records: 132, redacted: 1 });
    // Retention drops the old per-record entries and whole batches; the mirror still has everything.
    const trimmed = await log.trim();
    expect(trimmed.firstSeq).toBeGreaterThan(30);
    expect(await log.store.entry(12)).toBeUndefined();
    expect((await log.records([12]))[0]?.content.stanza).toBe('<message><body>old 11</body></message>');
    expect(await verifyLogFiles([mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true, redacted: 1 });
  });
});
