/**
 * Two instances over one Redis, each with its own evidence mirror (issue 19 §3): records trimmed
 * from Redis stay readable by either. Each mirror follows the whole chain (it fills in what the
 * other instance appended, from the oldest record Redis still has), and Redis drops only what
 * every live instance's mirror holds (each reports its range in `<prefix>evidence:mirrors`).
 */
import { describe, expect, it } from 'vitest';
import { createEvidenceLog, type EvidenceLogOptions } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { createTranscripts } from '../../component/evidence/transcripts.js';
import { verifyLogFiles } from '../../component/evidence/verify-files.js';
import { freshPrefix } from '../support/redis.js';
import { DOMAIN, recordConversation } from './evidence-conversation.js';
import { useEvidenceRedis } from './evidence-fixture.js';

const keyPair = generateEvidenceKeyPair();
const ev = useEvidenceRedis();

function instance(prefix: string, overrides: Partial<EvidenceLogOptions> = {}) {
  const mirrorDir = ev.tempDir('madoguchi-instances-');
  const log = createEvidenceLog({
    redis: ev.redis(),
    prefix,
    keyPair,
    mirrorDir,
    redisKeepRecords: 20,
    checkpointEvery: 7,
    checkpointMs: 60_000,
    ...overrides,
  });
  ev.onCleanup(() => log.close());
  const transcripts = createTranscripts({ log, componentDomain: DOMAIN, operators: [{ jid: 'alice@localhost', name: 'Alice' }] });
  return { log, transcripts, mirrorDir };
}

describe('evidence with several instances', () => {
  it('a record trimmed from Redis is readable by an instance that started after it was written', async () => {
    const prefix = freshPrefix();
    const a = instance(prefix);
    await a.log.open();
    await recordConversation(a.log, { ticket: 1, words: 'first' });
    await a.log.flush();
    const before = await a.transcripts.forTicket(1, { audience: 'all' });
    expect(before.length).toBeGreaterThan(5);

    // b starts later (its own mirror dir); more traffic through a; both trim as their timers would.
    const b = instance(prefix);
    await b.log.open();
    for (let t = 2; t <= 4; t++) await recordConversation(a.log, { ticket: t });
    await a.log.flush();
    await b.log.trim();
    const trimmed = await a.log.trim();
    expect(trimmed.removed).toBeGreaterThan(20);
    expect(await a.log.store.entry(1)).toBeUndefined();

    // Either instance reads the oldest ticket, and b's mirror verifies as a whole chain from seq 1.
    expect(await b.transcripts.forTicket(1, { audience: 'all' })).toEqual(before);
    expect(await a.transcripts.forTicket(1, { audience: 'all' })).toEqual(before);
    expect(await verifyLogFiles([b.mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true, firstSeq: 1 });
  });

  it('Redis keeps what a live instance has not mirrored yet', async () => {
    const prefix = freshPrefix();
    const a = instance(prefix);
    const b = instance(prefix);
    await a.log.open();
    await b.log.open();
    for (let t = 1; t <= 3; t++) await recordConversation(a.log, { ticket: t });
    await a.log.flush();
    // b has not caught up since it reported its range: a trims nothing b lacks.
    expect((await a.log.trim()).removed).toBe(0);
    await b.log.trim(); // b follows the chain and reports it: now either may trim what both hold
    await a.log.trim();
    expect(await a.log.store.firstSeq()).toBeGreaterThan(1);
    expect(await a.log.store.entry(1)).toBeUndefined();
    expect(await b.transcripts.forTicket(1, { audience: 'all' })).toEqual(await a.transcripts.forTicket(1, { audience: 'all' }));
  });

  it('a new instance is ready before its mirror has copied the chain, and trimming waits for the copy', async () => {
    const prefix = freshPrefix();
    const a = instance(prefix);
    await a.log.open();
    for (let t = 1; t <= 40; t++) await recordConversation(a.log, { ticket: t });
    await a.log.flush();
    const head = (await a.log.store.head()).seq;
    expect(head).toBeGreaterThan(200);

    const b = instance(prefix);
    await b.log.open();
    // open() did not copy the chain (it used to, for up to redisKeepRecords records, before the instance served)
    expect(b.log.mirroredSeq() ?? 0).toBeLessThan(head);
    // and while b copies, a trims nothing b lacks
    expect((await a.log.trim()).removed).toBe(0);
    await b.log.caughtUp();
    expect(b.log.mirroredSeq()).toBe(head);
    expect((await a.log.trim()).removed).toBeGreaterThan(0);
    expect(await verifyLogFiles([b.mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true, firstSeq: 1 });
  });
});
