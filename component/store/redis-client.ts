/**
 * The Redis connection. Commands fail fast while Redis is down (no offline queue), so a
 * stanza gets a `wait` error at once instead of hanging; ioredis reconnects by itself.
 * With `sentinels` (issue 19 §4) ioredis asks them for the primary of `name` on every
 * (re)connection, so after a failover it finds the promoted replica; `duplicate()` (the
 * pub/sub subscribers of route-sync.ts and org-sync.ts) copies these options and follows too.
 */
import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { parseHostPort, type RedisSettings } from '../../config/redis-settings.js';

export type RedisTarget = string | Pick<RedisSettings, 'url' | 'sentinels' | 'name' | 'password' | 'sentinelPassword'>;

/** Sentinel mode retries fast: the promoted primary should be used as soon as the sentinels name it. */
const retryStrategy = (capMs: number) => (times: number) => Math.min(100 * 2 ** Math.min(times, 6), capMs);

export function redisOptions(target: RedisTarget): { url?: string; options: RedisOptions } {
  const base: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true };
  if (typeof target === 'string') return { url: target, options: { ...base, retryStrategy: retryStrategy(5000) } };
  if (!target.sentinels) return { url: target.url, options: { ...base, password: target.password, retryStrategy: retryStrategy(5000) } };
  return {
    options: {
      ...base,
      sentinels: target.sentinels.map(parseHostPort),
      name: target.name,
      password: target.password,
      sentinelPassword: target.sentinelPassword,
      retryStrategy: retryStrategy(500),
      sentinelRetryStrategy: retryStrategy(1000),
      // A connection to a node that was demoted (READONLY) is dropped and the sentinels asked again.
      reconnectOnError: (err) => err.message.startsWith('READONLY'),
      // Not ioredis's `failoverDetector`: its disconnect at +switch-master raced the reconnect to
      // the promoted primary and ended the connection for good (ioredis 5.11, seen in the failover test).
    },
  };
}

export function createRedis(target: RedisTarget, log: Logger): Redis {
  const { url, options } = redisOptions(target);
  const redis = url ? new Redis(url, options) : new Redis(options);
  let down = false;
  redis.on('error', (err) => {
    if (!down) log.warn({ err: err.message }, 'redis unavailable');
    down = true;
  });
  redis.on('connect', () => corkPerTurn((redis as unknown as { stream: Socket }).stream));
  redis.on('ready', () => {
    const sock = (redis as unknown as { stream?: Socket }).stream;
    if (down) log.info({ primary: sock && `${sock.remoteAddress}:${sock.remotePort}` }, 'redis reconnected');
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
