/**
 * What one instance noticed and the others need (issue 19 §3): a desk's state may have changed
 * (every instance refreshes its status stream; the leader sends the presence) or its line moved
 * (the leader tells the waiting customers their places). Published on `<prefix>desk-changed` as
 * "<instance> <kind> <desk>". Pub/sub loses what is sent while a subscription is down, so the
 * leader re-sends every desk's state when it gains the lease and after it resubscribes.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type DeskSignalKind = 'presence' | 'positions';

export function createDeskSignals(redis: Redis, channel: string, log?: Pick<Logger, 'warn'>) {
  const instance = randomUUID();
  const subscriber = redis.duplicate({ lazyConnect: true, autoResubscribe: false, enableOfflineQueue: true, maxRetriesPerRequest: null });
  let handler: (kind: DeskSignalKind, desk: string) => void = () => undefined;
  let onResubscribed: () => void = () => undefined;
  let stopped = false;
  let failed = false;
  let firstSubscribed: () => void = () => undefined;
  const subscribedOnce = new Promise<void>((resolve) => {
    firstSubscribed = resolve;
  });

  subscriber.on('message', (ch: string, text: string) => {
    const [from, kind, desk] = text.split(' ');
    if (ch !== channel || from === instance || !desk || (kind !== 'presence' && kind !== 'positions')) return;
    handler(kind, desk);
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        if (stopped) return;
        firstSubscribed();
        onResubscribed();
      },
      (err: Error) => log?.warn({ err: err.message }, 'desk changes of other instances not followed: cannot subscribe'),
    );
  });
  subscriber.on('error', (err: Error) => log?.warn({ err: err.message }, 'desk change announcements unavailable'));

  return {
    channel,
    /** Connects in the background; resolves once subscribed the first time. */
    start(): Promise<void> {
      subscriber.connect().catch(() => undefined); // 'error' above reports; ioredis keeps retrying
      return subscribedOnce;
    },
    /** What to do with another instance's signal, and after each (re)subscription. */
    listen(fn: (kind: DeskSignalKind, desk: string) => void, resubscribed: () => void): void {
      handler = fn;
      onResubscribed = resubscribed;
    },
    announce(kind: DeskSignalKind, desk: string): void {
      redis.publish(channel, `${instance} ${kind} ${desk}`).then(
        () => {
          failed = false;
        },
        (err: Error) => {
          if (!failed) log?.warn({ err: err.message }, 'desk change not announced to other instances');
          failed = true;
        },
      );
    },
    stop(): void {
      stopped = true;
      subscriber.disconnect();
    },
  };
}
export type DeskSignals = ReturnType<typeof createDeskSignals>;
