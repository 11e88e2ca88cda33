/**
 * Every instance sharing the Redis follows the organisational settings (issue 16): each change
 * is announced on `<prefix>org:changed` with its revision (lua/org-write-4.lua publishes it in
 * the same script as the write), and this subscription calls `onChange` for each. After every
 * (re)subscription it calls `onChange` too: announcements sent while it was down are lost, so
 * the instance re-reads the settings then (as route-sync.ts starts its cache empty).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export function createOrgSync(redis: Redis, channel: string, onChange: (rev: number) => void, log?: Pick<Logger, 'warn'>) {
  const subscriber = redis.duplicate({ lazyConnect: true, autoResubscribe: false, enableOfflineQueue: true, maxRetriesPerRequest: null });
  let stopped = false;
  subscriber.on('message', (ch: string, rev: string) => {
    if (ch === channel) onChange(Number(rev));
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        if (!stopped) onChange(0); // catch up on what was announced while unsubscribed
      },
      (err: Error) => log?.warn({ err: err.message }, 'settings changes of other instances not followed: cannot subscribe'),
    );
  });
  subscriber.on('error', (err: Error) => log?.warn({ err: err.message }, 'settings change announcements unavailable'));
  return {
    channel,
    start(): void {
      subscriber.connect().catch(() => undefined); // 'error' above reports; ioredis keeps retrying
    },
    stop(): void {
      stopped = true;
      subscriber.disconnect();
    },
  };
}
export type OrgSync = ReturnType<typeof createOrgSync>;
