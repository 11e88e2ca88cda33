/**
 * The Redis connection. Commands fail fast while Redis is down (no offline queue), so a
 * stanza gets a `wait` error at once instead of hanging; ioredis reconnects by itself.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { defineScripts } from './scripts.js';

export function createRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5000),
    lazyConnect: true,
  });
  let down = false;
  redis.on('error', (err) => {
    if (!down) log.warn({ err: err.message }, 'redis unavailable');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis reconnected');
    down = false;
  });
  defineScripts(redis);
  return redis;
}

/** Waits for the first connection (start-up), retrying until the timeout. */
export async function connectRedis(redis: Redis, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
      await redis.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
