/** A redis-server of our own, on loopback, with its data in a directory we choose. */
import { mkdirSync } from 'node:fs';
import { startProcess, type Managed } from '../../prosody/process.js';
import { waitForPort } from '../../prosody/ports.js';

export interface RedisServer {
  url: string;
  port: number;
  process: Managed;
  stop(): Promise<void>;
}

export async function startRedisServer(opts: {
  port: number;
  dataDir: string;
  echo?: boolean;
  persist?: boolean;
  detached?: boolean;
  /** More redis-server options, e.g. `['--replicaof', '127.0.0.1', '6379']` (a replica, issue 19). */
  extraArgs?: string[];
}): Promise<RedisServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    '--port',
    String(opts.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    opts.dataDir,
    '--save',
    '',
    '--appendonly',
    opts.persist === false ? 'no' : 'yes',
    '--protected-mode',
    'yes',
    '--daemonize',
    'no',
    // Rewrite the AOF when it has grown to 5× its last rewrite, not 2× (Redis's default): the
    // evidence log adds ~1 KB of AOF per relayed message, and each rewrite's child takes a core
    // for a while, which on a 2-core machine shared with Prosody was the relay's latency tail
    // (p99 200-870 ms in windows with a rewrite; BENCHMARKS.md F10). Costs disk: up to ~5× the data.
    '--auto-aof-rewrite-percentage',
    '400',
    ...(opts.extraArgs ?? []),
  ];
  const proc = startProcess('redis', 'redis-server', args, { echo: opts.echo, detached: opts.detached });
  await Promise.race([
    waitForPort(opts.port),
    proc.exited.then((code) => {
      throw new Error(`redis-server exited with ${code} before listening on ${opts.port}`);
    }),
  ]);
  return { url: `redis://127.0.0.1:${opts.port}`, port: opts.port, process: proc, stop: () => proc.stop() };
}
