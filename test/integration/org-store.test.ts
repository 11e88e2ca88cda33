/**
 * The organisational settings in Redis (store/org-store.ts, lua/org-write-4.lua) against a real
 * redis-server: seed once, compare-and-set per entity and per validated revision, racing writers,
 * and the announcement every instance follows (store/org-sync.ts).
 */
import { describe, expect, it } from 'vitest';
import { createOrgSync } from '../../component/store/org-sync.js';
import { freshPrefix } from '../support/redis.js';
import { storeFor, useRedisClients } from './store-fixture.js';

const clients = useRedisClients(3);
const desk = (name: string) => ({ id: 'support', name });

describe('org store', () => {
  it('seeds once, then compares and sets each entity against its revision', async () => {
    const [a] = clients();
    const store = storeFor(a!, freshPrefix()).org;
    expect(await store.read()).toEqual({ rev: 0, entities: [] });
    expect(await store.write('seed', [{ field: 'desk/support', expectedRev: 0, value: desk('Support') }])).toEqual({ ok: true, rev: 1 });
    expect(await store.write('seed', [{ field: 'desk/support', expectedRev: 0, value: desk('Other') }])).toEqual({
      ok: false,
      reason: 'seeded',
    });

    // "must not exist" (0) on an existing entity, and a stale revision: nothing is written
    expect(await store.write(1, [{ field: 'desk/support', expectedRev: 0, value: desk('X') }])).toEqual({
      ok: false,
      reason: 'stale',
      field: 'desk/support',
      rev: 1,
    });
    expect(await store.write(1, [{ field: 'desk/support', expectedRev: 1, value: desk('Help') }])).toEqual({ ok: true, rev: 2 });
    expect(await store.write(2, [{ field: 'desk/support', expectedRev: 1, value: desk('Late') }])).toMatchObject({
      reason: 'stale',
      rev: 2,
    });
    // validated against revision 1, but the settings are at 2 now: re-read, re-validate, retry
    expect(await store.write(1, [{ field: 'desk/sales', expectedRev: 0, value: { id: 'sales', name: 'Sales' } }])).toEqual({
      ok: false,
      reason: 'moved',
      rev: 2,
    });
    expect(await store.write(2, [{ field: 'desk/sales', expectedRev: 0, value: { id: 'sales', name: 'Sales' } }])).toEqual({
      ok: true,
      rev: 3,
    });
    expect(await store.read()).toEqual({
      rev: 3,
      entities: [
        { field: 'desk/support', rev: 2, order: expect.any(Number), value: desk('Help') },
        { field: 'desk/sales', rev: 3, order: expect.any(Number), value: { id: 'sales', name: 'Sales' } },
      ],
    });
    expect(await store.write(3, [{ field: 'desk/sales', expectedRev: 3, value: null }])).toEqual({ ok: true, rev: 4 });
    expect((await store.read()).entities.map((e) => e.field)).toEqual(['desk/support']);
  });

  it('lets exactly one of two writers racing from the same revision win', async () => {
    const [a, b] = clients();
    const prefix = freshPrefix();
    const [sa, sb] = [storeFor(a!, prefix).org, storeFor(b!, prefix).org];
    await sa.write('seed', [{ field: 'desk/support', expectedRev: 0, value: desk('Support') }]);
    for (let round = 0; round < 20; round++) {
      const { rev, entities } = await sa.read();
      const revOf = (field: string) => entities.find((e) => e.field === field)?.rev ?? 0;
      const results = await Promise.all([
        sa.write(rev, [{ field: 'desk/support', expectedRev: revOf('desk/support'), value: desk(`A${round}`) }]),
        sb.write(rev, [{ field: 'canned/global', expectedRev: revOf('canned/global'), value: { x: `B${round}` } }]),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'moved', rev: rev + 1 });
      // the loser re-reads and retries (what the admin service does); entity revisions follow the winner
      const now = await sb.read();
      for (const e of now.entities) expect(e.rev).toBeLessThanOrEqual(now.rev);
    }
  });

  it('announces every new revision to the instances sharing the Redis', async () => {
    const [a, , c] = clients();
    const prefix = freshPrefix();
    const store = storeFor(a!, prefix).org;
    const seen: number[] = [];
    const sync = createOrgSync(c!, store.channel, (rev) => seen.push(rev));
    sync.start();
    await expect.poll(() => seen).toEqual([0]); // subscribed: catch up once
    await store.write('seed', [{ field: 'desk/support', expectedRev: 0, value: desk('Support') }]);
    await store.write(1, [{ field: 'desk/support', expectedRev: 1, value: desk('Help') }]);
    await store.write(1, [{ field: 'desk/support', expectedRev: 1, value: desk('Refused') }]); // moved: no announcement
    await expect.poll(() => seen).toEqual([0, 1, 2]);
    sync.stop();
  });
});
