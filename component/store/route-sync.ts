/**
 * Keeps the route caches of instances that share one Redis honest (route-cache.ts): after a
 * store call that may change a route, an instance publishes its id on `<prefix>routes:changed`;
 * the others drop their cached routes when it arrives. Caching is on only while this
 * instance's subscription is up: announcements sent while it is down are lost, so it starts
 * empty once it is back.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RouteCache } from './route-cache.js';

export function createRouteSync(redis: Redis, prefix: string, cache: RouteCache, log?: Pick<Logger, 'warn' | 'info'>) {
  const channel = `${prefix}routes:changed`;
  const instance = randomUUID();
  // Subscribed by us on every (re)connection: ioredis's own resubscribe runs after 'ready',
  // and caching must not start before the subscription is confirmed.
  const subscriber = redis.duplicate({ lazyConnect: true, autoResubscribe: false, enableOfflineQueue: true, maxRetriesPerRequest: null });
  let stopped = false;
  let announceFailed = false;
  let firstEnabled: () => void = () => undefined;
  const enabledOnce = new Promise<void>((resolve) => {
    firstEnabled = resolve;
  });

  subscriber.on('message', (ch: string, from: string) => {
    if (ch === channel && from !== instance) cache.invalidate();
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        if (stopped) return;
        cache.setEnabled(true);
        firstEnabled();
      },
      (err: Error) => log?.warn({ err: err.message }, 'route cache off: cannot subscribe to change announcements'),
    );
  });
  subscriber.on('close', () => cache.setEnabled(false));
  subscriber.on('error', (err: Error) => {
    if (cache.isEnabled()) log?.warn({ err: err.message }, 'route cache off: change announcements unavailable');
    cache.setEnabled(false);
  });

  return {
    channel,
    /** Connects in the background (caching starts once subscribed); resolves when it first is. */
    start(): Promise<void> {
      subscriber.connect().catch(() => undefined); // 'error' above reports; ioredis keeps retrying
      return enabledOnce;
    },

    /** After a call that may have changed a route (fire and forget: the caller's work is done). */
    announce(): void {
      redis.publish(channel, instance).then(
        () => {
          if (announceFailed) log?.info('route change announcements sent again');
          announceFailed = false;
        },
        (err: Error) => {
          if (!announceFailed) log?.warn({ err: err.message }, 'route change not announced to other instances');
          announceFailed = true;
        },
      );
    },

    stop(): void {
      stopped = true;
      cache.setEnabled(false);
      subscriber.disconnect();
    },
  };
}
export type RouteSync = ReturnType<typeof createRouteSync>;
