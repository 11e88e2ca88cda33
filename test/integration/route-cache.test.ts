/**
 * Active chats' routes cached in the component (component/store/route-cache.ts), against a real
 * Redis and two instances sharing it: a route is served from memory only while nothing changed
 * it, here or in the other instance.
 */
import type { Command, Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskStore, type DeskStore } from '../../component/store/desk-store.js';
import { createRouteCache, type RouteCache } from '../../component/store/route-cache.js';
import { createRouteSync, type RouteSync } from '../../component/store/route-sync.js';
import { freshPrefix } from '../support/redis.js';
import { enqueueCustomers, online, STORE_OPTIONS, useRedisClients } from './store-fixture.js';

const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';
const C1 = 'c1@guest.localhost';
const clients = useRedisClients(2);

interface Instance {
  store: DeskStore;
  cache: RouteCache;
  sync: RouteSync;
}
let running: Instance[] = [];

async function instances(): Promise<[Instance, Instance]> {
  const prefix = freshPrefix();
  const made = clients().map((redis) => {
    const cache = createRouteCache();
    const sync = createRouteSync(redis, prefix, cache);
    return { store: createDeskStore(redis, prefix, { ...STORE_OPTIONS, routes: { cache, announce: sync.announce } }), cache, sync };
  });
  await Promise.all(made.map((i) => i.sync.start()));
  running = made;
  return made as [Instance, Instance];
}
afterEach(() => {
  for (const i of running) i.sync.stop();
  running = [];
});

