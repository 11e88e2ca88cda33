/**
 * Console sessions (issue 16): a bearer token's hash → the bare JID it was issued to, expiring by
 * Redis TTL. Only the hash is stored, so a Redis dump or replica reveals no usable token.
 */
import type { StorePartContext } from './store-scripts.js';

export function createConsoleSessionStore({ redis, keys }: StorePartContext) {
  return {
    async put(tokenHash: string, jid: string, ttlSeconds: number): Promise<void> {
      await redis.set(keys.consoleSession(tokenHash), jid, 'EX', ttlSeconds);
    },
    /** The JID, or null when unknown or expired. */
    async jidOf(tokenHash: string): Promise<string | null> {
      return redis.get(keys.consoleSession(tokenHash));
    },
    async remove(tokenHash: string): Promise<void> {
      await redis.del(keys.consoleSession(tokenHash));
    },
  };
}
export type ConsoleSessionStore = ReturnType<typeof createConsoleSessionStore>;
