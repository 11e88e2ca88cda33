/**
 * A/B of the evidence log's cost per record, alternating in one process on one redis-server of
 * its own (AOF on, as the bench stack runs it): the current tree's component/evidence against an
 * older tree's (`--old=<dir>`: a checkout of another commit, e.g.
 * `mkdir /tmp/base && git archive <commit> component src config package.json | tar -x -C /tmp/base
 * && ln -s "$PWD/node_modules" /tmp/base/node_modules`). Prints, per round and as medians, this
 * process's CPU per record (the appender's JavaScript) and redis-server's (`INFO cpu`).
 *   npx tsx scripts/bench/evidence-ab.ts --old=/tmp/base [--records=20000] [--rounds=5] [--slice=2000] [--rate=N] [--window=ms] [--mirror] [--driver]
 * `--rate=8000 --slice=8`: open loop (8 records every ms, never awaited) instead of slices
 * awaited in turn; adds the append → in-Redis latency. Without --old it measures the current tree only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { freePort } from '../../prosody/ports.js';
import { startRedisServer } from '../lib/redis-server.js';
import { appendMany, type CreateLog, nullLog, redisCpuSeconds } from './evidence-cost.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const records = Number(arg('records') ?? 20_000);
const rounds = Number(arg('rounds') ?? 5);
const slice = Number(arg('slice') ?? 2_000);
const mirror = process.argv.includes('--mirror');
const rate = arg('rate') ? Number(arg('rate')) : undefined;
const windowMs = arg('window') ? Number(arg('window')) : undefined;
const old = arg('old');

interface Variant {
  name: string;
  createLog: CreateLog;
  keyPair: () => never;
}
async function load(root: string, name: string): Promise<Variant> {
  const url = (p: string) => pathToFileURL(join(resolve(root), p)).href;
  const log = (await import(url('component/evidence/evidence-log.ts'))) as { createEvidenceLog: CreateLog };
  const keys = (await import(url('component/evidence/key-pair.ts'))) as { generateEvidenceKeyPair: () => never };
  return { name, createLog: log.createEvidenceLog, keyPair: keys.generateEvidenceKeyPair };
}

interface Row {
  js: number[];
  redis: number[];
  rate: number[];
  p50: number[];
  p99: number[];
}
/** `--driver`: the same loop with appends that do nothing (the driver's own CPU, to subtract). */
const driverOnly: Variant = { name: 'driver only', createLog: nullLog, keyPair: (() => undefined) as () => never };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const dir = mkdtempSync(join(tmpdir(), 'evidence-ab-'));
const server = await startRedisServer({ port: await freePort(), dataDir: join(dir, 'redis') });
const client = new Redis(server.url);
try {
  const variants = [
    ...(old ? [await load(old, 'old')] : []),
    await load(fileURLToRoot(), 'new'),
    ...(process.argv.includes('--driver') ? [driverOnly] : []),
  ];
  const rows = new Map<string, Row>(variants.map((v) => [v.name, { js: [], redis: [], rate: [], p50: [], p99: [] }]));
  const run = (v: Variant, n: number, r: number) =>
    appendMany({
      redisUrl: server.url,
      redisCpuSeconds: () => redisCpuSeconds(client),
      createLog: v.createLog,
      keyPair: v.keyPair,
      records: n,
      slice,
      ratePerSecond: rate,
      batchWindowMs: windowMs,
      mirrorDir: mirror ? mkdtempSync(join(dir, `mirror-${v.name}-${r}-`)) : undefined,
    });
  for (const v of variants) await run(v, Math.min(records, 5_000), -1); // warm-up (JIT)
  for (let r = 0; r < rounds; r++) {
    for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
      const res = await run(v, records, r);
      const row = rows.get(v.name) as Row;
      row.js.push(res.nodeUsPerRecord);
      row.redis.push(res.redisUsPerRecord);
      row.rate.push(res.recordsPerSecond);
      if (res.appendP50Ms !== undefined) row.p50.push(res.appendP50Ms);
      if (res.appendP99Ms !== undefined) row.p99.push(res.appendP99Ms);
      console.log(
        `round ${r + 1} ${v.name}: JS ${res.nodeUsPerRecord.toFixed(2)} µs/record, Redis ${res.redisUsPerRecord.toFixed(2)} µs/record, ${Math.round(res.recordsPerSecond)} records/s`,
      );
    }
  }
  console.log(
    `\n${records} records × ${rounds} rounds, slices of ${slice}${rate ? ` every ${(1000 * slice) / rate} ms` : ''}, window ${windowMs ?? 0} ms, mirror ${mirror ? 'on' : 'off'}; load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const [name, row] of rows) {
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    console.log(
      `${name}: JS median ${median(row.js).toFixed(2)} µs/record (${range(row.js)}), Redis median ${median(row.redis).toFixed(2)} µs/record (${range(row.redis)}), ${Math.round(median(row.rate))} records/s` +
        (row.p50.length
          ? `, append → in Redis p50 ${median(row.p50).toFixed(2)} ms, p99 ${median(row.p99).toFixed(2)} ms (medians of rounds)`
          : ''),
    );
  }
} finally {
  client.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

function fileURLToRoot(): string {
  return resolve(new URL('../..', import.meta.url).pathname);
}