/** Customer c1 chatting with Alice; returns the ticket id and its masked local part. */
async function activeChat(store: DeskStore): Promise<{ id: number; masked: string }> {
  const [id] = (await enqueueCustomers(store, 'support', 1)) as [number];
  await online(store, ALICE, 2);
  await online(store, BOB, 2);
  const r = await store.sessions.assignNext('support', id, ALICE, 2000);
  if (!r.ok) throw new Error('setup: not assigned');
  return { id, masked: r.ticket.masked };
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 2000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The first key of every command (scripts included) the client sends until stop(). */
function keysSentBy(redis: Redis): { keys: string[]; stop: () => void } {
  const keys: string[] = [];
  const original = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Command, ...rest: unknown[]) => {
    const args = command.args.map(String);
    keys.push(command.name === 'evalsha' || command.name === 'eval' ? (args[2] ?? '') : (args[0] ?? ''));
    return (original as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof redis.sendCommand;
  return {
    keys,
    stop: () => {
      redis.sendCommand = original;
    },
  };
}

describe('route cache', () => {
  it("serves an active chat's route from memory once looked up", async () => {
    const [a] = await instances();
    const { masked } = await activeChat(a.store);
    const first = await a.store.sessions.chatByMasked(masked);
    const hits = a.cache.stats().hits;
    const second = await a.store.sessions.chatByMasked(masked);
    expect(second?.ticket.operator).toBe(ALICE);
    expect(second).toEqual(first);
    expect(a.cache.stats().hits).toBe(hits + 1);
    expect(() => {
      (second as { ticket: { operator: string } }).ticket.operator = BOB;
    }).toThrow(TypeError); // shared: frozen
  });

  it('sees its own end of the chat at once', async () => {
    const [a] = await instances();
    const { id, masked } = await activeChat(a.store);
    await a.store.sessions.chatByMasked(masked);
    expect((await a.store.sessions.customerMessage('support', C1, '', true)).state).toBe('active');
    await a.store.sessions.endSession(id, 'support', 'operator-ended', 3000);
    expect((await a.store.sessions.chatByMasked(masked))?.ticket.state).toBe('ended');
    expect((await a.store.sessions.customerMessage('support', C1, '', true)).state).toBe('missing');
  });

  it("sees another instance's transfer once announced, and a lookup sent after it never sees the old operator", async () => {
    const [a, b] = await instances();
    const { id, masked } = await activeChat(a.store);
    expect((await a.store.sessions.chatByMasked(masked))?.ticket.operator).toBe(ALICE);
    expect((await a.store.sessions.customerMessage('support', C1, '', true)).operator).toBe(ALICE);
    const moved = await b.store.operators.transfer(id, ALICE, BOB, 3000);
    expect(moved.ok).toBe(true);
    const started = Date.now();
    const chat = await eventually(
      () => a.store.sessions.chatByMasked(masked),
      (c) => c?.ticket.operator === BOB,
    );
    expect(chat?.ticket.operator).toBe(BOB);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await a.store.sessions.customerMessage('support', C1, '', true)).operator).toBe(BOB);
    // once seen, it stays seen: no stale entry comes back
    for (let i = 0; i < 20; i++) expect((await a.store.sessions.chatByMasked(masked))?.ticket.operator).toBe(BOB);
  });

  it('still drops a resent message (origin-id) while the route is cached, also one seen before it was cached', async () => {
    const [a, b] = await instances();
    const { id } = await activeChat(a.store);
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'oid-0')).state).toBe('active'); // Redis: fills the cache
    const hits = a.cache.stats().hits;
    // until its copy is written, a resend is neither relayed again nor acked
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'oid-0')).state).toBe('in-flight');
    a.store.sessions.relayed('support', C1, id, 'oid-0');
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'oid-0')).state).toBe('duplicate');
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'oid-1')).state).toBe('active');
    a.store.sessions.relayed('support', C1, id, 'oid-1');
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'oid-1')).state).toBe('duplicate');
    expect(a.cache.stats().hits).toBe(hits + 6); // all four answered from memory (and both relayed() updates)
    // what the cache relayed is in Redis too: another instance, asking Redis, drops the resend
    await a.store.redis.ping(); // after the write on that connection
    expect((await b.store.sessions.customerMessage('support', C1, '', true, 'oid-1')).state).toBe('duplicate');
    expect((await b.store.sessions.customerMessage('support', C1, '', true, 'oid-2')).state).toBe('active');
  });

  it("reads a long chat's origin-ids into a filter when it fills the cache: Redis confirms resends only, and still drops them", async () => {
    const [a, b] = await instances();
    const { id } = await activeChat(a.store);
    for (let i = 0; i < 505; i++) {
      expect((await a.store.sessions.customerMessage('support', C1, '', true, `long-${i}`)).state).toBe('active');
      a.store.sessions.relayed('support', C1, id, `long-${i}`);
    }
    a.cache.invalidate(); // the next lookup fills the cache again, now from a ticket with 505 ids
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'long-505')).state).toBe('active');
    a.store.sessions.relayed('support', C1, id, 'long-505');
    await a.store.redis.ping(); // the filter's fill (SSCAN, sent before) and the remember are out
    const filled = a.cache.stats().hits;
    const sent = keysSentBy(clients()[0] as Redis);
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'long-3')).state).toBe('duplicate');
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'long-505')).state).toBe('duplicate');
    const fresh = await a.store.sessions.customerMessage('support', C1, '', true, 'long-506');
    sent.stop();
    expect(a.cache.stats().hits).toBe(filled + 3);
    a.store.sessions.relayed('support', C1, id, 'long-506');
    await a.store.redis.ping();
    expect(fresh).toMatchObject({ state: 'active', operator: ALICE });
    // the route from memory; Redis was asked about the two resends only (the filter's "maybe"), not the new id
    expect(sent.keys).toEqual([a.store.keys.originIds(id), a.store.keys.originIds(id)]);
    // another instance fills its own cache from Redis: an id relayed here is a resend there, and the other
    // way round once this cache is filled again (a route change or a dropped link empties it)
    expect((await b.store.sessions.customerMessage('support', C1, '', true, 'long-507')).state).toBe('active');
    b.store.sessions.relayed('support', C1, id, 'long-507');
    await b.store.redis.ping();
    expect((await b.store.sessions.customerMessage('support', C1, '', true, 'long-506')).state).toBe('duplicate');
    const hits = a.cache.stats().hits;
    expect((await a.store.sessions.customerMessage('support', C1, '', true)).operator).toBe(ALICE); // no origin-id: from memory
    expect(a.cache.stats().hits).toBe(hits + 1);
    a.cache.invalidate();
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'long-507')).state).toBe('duplicate');
  });

  it('answers a chat that grows past 500 origin-ids from memory, asking Redis only about a resend', async () => {
    const [a] = await instances();
    const { id } = await activeChat(a.store);
    for (let i = 0; i < 520; i++) {
      expect((await a.store.sessions.customerMessage('support', C1, '', true, `grow-${i}`)).state).toBe('active');
      a.store.sessions.relayed('support', C1, id, `grow-${i}`);
    }
    await a.store.redis.ping(); // the remembers are out before the count below starts
    const sent = keysSentBy(clients()[0] as Redis);
    const fresh = [];
    for (let i = 520; i < 560; i++) fresh.push((await a.store.sessions.customerMessage('support', C1, '', true, `grow-${i}`)).state);
    const freshKeys = sent.keys.length;
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'grow-3')).state).toBe('duplicate');
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'grow-510')).state).toBe('duplicate');
    sent.stop();
    expect(fresh).toEqual(Array(40).fill('active'));
    expect(freshKeys).toBe(0); // 40 new ids past 500: not one Redis call
    expect(sent.keys).toEqual([`${a.store.keys.originIds(id)}`, `${a.store.keys.originIds(id)}`]); // the resends: Redis confirms
  });

  it("remembers an active chat's origin-id only once relayed: a component killed in between gets the resend relayed, not dropped", async () => {
    const [a, b] = await instances();
    const { id } = await activeChat(a.store);
    for (const cached of [true, false]) {
      const oid = `crash-${cached}`;
      if (!cached) a.cache.invalidate();
      expect((await a.store.sessions.customerMessage('support', C1, '', true, oid)).state).toBe('active');
      // a dies here, before its relay left: the restarted component (b, asking Redis) relays the resend
      expect((await b.store.sessions.customerMessage('support', C1, '', true, oid)).state).toBe('active');
      b.store.sessions.relayed('support', C1, id, oid);
      await b.store.redis.ping();
      expect((await b.store.sessions.customerMessage('support', C1, '', true, oid)).state).toBe('duplicate');
    }
    // while a relays it, a's own resend is in flight (no second relay, no ack), and nothing reached Redis yet
    a.cache.invalidate();
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'flight')).state).toBe('active');
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'flight')).state).toBe('in-flight');
    expect(await a.store.redis.sismember(a.store.keys.originIds(id), 'flight')).toBe(0);
  });

  it("takes a resend looked up before the relayed copy's origin-id reached Redis for a duplicate (no second relay)", async () => {
    const [a] = await instances();
    const { id } = await activeChat(a.store);
    a.cache.invalidate();
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'burst')).state).toBe('active');
    a.cache.invalidate(); // e.g. a route change announced meanwhile: the resend asks Redis
    const resend = a.store.sessions.customerMessage('support', C1, '', true, 'burst'); // its lookup leaves now
    a.store.sessions.relayed('support', C1, id, 'burst'); // the first copy is written before the lookup answers
    expect((await resend).state).toBe('duplicate'); // acked, not relayed: the copy is out
    await a.store.redis.ping();
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'burst')).state).toBe('duplicate');
  });

  it('forgets what it relayed just before its link dropped, so those resends are relayed again', async () => {
    const [a] = await instances();
    const { id } = await activeChat(a.store);
    for (const oid of ['old', 'just-before']) {
      expect((await a.store.sessions.customerMessage('support', C1, '', true, oid)).state).toBe('active');
      a.store.sessions.relayed('support', C1, id, oid);
      if (oid === 'old') await new Promise((r) => setTimeout(r, 250));
    }
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'just-before')).state).toBe('duplicate');
    expect(await a.store.sessions.forgetRecentlyRelayed(200)).toBe(1);
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'just-before')).state).toBe('active');
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'old')).state).toBe('duplicate');
  });

  it("remembers the origin-ids of one write's copies in one Redis call per 16, where another instance finds them", async () => {
    const [a, b] = await instances();
    const { id } = await activeChat(a.store);
    const ids = Array.from({ length: 20 }, (_, i) => `batch-${i}`);
    for (const oid of ids) expect((await a.store.sessions.customerMessage('support', C1, '', true, oid)).state).toBe('active');
    const sent = keysSentBy(clients()[0] as Redis);
    for (const oid of ids) a.store.sessions.relayed('support', C1, id, oid); // as whenWritten calls it: one after another
    await a.store.redis.ping();
    sent.stop();
    expect(sent.keys.filter((k) => k.endsWith(':oids'))).toHaveLength(2); // 16 + 4 (padded)
    for (const oid of ids) expect((await b.store.sessions.customerMessage('support', C1, '', true, oid)).state).toBe('duplicate');
    expect(await a.store.redis.scard(a.store.keys.originIds(id))).toBe(20);
  });

  it('forgets an origin-id relayed in the same tick as the link dropped', async () => {
    const [a] = await instances();
    const { id } = await activeChat(a.store);
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'last')).state).toBe('active');
    a.store.sessions.relayed('support', C1, id, 'last');
    expect(await a.store.sessions.forgetRecentlyRelayed(200)).toBe(1);
    expect((await a.store.sessions.customerMessage('support', C1, '', true, 'last')).state).toBe('active');
  });

  it('keeps nothing while its subscription to the announcements is down', async () => {
    const [a] = await instances();
    const { masked } = await activeChat(a.store);
    a.sync.stop();
    await a.store.sessions.chatByMasked(masked);
    await a.store.sessions.chatByMasked(masked);
    expect(a.cache.stats()).toMatchObject({ hits: 0, size: 0 });
  });
});
