/**
 * A real redis-server for integration tests: one per test file, on a free loopback
 * port, data in a throwaway directory, no persistence. Each test isolates itself
 * with its own key prefix (BullMQ's way), so tests in a file share the server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../prosody/ports.js';
import { startRedisServer } from '../../scripts/lib/redis-server.js';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-redis-'));
  const server = await startRedisServer({ port: await freePort(), dataDir, persist: false });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A key prefix no other test uses, e.g. `t1718000000000-3-9f2c1a:`. */
export function freshPrefix(): string {
  counter += 1;
  return `t${Date.now()}-${counter}-${randomBytes(3).toString('hex')}:`;
}
