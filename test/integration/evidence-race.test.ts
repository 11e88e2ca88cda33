/**
 * Two writers (two connections, two log instances, two mirrors) racing 500 appends each onto
 * one chain: the compare-and-set script must keep it a single chain of 1000 records (plus
 * checkpoints) that verifies, and each writer's mirror must fill in the other's records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEvidenceLog, type EvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { verifyLogFiles } from '../../component/evidence/verify-files.js';
import type { Entry } from '../../src/evidence/entry.js';
import { freshPrefix, startTestRedis, type TestRedis } from '../support/redis.js';
import { openClient } from './store-fixture.js';

const PER_WRITER = 500;
let server: TestRedis;
let clients: Redis[] = [];
let dir: string;

beforeAll(async () => {
  server = await startTestRedis();
  clients = await Promise.all([openClient(server.url), openClient(server.url)]);
  dir = mkdtempSync(join(tmpdir(), 'madoguchi-evidence-race-'));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('two writers racing 500 appends each build one chain of 1000 records, no fork', async () => {
  const prefix = freshPrefix();
  const keyPair = generateEvidenceKeyPair();
  const logs: EvidenceLog[] = clients.map((redis, w) =>
    createEvidenceLog({
      redis,
      prefix,
      keyPair,
      mirrorDir: join(dir, `mirror-${w}`),
      checkpointEvery: 100,
      checkpointMs: 50,
      maxBatch: 16,
    }),
  );

  // Each writer appends in small bursts with random pauses, so their script calls interleave.
  async function writer(w: number): Promise<Entry[]> {
    const log = logs[w] as EvidenceLog;
    const done: Promise<Entry>[] = [];
    for (let i = 0; i < PER_WRITER; ) {
      const burst = 1 + Math.floor(Math.random() * 8);
      for (let b = 0; b < burst && i < PER_WRITER; b++, i++) {
        done.push(
          log.append({
            kind: 'message',
            ticket: w + 1,
            desk: 'support',
            direction: 'customer->operator',
            stanza: `<message><body>w${w} #${i}</body></message>`,
          }),
        );
      }
      await new Promise((r) => setImmediate(r));
    }
    return Promise.all(done);
  }
  const [a, b] = await Promise.all([writer(0), writer(1)]);
  // Writer 1 redacts one of writer 0's records; writer 0's mirror learns of it by filling the gap.
  const redaction = await (logs[1] as EvidenceLog).redact((a as Entry[])[10]?.seq as number, 'erasure request');
  await (logs[0] as EvidenceLog).append({ kind: 'system', ticket: 1, desk: 'support', stanza: '<message><body>after</body></message>' });
  await Promise.all(logs.map((l) => l.flush()));

  const seqs = [...(a as Entry[]), ...(b as Entry[])].map((e) => e.seq);
  expect(new Set(seqs).size).toBe(2 * PER_WRITER); // no seq given out twice
  const rechains = logs.reduce((n, l) => n + l.stats().rechains, 0);
  expect(rechains).toBeGreaterThan(0); // the writers really did race
  console.info(`evidence race: ${rechains} rechained batches`);

  const all: Entry[] = [];
  for await (const page of (logs[0] as EvidenceLog).store.iterate(1, '+')) all.push(...page);
  const messages = all.filter((e) => e.kind === 'message');
  expect(all[redaction.seq - 1]).toMatchObject({ kind: 'redaction' });
  expect(all[((a as Entry[])[10]?.seq as number) - 1]?.content).toMatchObject({ redacted: true });
  expect(messages).toHaveLength(2 * PER_WRITER);
  all.forEach((e, i) => {
    expect(e.seq).toBe(i + 1);
    if (i > 0) expect(e.prevHash).toBe(all[i - 1]?.hash);
  });
  // Each writer's records keep its own order within the chain.
  for (const w of [0, 1]) {
    const order = messages
      .filter((e) => e.ticket === w + 1 && !e.content.redacted)
      .map((e) => Number(/#(\d+)/.exec(String(e.content.stanza))?.[1]));
    expect(order).toEqual(Array.from({ length: PER_WRITER }, (_, i) => i).filter((i) => w === 1 || i !== 10));
  }

  const exportDir = join(dir, 'export');
  await (logs[0] as EvidenceLog).export({ dir: exportDir });
  const verified = await verifyLogFiles([exportDir], keyPair.publicKeyPem);
  expect(verified).toMatchObject({ ok: true, fromGenesis: true, manifest: 'verified', unsignedTail: 0 });
  expect(verified.records).toBeGreaterThanOrEqual(all.length); // export() may add its own checkpoint

  // Each mirror is one contiguous, verifying stretch from the writer's first record to its last.
  await Promise.all(logs.map((l) => l.close()));
  for (const [w, own] of [a, b].entries()) {
    const mirror = await verifyLogFiles([join(dir, `mirror-${w}`)], keyPair.publicKeyPem);
    expect(mirror.ok).toBe(true);
    const target = (a as Entry[])[10]?.seq as number;
    // The redacted record is in the mirror (and shows the marker) unless the mirror starts after it.
    expect(mirror.redacted).toBe((mirror.firstSeq as number) <= target ? 1 : 0);
    expect(mirror.redacted + mirror.redactionsOutsideRange).toBe(1);
    expect(mirror.firstSeq).toBeLessThanOrEqual(Math.min(...(own as Entry[]).map((e) => e.seq)));
    expect(mirror.lastSeq).toBeGreaterThanOrEqual(Math.max(...(own as Entry[]).map((e) => e.seq)));
  }
});
