/**
 * Phase "evidence": the evidence log alone — component/evidence/evidence-log.ts appending records
 * shaped like a relayed chat message, from the bench process, on the stack's Redis (a fresh key
 * prefix) — with and without its JSONL mirror, in bulk (slices of 2,000: batches of 256) and as
 * a relay hands them over (open loop, 8 records every millisecond: batches of a round trip's worth). The
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
import { EVIDENCE_BATCH_WINDOW_MS } from '../../component/evidence/setup.js';
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
  /** Appends handed over together, awaited before the next slice (unless `ratePerSecond`). */
  slice: number;
  /** Open loop: hand `slice` records over every slice/rate seconds, never waiting (a relay's arrivals). */
  ratePerSecond?: number;
  /** The appender's batching window (component/evidence/setup.ts sets it for the component). */
  batchWindowMs?: number;
  mirrorDir?: string;
}

function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
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
    batchWindowMs: o.batchWindowMs,
  });
  try {
    await log.open();
    const stanza = (n: number) => STANZA.replace('m123', `m${n}`);
    const redis0 = await o.redisCpuSeconds();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const waits: number[] = [];
    const appendOne = (n: number): Promise<unknown> => {
      const chat = 1 + (n % 64);
      const handed = performance.now();
      return log
        .append({
          kind: 'message',
          ticket: chat,
          desk: 'support',
          direction: 'customer->operator',
          stanza: stanza(n),
          parties: {
            customer: `c${chat}@guest.localhost/widget`,
            masked: `t${chat}-k7q3@support.localhost`,
            operator: `op${chat % 32}@localhost`,
          },
        })
        .then(() => {
          if (o.ratePerSecond) waits.push(performance.now() - handed);
        });
    };
    if (o.ratePerSecond) {
      // Open loop, as a relay hands records over: `slice` records every slice/rate seconds, never awaited.
      const pending: Promise<unknown>[] = [];
      const everyMs = (1000 * o.slice) / o.ratePerSecond;
      for (let done = 0; done < o.records; done += o.slice) {
        for (let i = done; i < Math.min(done + o.slice, o.records); i++) pending.push(appendOne(i));
        const due = t0 + ((done + o.slice) / o.slice) * everyMs;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      }
      await Promise.all(pending);
    } else {
      for (let done = 0; done < o.records; done += o.slice)
        await Promise.all(Array.from({ length: Math.min(o.slice, o.records - done) }, (_, i) => appendOne(done + i)));
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
      ...(waits.length ? { appendP50Ms: quantile(waits, 0.5), appendP99Ms: quantile(waits, 0.99) } : {}),
    };
  } finally {
    await log.close().catch(() => undefined);
    redis.disconnect();
  }
}

/** A log whose appends do nothing: the driver's own CPU per record. */
export const nullLog = (() => ({
  open: async () => ({ recovered: 0 }),
  append: async () => undefined,
  flush: async () => undefined,
  close: async () => undefined,
})) as unknown as CreateLog;

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
  /** A relay's arrivals: 8 records every ms, never awaited, with the component's window; the driver's own CPU (timers) subtracted. */
  const openLoop = async (): Promise<EvidenceCostRow> => {
    const run = { ...base, records: Math.ceil(records / 3), slice: 8, ratePerSecond: 8_000, batchWindowMs: EVIDENCE_BATCH_WINDOW_MS };
    const driver = await appendMany({ ...run, createLog: nullLog });
    const row = await appendMany({ ...run, mirrorDir: `${mirrorDir}-16` });
    return {
      variant: `Redis + JSONL mirror, open loop at 8,000 records/s (8 every ms: a relay's arrivals), ${EVIDENCE_BATCH_WINDOW_MS} ms window as the component runs; the driver's own ${driver.nodeUsPerRecord.toFixed(1)} µs/record subtracted`,
      ...row,
      nodeUsPerRecord: row.nodeUsPerRecord - driver.nodeUsPerRecord,
    };
  };
  try {
    await appendMany({ ...base, records: Math.min(records, 5_000), slice: 2_000 }); // warm-up (JIT), not reported
    return [
      { variant: 'Redis only (no mirror), bulk', ...(await appendMany({ ...base, slice: 2_000 })) },
      { variant: 'Redis + JSONL mirror (as the component runs), bulk', ...(await appendMany({ ...base, slice: 2_000, mirrorDir })) },
      await openLoop(),
    ];
  } finally {
    rmSync(mirrorDir, { recursive: true, force: true });
    rmSync(`${mirrorDir}-16`, { recursive: true, force: true });
  }
}
