/**
 * Phase "evidence": the evidence log alone — component/evidence/evidence-log.ts appending records
 * shaped like a relayed chat message, from the bench process, on the stack's Redis (a fresh key
 * prefix) — with and without its JSONL mirror. The gateway's throughput on 2 saturated cores
 * follows total CPU per message (BENCHMARKS.md F9), and the log is the largest part of it; this
 * measures that part without Prosody, the network or the load's noise, so a change to it shows.
 * Bounded: a fixed record count in slices of 2,000 awaited in turn.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createEvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import type { EvidenceCostRow } from './results.js';
import type { BenchStack } from './stack.js';

const SLICE = 2_000;
const STANZA =
  "<message from='t12-k7q3@support.localhost' to='op3@localhost' type='chat' id='m123'><body>bm:12:123456789:The quick brown fox jumps over the lazy dog 0123456789</body></message>";

async function redisCpuSeconds(stack: BenchStack): Promise<number> {
  return (await stack.redisInfoNumber('cpu', 'used_cpu_user')) + (await stack.redisInfoNumber('cpu', 'used_cpu_sys'));
}

async function appendMany(stack: BenchStack, records: number, mirrorDir: string | undefined): Promise<Omit<EvidenceCostRow, 'variant'>> {
  const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1 });
  const log = createEvidenceLog({
    // config/schema.ts's defaults: a checkpoint every 1,000 records or 5 s, mirror without fsync.
    redis,
    prefix: `bench-evidence-${Date.now()}:`,
    keyPair: generateEvidenceKeyPair(),
    checkpointEvery: 1000,
    checkpointMs: 5000,
    mirrorDir,
    mirrorFsync: false,
  });
  try {
    const redis0 = await redisCpuSeconds(stack);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let done = 0; done < records; done += SLICE) {
      await Promise.all(
        Array.from({ length: Math.min(SLICE, records - done) }, (_, i) => {
          const chat = 1 + ((done + i) % 64);
          return log.append({
            kind: 'message',
            ticket: chat,
            desk: 'support',
            direction: 'customer->operator',
            stanza: STANZA,
            parties: {
              customer: `c${chat}@guest.localhost/widget`,
              masked: `t${chat}-k7q3@support.localhost`,
              operator: `op${chat % 32}@localhost`,
            },
          });
        }),
      );
    }
    await log.flush();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const redisSeconds = (await redisCpuSeconds(stack)) - redis0;
    return {
      records,
      recordsPerSecond: records / seconds,
      nodeUsPerRecord: (cpu.user + cpu.system) / records,
      redisUsPerRecord: (redisSeconds * 1e6) / records,
    };
  } finally {
    await log.close().catch(() => undefined);
    redis.disconnect();
  }
}

export async function measureEvidenceCost(stack: BenchStack, records: number, dir: string): Promise<EvidenceCostRow[]> {
  const mirrorDir = mkdtempSync(join(dir, 'evidence-cost-'));
  try {
    return [
      { variant: 'Redis only (no mirror)', ...(await appendMany(stack, records, undefined)) },
      { variant: 'Redis + JSONL mirror (as the component runs)', ...(await appendMany(stack, records, mirrorDir)) },
    ];
  } finally {
    rmSync(mirrorDir, { recursive: true, force: true });
  }
}
