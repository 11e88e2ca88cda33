/** A redis-server of our own, on loopback, with its data in a directory we choose. */
import { mkdirSync } from 'node:fs';
import { startProcess, type Managed } from './process.js';
import { waitForPort } from './ports.js';

export interface RedisServer {
  url: string;
  port: number;
  process: Managed;
  stop(): Promise<void>;
}

export async function startRedisServer(opts: { port: number; dataDir: string; echo?: boolean; persist?: boolean; detached?: boolean }): Promise<RedisServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    '--port', String(opts.port), '--bind', '127.0.0.1', '--dir', opts.dataDir, '--save', '',
    '--appendonly', opts.persist === false ? 'no' : 'yes', '--protected-mode', 'yes', '--daemonize', 'no',
  ];
  const proc = startProcess('redis', 'redis-server', args, { echo: opts.echo, detached: opts.detached });
  await Promise.race([
    waitForPort(opts.port),
    proc.exited.then((code) => { throw new Error(`redis-server exited with ${code} before listening on ${opts.port}`); }),
  ]);
  return { url: `redis://127.0.0.1:${opts.port}`, port: opts.port, process: proc, stop: () => proc.stop() };
}
