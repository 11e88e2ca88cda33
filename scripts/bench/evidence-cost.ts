/**
 * Phase "evidence": the evidence log alone — component/evidence/evidence-log.ts appending records
 * shaped like a relayed chat message, from the bench process, on the stack's Redis (a fresh key
 * prefix) — with and without its JSONL mirror, in bulk (slices of 2,000: batches of 256) and as
 * a relay at moderate load hands them over (slices of 16 awaited in turn: batches of ~16). The
 * gateway's throughput on 2 saturated cores follows total CPU per message (BENCHMARKS.md F9),
 * and the log is a large part of it; this measures that part without Prosody, the network or
 * the load's noise, so a change to it shows. Reported per record: this process's CPU (the
 * appender's JavaScript, process.cpuUsage) and redis-server's (`INFO cpu` user+sys delta).
 * Bounded: a fixed record count per variant.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createEvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import type { EvidenceCostRow } from './results.js';
import type { BenchStack } from './stack.js';

const STANZA =
  "<message from='t12-k7q3@support.localhost' to='op3@localhost' type='chat' id='m123'><body>bm:12:123456789:The quick brown fox jumps over the lazy dog 0123456789</body></message>";

/** What a variant needs of the log's module (the current one, or an older tree's in evidence-ab.ts). */
export type CreateLog = typeof createEvidenceLog;
type KeyPairFn = typeof generateEvidenceKeyPair;

export interface AppendRun {
  redisUrl: string;
  /** redis-server's CPU seconds so far (user + sys). */
  redisCpuSeconds: () => Promise<number>;
  createLog: CreateLog;
  keyPair: KeyPairFn;
  records: number;
  /** Appends handed over together, awaited before the next slice. */
  slice: number;
  mirrorDir?: string;
}

export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

export async function appendMany(o: AppendRun): Promise<Omit<EvidenceCostRow, 'variant'>> {
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 1 });
  const log = o.createLog({
    // config/schema.ts's defaults: a checkpoint every 1,000 records or 5 s, mirror without fsync.
    redis,
    prefix: `bench-evidence-${Date.now()}-${Math.random().toString(36).slice(2, 8)}:`,
    keyPair: o.keyPair(),
    checkpointEvery: 1000,
    checkpointMs: 5000,
    mirrorDir: o.mirrorDir,
    mirrorFsync: false,
  });
  try {
    await log.open();
    const stanza = (n: number) => STANZA.replace('m123', `m${n}`);
    const redis0 = await o.redisCpuSeconds();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let done = 0; done < o.records; done += o.slice) {
      await Promise.all(
        Array.from({ length: Math.min(o.slice, o.records - done) }, (_, i) => {
          const chat = 1 + ((done + i) % 64);
          return log.append({
            kind: 'message',
            ticket: chat,
            desk: 'support',
            direction: 'customer->operator',
            stanza: stanza(done + i),
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
    const redisSeconds = (await o.redisCpuSeconds()) - redis0;
    return {
      records: o.records,
      recordsPerSecond: o.records / seconds,
      nodeUsPerRecord: (cpu.user + cpu.system) / o.records,
      redisUsPerRecord: (redisSeconds * 1e6) / o.records,
    };
  } finally {
    await log.close().catch(() => undefined);
    redis.disconnect();
  }
}

export async function measureEvidenceCost(stack: BenchStack, records: number, dir: string): Promise<EvidenceCostRow[]> {
  const mirrorDir = mkdtempSync(join(dir, 'evidence-cost-'));
  const base = {
    redisUrl: stack.redisUrl,
    redisCpuSeconds: async () =>
      (await stack.redisInfoNumber('cpu', 'used_cpu_user')) + (await stack.redisInfoNumber('cpu', 'used_cpu_sys')),
    createLog: createEvidenceLog,
    keyPair: generateEvidenceKeyPair,
    records,
  };
  mkdirSync(`${mirrorDir}-16`);
  try {
    await appendMany({ ...base, records: Math.min(records, 5_000), slice: 2_000 }); // warm-up (JIT), not reported
    return [
      { variant: 'Redis only (no mirror), bulk', ...(await appendMany({ ...base, slice: 2_000 })) },
      { variant: 'Redis + JSONL mirror (as the component runs), bulk', ...(await appendMany({ ...base, slice: 2_000, mirrorDir })) },
      {
        variant: 'Redis + JSONL mirror, 16 at a time (a relay at moderate load)',
        ...(await appendMany({ ...base, records: Math.ceil(records / 4), slice: 16, mirrorDir: `${mirrorDir}-16` })),
      },
    ];
  } finally {
    rmSync(mirrorDir, { recursive: true, force: true });
    rmSync(`${mirrorDir}-16`, { recursive: true, force: true });
  }
}
