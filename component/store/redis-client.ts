/**
 * The Redis connection. Commands fail fast while Redis is down (no offline queue), so a
 * stanza gets a `wait` error at once instead of hanging; ioredis reconnects by itself.
 */
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

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
  redis.on('connect', () => corkPerTurn((redis as unknown as { stream: Socket }).stream));
  redis.on('ready', () => {
    if (down) log.info('redis reconnected');
    down = false;
  });
  return redis;
}

/**
 * Commands issued in one event-loop turn leave in one socket write, so Redis reads them in one
 * go and answers in one go, and the relays those answers release leave for Prosody together:
 * one write per command made every stage work in small pieces (Prosody did 5.6 syscalls per
 * relayed message against 3.5 behind a relay that writes once per read; BENCHMARKS.md F8).
 * ioredis has no hook for this; its socket is `redis.stream`, replaced on each reconnect.
 */
function corkPerTurn(sock: Socket): void {
  sock.setNoDelay(true);
  const write = sock.write.bind(sock) as (...args: unknown[]) => boolean;
  sock.write = ((...args: unknown[]) => {
    if (!sock.writableCorked) {
      sock.cork();
      setImmediate(() => sock.uncork());
    }
    return write(...args);
  }) as Socket['write'];
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
