/**
 * Redis replication with Sentinel for the failover test (issue 19 §4): beside a primary that is
 * already running, a replica (`--replicaof`) and one sentinel (`redis-server --sentinel`, what
 * Debian's redis-sentinel runs) on free loopback ports, in the given throwaway dir. One sentinel
 * with quorum 1 is the smallest setup that fails over (production runs three, on three hosts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePorts, waitForPort } from '../../prosody/ports.js';
import { startProcess, type Managed } from '../../prosody/process.js';
import { startRedisServer, type RedisServer } from '../../scripts/lib/redis-server.js';

export const MASTER_NAME = 'madoguchi';

export interface SentinelSetup {
  sentinel: string;
  replicaPort: number;
  /**
   * From now on the replication stream stops reaching the replica (held back, as on a slow
   * network; the replica's acks still reach the primary): writes exist on the primary only.
   */
  stallReplication(): void;
  /** The port of the node the sentinel names as primary now. */
  primaryPort(): Promise<number>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

export async function startSentinelSetup(o: {
  primaryPort: number;
  dir: string;
  downAfterMs: number;
  failoverTimeoutMs: number;
}): Promise<SentinelSetup> {
  const [replicaPort, sentinelPort, linkPort] = (await freePorts(3)) as [number, number, number];
  const link = await startLink(linkPort, o.primaryPort);
  const replica: RedisServer = await startRedisServer({
    port: replicaPort,
    dataDir: join(o.dir, 'redis-replica'),
    extraArgs: ['--replicaof', '127.0.0.1', String(linkPort)],
  });
  const replicaClient = new Redis(replicaPort, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await until(
    async () => ((await replicaClient.info('replication')).includes('master_link_status:up') ? true : undefined),
    'replica in sync',
  );
  replicaClient.disconnect();

  // The sentinel rewrites its config file: it gets one of its own in the throwaway dir.
  const sdir = join(o.dir, 'sentinel');
  mkdirSync(sdir, { recursive: true });
  const conf = join(sdir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `dir ${sdir}`,
      `logfile ${join(sdir, 'sentinel.log')}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${o.primaryPort} 1`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${o.downAfterMs}`,
      `sentinel failover-timeout ${MASTER_NAME} ${o.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
      '',
    ].join('\n'),
  );
  const sentinel: Managed = startProcess('sentinel', 'redis-server', [conf, '--sentinel'], {});
  await waitForPort(sentinelPort);
  const ask = new Redis(sentinelPort, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  // The sentinel learns the replica from the primary's INFO: fail over only once it knows one.
  await until(async () => {
    const replicas = (await ask.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
    return replicas.some((r) => r.includes(String(replicaPort))) ? true : undefined;
  }, 'sentinel knows the replica');

  return {
    sentinel: `127.0.0.1:${sentinelPort}`,
    replicaPort,
    stallReplication: () => link.stall(),
    async primaryPort() {
      const [, port] = (await ask.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
      return Number(port);
    },
    async stop() {
      ask.disconnect();
      await sentinel.stop();
      await replica.stop();
      link.close();
    },
  };
}

/** The replica's link to the primary, through this process: a TCP relay that can stop the primary's side. */
async function startLink(port: number, primaryPort: number): Promise<{ stall(): void; close(): void }> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((replica) => {
    const primary = createConnection(primaryPort, '127.0.0.1');
    for (const s of [replica, primary]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        replica.destroy();
        primary.destroy();
      });
    }
    replica.on('data', (d) => primary.write(d));
    primary.on('data', (d) => {
      if (!stalled) replica.write(d); // stalled: dropped, as if still on the wire when the primary died
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    stall: () => {
      stalled = true;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
