/** Who hears the desk: customers watching its presence (directed presence) and operators subscribed to it. */
import type { StorePartContext } from './store-scripts.js';

export function createAudienceStore({ redis, keys }: StorePartContext) {
  return {
    async addWatcher(desk: string, fullJid: string): Promise<void> {
      await redis.sadd(keys.deskWatchers(desk), fullJid);
    },
    async removeWatcher(desk: string, fullJid: string): Promise<void> {
      await redis.srem(keys.deskWatchers(desk), fullJid);
    },
    async watchers(desk: string): Promise<string[]> {
      return redis.smembers(keys.deskWatchers(desk));
    },
    async addSubscriber(desk: string, bare: string): Promise<void> {
      await redis.sadd(keys.deskSubscribers(desk), bare);
    },
    async removeSubscriber(desk: string, bare: string): Promise<void> {
      await redis.srem(keys.deskSubscribers(desk), bare);
    },
    async subscribers(desk: string): Promise<string[]> {
      return redis.smembers(keys.deskSubscribers(desk));
    },
  };
}
export type AudienceStore = ReturnType<typeof createAudienceStore>;
