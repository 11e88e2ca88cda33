/**
 * Transcripts from a real Redis log: the index finds a ticket's records; each audience gets
 * its lines; search filters; a redacted ticket still verifies; the ticket's bundle verifies
 * offline and names an edited entry; after trimming, transcripts come from the mirror.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvidenceLog, type EvidenceLog, type EvidenceLogOptions } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { createTranscripts } from '../../component/evidence/transcripts.js';
import { verifyLogFiles } from '../../component/evidence/verify-files.js';
import { freshPrefix } from '../support/redis.js';
import { DOMAIN, recordConversation } from './evidence-conversation.js';
import { useEvidenceRedis } from './evidence-fixture.js';

const keyPair = generateEvidenceKeyPair();
const ev = useEvidenceRedis();
const tempDir = () => ev.tempDir('madoguchi-transcripts-');

function open(overrides: Partial<EvidenceLogOptions> = {}) {
  const log: EvidenceLog = createEvidenceLog({
    redis: ev.redis(),
    prefix: freshPrefix(),
    keyPair,
    checkpointEvery: 7,
    checkpointMs: 60_000,
    ...overrides,
  });
  ev.onCleanup(() => log.close());
  const transcripts = createTranscripts({
    log,
    componentDomain: DOMAIN,
    operators: [
      { jid: 'alice@localhost', name: 'Alice' },
      { jid: 'bob@localhost', name: 'Bob' },
    ],
  });
  return { log, transcripts };
}

describe('transcripts', () => {
  it('finds a ticket through the index and gives each audience what it saw', async () => {
    const { log, transcripts } = open();
    await recordConversation(log, { ticket: 7, words: 'seven' });
    await recordConversation(log, { ticket: 8, words: 'eight', operator: 'bob@localhost' });
    const seqs8 = await log.store.ticketSeqs(8);
    expect(seqs8).toHaveLength(13);
    expect((await log.records(seqs8)).every((e) => e.ticket === 8)).toBe(true);
    const customer = await transcripts.forTicket(7);
    expect(customer.map((l) => [l.from, l.body])).toEqual([
      ['customer', 'seven: first question'],
      ['desk', 'Welcome to Support. Your ticket is #7.'],
      ['customer', 'seven: still waiting'],
      ['desk', 'Alice has joined'],
      ['operator', 'seven: operator answer'],
      ['customer', 'seven: thanks'],
      ['desk', 'Alice ended the chat'],
    ]);
    expect(customer[0]).toMatchObject({ id: 'origin-c1', kind: 'join', direction: 'customer->desk' });
    expect(customer[4]).toMatchObject({ name: 'Alice', id: 'o1' });
    expect(customer.every((l) => l.stanza === undefined)).toBe(true);
    expect(JSON.stringify(customer)).not.toContain('alice@localhost');

    const operator = await transcripts.forTicket(7, { audience: 'operator' });
    expect(operator.map((l) => l.body)).toEqual([
      'New chat — ticket #7',
      'seven: first question',
      'seven: still waiting',
      'seven: operator answer',
      'seven: thanks',
      'Chat #7 ended',
    ]);
    const all = await transcripts.forTicket(7, { audience: 'all' });
    expect(all.filter((l) => l.kind === 'end')).toEqual([expect.objectContaining({ data: { reason: 'operator-ended' } })]);
    expect(all.filter((l) => l.body === 'seven: first question')).toHaveLength(1);
    expect(await transcripts.forTicket(99)).toEqual([]);
  });

  it('rebuilds a missing index on open (logs written before it existed)', async () => {
    const { log, transcripts } = open();
    await recordConversation(log, { ticket: 4, words: 'four' });
    const before = await transcripts.forTicket(4, { audience: 'all' });
    const idx = await ev.redis().keys(`${log.store.keys.index}*`);
    expect(idx.length).toBeGreaterThan(3);
    await ev.redis().del(...idx);
    expect(await transcripts.forTicket(4)).toEqual([]);
    await log.open();
    expect(await transcripts.forTicket(4, { audience: 'all' })).toEqual(before);
    expect((await transcripts.search({ limit: 5, operator: 'Alice' })).map((s) => s.ticket)).toEqual([4]);
  });

  it('files a chat under each of its operators once, not once per record', async () => {
    const { log, transcripts } = open();
    const redis = ev.redis();
    const zadds = async () => Number(/cmdstat_zadd:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
    const message = (operator: string, n: number) =>
      log.append({
        kind: 'message',
        ticket: 31,
        desk: 'support',
        direction: 'customer->operator',
        parties: { customer: 'kai@guest.localhost/w', masked: `t31-abcd@${DOMAIN}`, operator },
        stanza: `<message><body>m${n}</body></message>`,
      });
    const before = await zadds();
    for (let n = 1; n <= 10; n++) await message('alice@localhost', n);
    // The ticket, its desk, its operator and its customer: four entries, however many records.
    expect((await zadds()) - before).toBe(4);
    for (let n = 11; n <= 15; n++) await message('bob@localhost', n); // transferred to Bob
    expect((await zadds()) - before).toBe(5);
    expect(await log.store.ticketSeqs(31)).toHaveLength(15);
    expect((await transcripts.search({ limit: 5, operator: 'Alice' })).map((s) => s.ticket)).toEqual([31]);
    expect((await transcripts.search({ limit: 5, operator: 'Bob' })).map((s) => s.ticket)).toEqual([31]);
    expect((await transcripts.search({ limit: 5, customer: 'kai@guest.localhost' })).map((s) => s.ticket)).toEqual([31]);
  });

  it('searches by customer, operator, desk, text and time', async () => {
    const { log, transcripts } = open();
    await recordConversation(log, { ticket: 1, words: 'printer on fire', customer: 'yuki@guest.localhost/a', name: 'Yuki' });
    await recordConversation(log, { ticket: 2, words: 'refund please', operator: 'bob@localhost', name: 'Ken' });
    await recordConversation(log, { ticket: 3, words: 'pricing', desk: 'sales', name: 'Mia' });
    const ids = async (q: Parameters<typeof transcripts.search>[0]) => (await transcripts.search(q)).map((s) => s.ticket);
    expect(await ids({ limit: 50 })).toEqual([3, 2, 1]);
    expect(await ids({ limit: 50, customer: 'yuki@guest.localhost' })).toEqual([1]);
    expect(await ids({ limit: 50, customer: 'ken' })).toEqual([2]);
    expect(await ids({ limit: 50, operator: 'Bob' })).toEqual([2]);
    expect(await ids({ limit: 50, operator: 'alice@localhost', desk: 'sales' })).toEqual([3]);
    expect(await ids({ limit: 50, text: 'REFUND' })).toEqual([2]);
    expect(await ids({ limit: 50, from: Date.now() + 60_000 })).toEqual([]);
    expect(await ids({ limit: 1 })).toEqual([3]);
    const [s] = await transcripts.search({ limit: 1, customer: 'yuki@guest.localhost' });
    expect(s).toMatchObject({
      ticket: 1,
      desk: 'support',
      customer: 'yuki@guest.localhost',
      customerName: 'Yuki',
      operators: [{ jid: 'alice@localhost', name: 'Alice' }],
    });
  });

  it('redacts a ticket: lines show as redacted, the customer index forgets it, the log still verifies', async () => {
    const mirrorDir = tempDir();
    const { log, transcripts } = open({ mirrorDir });
    await recordConversation(log, { ticket: 5, customer: 'erase@guest.localhost/x' });
    await recordConversation(log, { ticket: 6 });
    const { redacted } = await transcripts.redactTicket(5, 'erasure request #12');
    expect(redacted).toHaveLength(13);
    const lines = await transcripts.forTicket(5);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.redacted && l.body === undefined)).toBe(true);
    expect(await transcripts.search({ limit: 10, customer: 'erase@guest.localhost' })).toEqual([]);
    expect((await transcripts.forTicket(6)).some((l) => l.redacted)).toBe(false);
    await log.flush();
    expect(await verifyLogFiles([mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true, redacted: 13 });
    await expect(transcripts.redactTicket(5, 'again')).resolves.toEqual({ redacted: [] });
  });

  it('bundles a ticket: verifies offline with others elided; one edited byte names the entry', async () => {
    const { log, transcripts } = open();
    await recordConversation(log, { ticket: 1 });
    await recordConversation(log, { ticket: 2, words: 'secret of two' });
    await recordConversation(log, { ticket: 1 + 2 });
    const text = await transcripts.bundle(2);
    expect(text).not.toContain('ticket 1:');
    expect(text).toContain('secret of two');
    const dir = tempDir();
    const file = join(dir, 'ticket-2.bundle.jsonl');
    writeFileSync(file, text);
    const ok = await verifyLogFiles([file], keyPair.publicKeyPem);
    expect(ok).toMatchObject({ ok: true, bundle: { ticket: 2 }, ticketRecords: 13, manifest: 'verified', unsignedTail: 0 });
    expect(ok.elided).toBeGreaterThan(0);
    const line = text.split('\n').find((l) => l.includes('secret of two: operator answer')) as string;
    const seq = (JSON.parse(line) as { seq: number }).seq;
    writeFileSync(file, text.replace('secret of two: operator answer', 'secret of twO: operator answer'));
    expect((await verifyLogFiles([file], keyPair.publicKeyPem)).failure).toMatchObject({
      seq,
      reason: 'content does not match contentHash',
    });
    const other = generateEvidenceKeyPair();
    writeFileSync(file, text);
    expect((await verifyLogFiles([file], other.publicKeyPem)).ok).toBe(false);
  });

  it('trims Redis to the retention, reads older transcripts and bundles from the mirror, and redacts there too', async () => {
    const mirrorDir = tempDir();
    const { log, transcripts } = open({ mirrorDir, redisKeepRecords: 20, mirrorMaxFileBytes: 4096 });
    for (let t = 1; t <= 4; t++) await recordConversation(log, { ticket: t });
    await log.flush();
    const before = await transcripts.forTicket(1, { audience: 'all' });
    const trimmed = await log.trim();
    expect(trimmed.removed).toBeGreaterThan(20);
    expect(await log.store.entry(1)).toBeUndefined();
    expect(await transcripts.forTicket(1, { audience: 'all' })).toEqual(before);
    const dir = tempDir();
    writeFileSync(join(dir, 'b.jsonl'), await transcripts.bundle(1));
    expect(await verifyLogFiles([join(dir, 'b.jsonl')], keyPair.publicKeyPem)).toMatchObject({ ok: true, ticketRecords: 13 });
    await transcripts.redactTicket(1, 'old erasure');
    expect((await transcripts.forTicket(1)).every((l) => l.redacted)).toBe(true);
    await log.flush();
    expect(await verifyLogFiles([mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true, redacted: 13 });
    expect((await log.store.head()).seq).toBeGreaterThan(0);
  });

  it('trims a backlog of more than 8,000 records (Lua unpack limit) in calls of 2,000 and keeps the newest', async () => {
    const mirrorDir = tempDir();
    const { log } = open({ mirrorDir, redisKeepRecords: 100, checkpointEvery: 1000 });
    const appended = await Promise.all(
      Array.from({ length: 9_000 }, (_, i) =>
        log.append({
          kind: 'message',
          ticket: 1 + (i % 50),
          desk: 'support',
          direction: 'customer->operator',
          parties: { customer: 'c@guest.localhost/w', masked: `t${1 + (i % 50)}-abcd@${DOMAIN}`, operator: 'alice@localhost' },
          stanza: `<message type='chat'><body>record ${i}</body></message>`,
        }),
      ),
    );
    await log.flush();
    const head = await log.store.head();
    expect(head.seq).toBeGreaterThan(9_000); // the records and their checkpoints
    const trimmed = await log.trim();
    // Whole batches go (one stream entry each, up to 256 records): the one holding the cut stays.
    expect(trimmed.firstSeq).toBeLessThanOrEqual(head.seq - 99);
    expect(trimmed.firstSeq).toBeGreaterThan(head.seq - 99 - 257);
    expect(trimmed.removed).toBe(trimmed.firstSeq - 1);
    expect(await log.store.firstSeq()).toBe(trimmed.firstSeq);
    expect(await log.store.entry(trimmed.firstSeq - 1)).toBeUndefined();
    expect((await log.store.entry(trimmed.firstSeq))?.seq).toBe(trimmed.firstSeq);
    expect((await log.store.entry(head.seq))?.hash).toBe(head.hash);
    const redis = ev.redis();
    const keys = log.store.keys;
    const entries = await redis.xlen(keys.log);
    expect(entries).toBeLessThan(10); // ~9,000 records were appended in about 36 batches
    expect(await redis.hlen(keys.content)).toBe(entries); // no content left behind for a dropped batch
    // The trimmed records still come from the mirror, unaltered.
    const [first] = await log.records([appended[0]?.seq ?? 0]);
    expect(first?.content.stanza).toBe(`<message type='chat'><body>record 0</body></message>`);
    expect(await verifyLogFiles([mirrorDir], keyPair.publicKeyPem)).toMatchObject({ ok: true });
  });
});
