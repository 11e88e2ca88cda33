/** Shared setup for the store's integration tests: a real Redis, a fresh prefix per test. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { freshPrefix, startTestRedis, type TestRedis } from '../support/redis.js';
import { pino } from 'pino';
import { connectRedis, createRedis } from '../../component/store/redis-client.js';
import { createDeskStore, type DeskStore } from '../../component/store/desk-store.js';

export const STORE_OPTIONS = { endedRetentionSeconds: 60, defaultAvgHandleMs: 300_000, maxBufferedMessages: 5 };
export const GRACE_MS = 60_000;

export async function openClient(url: string): Promise<Redis> {
  const redis = createRedis(url, pino({ level: 'silent' }));
  await connectRedis(redis);
  return redis;
}

export const storeFor = (redis: Redis, prefix: string): DeskStore => createDeskStore(redis, prefix, STORE_OPTIONS);

/** One redis-server for the file and `count` connections to it (racing writers); returns a getter for them. */
export function useRedisClients(count: number): () => Redis[] {
  let server: TestRedis | undefined;
  let clients: Redis[] = [];
  beforeAll(async () => {
    const started = await startTestRedis();
    server = started;
    clients = await Promise.all(Array.from({ length: count }, () => openClient(started.url)));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    await server?.stop();
  });
  return () => clients;
}

/** Customers c1..cn join the desk, in order; returns their ticket ids. */
export async function enqueueCustomers(store: DeskStore, desk: string, n: number, now = 1000, from = 1): Promise<number[]> {
  const ids: number[] = [];
  for (let i = from; i < from + n; i++) {
    const r = await store.sessions.enqueue({
      desk,
      customer: `c${i}@guest.localhost/web`,
      customerKey: `c${i}@guest.localhost`,
      name: `Customer ${i}`,
      now,
      maskedSuffix: 'abcd',
      firstMessage: '',
    });
    ids.push(r.ticketId);
  }
  return ids;
}

/** One resource of the operator comes online with the given show. */
export async function online(store: DeskStore, jid: string, maxChats: number, show = 'available', resource = 'desk', now = 1000) {
  return store.operators.operatorPresence(jid, resource, show, now, GRACE_MS, maxChats);
}

/**
 * The usual suite setup: one redis-server for the file, one connection, a store with a
 * fresh key prefix for every test. Returns a getter for the current test's store.
 */
export function useFreshStore(): () => DeskStore {
  let server: TestRedis | undefined;
  let redis: Redis | undefined;
  let store: DeskStore | undefined;
  beforeAll(async () => {
    server = await startTestRedis();
    redis = await openClient(server.url);
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });
  beforeEach(() => {
    store = storeFor(redis as Redis, freshPrefix());
  });
  return () => store as DeskStore;
}
