/** Who hears the desk and what is known about customers: watchers, subscribers, blacklist, notes, monitors, statistics. */
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** Who blacklisted, why, in which ticket and at which desk (absent in records from before desks were kept). */
export interface BanRecord { by: string; reason: string; at: number; ticket: number; desk?: string }

export function createAudienceStore(redis: Redis, keys: Keys) {
  return {
    async ban(customerBare: string, record: BanRecord) {
      await redis.hset(keys.blacklist(), customerBare, JSON.stringify(record));
    },
    async banRecord(customerBare: string): Promise<BanRecord | undefined> {
      const raw = await redis.hget(keys.blacklist(), customerBare);
      return raw === null ? undefined : (JSON.parse(raw) as BanRecord);
    },
    async unban(customerBare: string): Promise<boolean> {
      return (await redis.hdel(keys.blacklist(), customerBare)) === 1;
    },
    /** Which of these addresses (bare JIDs) are blacklisted. */
    async bannedAmong(bares: readonly string[]): Promise<Set<string>> {
      if (bares.length === 0) return new Set();
      const flags = await redis.hmget(keys.blacklist(), ...bares);
      return new Set(bares.filter((_, i) => flags[i] !== null));
    },

    async addNote(customerBare: string, note: string) {
      await redis.rpush(keys.customerNotes(customerBare), note);
    },
    async notes(customerBare: string): Promise<string[]> {
      return redis.lrange(keys.customerNotes(customerBare), 0, -1);
    },

    /** Daily counters (statistics, not invariants: a plain pipeline is enough). */
    async countStats(scopes: readonly string[], day: string, fields: Record<string, number>) {
      const pipe = redis.pipeline();
      for (const scope of scopes) {
        for (const [f, v] of Object.entries(fields)) pipe.hincrby(keys.dailyStats(scope, day), f, v);
        pipe.expire(keys.dailyStats(scope, day), 90 * 24 * 3600);
      }
      await pipe.exec();
    },
    async stats(scope: string, day: string): Promise<Record<string, number>> {
      const h = await redis.hgetall(keys.dailyStats(scope, day));
      return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
    },

    async toggleMonitor(ticketId: number, supervisor: string): Promise<boolean> {
      const key = keys.monitors(ticketId);
      if ((await redis.srem(key, supervisor)) === 1) return false;
      await redis.sadd(key, supervisor);
      return true;
    },

    async addWatcher(desk: string, fullJid: string) {
      await redis.sadd(keys.deskWatchers(desk), fullJid);
    },
    async removeWatcher(desk: string, fullJid: string) {
      await redis.srem(keys.deskWatchers(desk), fullJid);
    },
    async watchers(desk: string): Promise<string[]> {
      return redis.smembers(keys.deskWatchers(desk));
    },
    async addSubscriber(desk: string, bare: string) {
      await redis.sadd(keys.deskSubscribers(desk), bare);
    },
    async removeSubscriber(desk: string, bare: string) {
      await redis.srem(keys.deskSubscribers(desk), bare);
    },
    async subscribers(desk: string): Promise<string[]> {
      return redis.smembers(keys.deskSubscribers(desk));
    },
  };
}
