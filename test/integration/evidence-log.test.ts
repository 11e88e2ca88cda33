/** The evidence log against a real Redis: append, checkpoints, mirror, export, redaction, recovery. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEvidenceLog, type EvidenceLog, type EvidenceLogOptions } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { verifyLogFiles } from '../../component/evidence/verify-files.js';
import { freshPrefix } from '../support/redis.js';
import { useEvidenceRedis } from './evidence-fixture.js';

const keyPair = generateEvidenceKeyPair();
const ev = useEvidenceRedis();
let redis: Redis;
beforeAll(() => {
  redis = ev.redis();
});
const tempDir = () => ev.tempDir();

function openLog(overrides: Partial<EvidenceLogOptions> = {}): EvidenceLog {
  const log = createEvidenceLog({ redis, prefix: freshPrefix(), keyPair, checkpointEvery: 1000, checkpointMs: 60_000, ...overrides });
  ev.onCleanup(() => log.close());
  return log;
}

const message = (i: number) => ({
  kind: 'message',
  ticket: 42,
  desk: 'support',
  direction: 'customer->operator' as const,
  parties: { customer: 'carol@guest.localhost/web', masked: 't42-k7q3@support.localhost', operator: 'alice@localhost' },
  stanza: `<message from="t42-k7q3@support.localhost" to="alice@localhost" type="chat" id="m${i}"><body>hello ${i}</body></message>`,
});

describe('evidence log', () => {
  it('appends chained records, batches a burst into few script calls, and exports a log that verifies', async () => {
    const log = openLog();
    const entries = await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(message(i))));
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(entries[0]?.content).toMatchObject({ customer: 'carol@guest.localhost/web' });
    expect(entries[0]?.parties).toEqual({ masked: 't42-k7q3@support.localhost', operator: 'alice@localhost' });
    expect(log.stats().batches).toBeLessThanOrEqual(4);
    const dir = join(tempDir(), 'export');
    const exported = await log.export({ dir });
    expect(exported.manifest).toMatchObject({ firstSeq: 1, lastSeq: 301, count: 301 }); // + the checkpoint export() signs first
    const result = await verifyLogFiles([dir], log.publicKeyPem());
    expect(result).toMatchObject({ ok: true, records: 301, checkpoints: 1, fromGenesis: true, manifest: 'verified', unsignedTail: 0 });
  });

  it('signs a checkpoint every N records and after T ms, whichever first', async () => {
    const log = openLog({ checkpointEvery: 10, checkpointMs: 100 });
    for (let i = 0; i < 25; i++) await log.append(message(i));
    let kinds = (await log.store.range(1, '+', 100)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'checkpoint')).toHaveLength(2);
    expect(kinds[10]).toBe('checkpoint');
    await new Promise((r) => setTimeout(r, 300));
    kinds = (await log.store.range(1, '+', 100)).map((e) => e.kind);
    expect(kinds).toHaveLength(28);
    expect(kinds[27]).toBe('checkpoint'); // the 5 unsigned records got signed by the timer
  });

  it('names its newest signed checkpoint as the head (also with an unsigned tail behind it, and across pages) and reports each one it signs', async () => {
    const heads: { seq: number; hash: string }[] = [];
    const log = openLog({ checkpointEvery: 10, onCheckpoint: (h) => heads.push(h) });
    await log.append(message(0));
    expect(await log.latestHead()).toBeUndefined(); // nothing signed yet
    for (let i = 1; i < 25; i++) await log.append(message(i)); // checkpoints at 11 and 22, 3 unsigned after
    const head = await log.latestHead();
    expect(head).toMatchObject({ purpose: 'madoguchi-evidence-head/v1', seq: 22, hash: (await log.store.entry(22))?.hash });
    expect(heads.map((h) => h.seq)).toEqual([11, 22]);
    expect(await log.store.lastCheckpoint(100_000, 2)).toMatchObject({ seq: 22, kind: 'checkpoint' }); // small pages
    expect(await log.store.lastCheckpoint(2, 2)).toBeUndefined(); // not within the scan limit
  });

  it('mirrors to size-rotated, append-only JSONL files that verify on their own', async () => {
    const mirrorDir = tempDir();
    const log = openLog({ mirrorDir, mirrorMaxFileBytes: 8 * 1024, checkpointEvery: 50 });
    for (let i = 0; i < 120; i++) void log.append(message(i));
    await log.flush();
    const files = readdirSync(mirrorDir).sort();
    expect(files.length).toBeGreaterThan(3);
    expect(files[0]).toBe('evidence-000000000001.jsonl');
    expect(statSync(join(mirrorDir, files[0] as string)).mode & 0o777).toBe(0o440);
    const result = await verifyLogFiles([mirrorDir], log.publicKeyPem());
    expect(result).toMatchObject({ ok: true, records: 123, checkpoints: 3, unsignedTail: 0, manifest: 'none' });
  });

  it('redacts content so the chain still verifies, logs the redaction, and refuses to do it twice', async () => {
    const mirrorDir = tempDir();
    const log = openLog({ mirrorDir });
    for (let i = 0; i < 10; i++) await log.append(message(i));
    const redaction = await log.redact(4, 'GDPR erasure request #7');
    expect(redaction).toMatchObject({ kind: 'redaction', seq: 11, ticket: 42, content: { target: 4, reason: 'GDPR erasure request #7' } });
    expect((await log.store.entry(4))?.content).toEqual({ redacted: true, reason: 'GDPR erasure request #7', redactionSeq: 11 });
    await expect(log.redact(4, 'again')).rejects.toMatchObject({ code: 'already-redacted' });
    await expect(log.redact(999, 'x')).rejects.toMatchObject({ code: 'not-found' });
    await log.flush();
    await expect(log.redact(12, 'x')).rejects.toMatchObject({ code: 'not-redactable' });
    const mirrored = readFileSync(join(mirrorDir, 'evidence-000000000001.jsonl'), 'utf8');
    expect(mirrored).not.toContain('id="m3"');
    expect(await verifyLogFiles([mirrorDir], log.publicKeyPem())).toMatchObject({ ok: true, redacted: 1 });
    const dir = join(tempDir(), 'export');
    await log.export({ dir });
    expect(await verifyLogFiles([dir], log.publicKeyPem())).toMatchObject({ ok: true, redacted: 1, manifest: 'verified' });
  });

  it('refuses to sign an export of records altered inside Redis', async () => {
    const log = openLog();
    for (let i = 0; i < 5; i++) await log.append(message(i));
    const stored = await redis.hget(log.store.keys.content, '3');
    await redis.hset(log.store.keys.content, '3', (stored as string).replace('hello 2', 'HELLO 2'));
    await expect(log.export({ dir: join(tempDir(), 'x') })).rejects.toThrow(/seq 3: content does not match/);
  });

  it('puts back, from the mirror, records that Redis lost', async () => {
    const mirrorDir = tempDir();
    const prefix = freshPrefix();
    const first = createEvidenceLog({ redis, prefix, keyPair, mirrorDir, checkpointEvery: 1000 });
    for (let i = 0; i < 20; i++) await first.append(message(i));
    await first.close(); // 20 records + a checkpoint, mirrored
    // As after a restart from an older snapshot: the stream and contents end at seq 14.
    const keys = first.store.keys;
    const kept = (await redis.xrange(keys.log, '-', '14-0')) as [string, string[]][];
    await redis.del(keys.log);
    for (const [id, fields] of kept) await redis.xadd(keys.log, id, ...fields);
    for (let seq = 15; seq <= 21; seq++) await redis.hdel(keys.content, String(seq));
    const second = openLog({ prefix, mirrorDir });
    expect(await second.open()).toEqual({ recovered: 7 });
    expect((await second.store.head()).seq).toBe(21);
    expect((await second.append(message(99))).seq).toBe(22);
    const dir = join(tempDir(), 'export');
    await second.export({ dir });
    expect(await verifyLogFiles([dir], keyPair.publicKeyPem)).toMatchObject({ ok: true, records: 23 });
    expect(await verifyLogFiles([mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true, records: 23 });
  });

  it('moves a mirror aside when the chain in Redis does not continue it (Redis reset)', async () => {
    const mirrorDir = tempDir();
    const errors: Error[] = [];
    const first = openLog({ mirrorDir });
    for (let i = 0; i < 5; i++) await first.append(message(i));
    await first.close();
    const second = openLog({ mirrorDir, onError: (err) => errors.push(err) }); // fresh prefix: a new chain from seq 1
    await second.append(message(0));
    await second.flush();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/does not continue the mirror at seq 6 .*moved to .*diverged-/)]);
    const aside = readdirSync(mirrorDir).find((n) => n.startsWith('diverged-')) as string;
    expect(await verifyLogFiles([join(mirrorDir, aside)], keyPair.publicKeyPem)).toMatchObject({ ok: true, records: 6 });
    expect(await verifyLogFiles([mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true, records: 2, fromGenesis: true });
  });
});
