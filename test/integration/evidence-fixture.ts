/**
 * Shared setup of the evidence log's integration tests: one redis-server per file, one
 * connection, temp dirs and logs cleaned up after each test (logs close before their dirs go).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { openClient } from './store-fixture.js';

export function useEvidenceRedis() {
  let server: TestRedis | undefined;
  let redis: Redis | undefined;
  const cleanup: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    server = await startTestRedis();
    redis = await openClient(server.url);
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });
  return {
    redis: () => redis as Redis,
    /** Runs after the current test, last registered first. */
    onCleanup: (f: () => Promise<void> | void) => void cleanup.push(f),
    tempDir(prefix = 'madoguchi-evidence-'): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
