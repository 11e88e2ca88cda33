/**
 * WAIT-based durability (component/store/durability.ts) against a real redis-server: with a
 * replica it confirms; without one, a WAIT times out once and later calls do not block the
 * connection again (each would hold every command for the whole timeout) until ROLE shows one.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDurability } from '../../component/store/durability.js';
import { connectRedis, createRedis } from '../../component/store/redis-client.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

describe('durability (WAIT)', () => {
  let server: TestRedis;
  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(async () => server?.stop());

  it('is off with 0 replicas: no WAIT is sent', async () => {
    const redis = createRedis(server.url, pino({ level: 'silent' }));
    await connectRedis(redis);
    const d = createDurability(redis, { replicas: 0, timeoutMs: 200 }, pino({ level: 'silent' }));
    expect(await d.sync()).toBe(true);
    expect(d.stats().waits).toBe(0);
    redis.disconnect();
  });

  it('without a replica: one WAIT times out, then commands are not held up by more WAITs', async () => {
    const redis = createRedis(server.url, pino({ level: 'silent' }));
    await connectRedis(redis);
    const d = createDurability(redis, { replicas: 1, timeoutMs: 300 }, pino({ level: 'silent' }));
    const t0 = Date.now();
    // Five turns ask in a row, each after a write of its own, as the durable sink's batches do.
    const results: Promise<boolean>[] = [];
    for (let i = 0; i < 5; i++) {
      void redis.set(`k${i}`, 'v');
      results.push(d.sync());
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(results)).toEqual([false, false, false, false, false]);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290); // the first waited for its timeout
    expect(took).toBeLessThan(900); // and the others did not wait 300 ms each in turn (1.5 s)
    const t1 = Date.now();
    await redis.ping();
    expect(Date.now() - t1).toBeLessThan(100);
    expect(d.stats()).toMatchObject({ waits: 1, short: 1 }); // the others shared the one after it, skipped without a replica
    redis.disconnect();
  });
});
