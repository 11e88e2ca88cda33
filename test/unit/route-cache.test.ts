/** The route cache's rules (component/store/route-cache.ts), without Redis. */
import { describe, expect, it } from 'vitest';
import { createRouteCache } from '../../component/store/route-cache.js';

function enabledCache(now = () => 0) {
  const cache = createRouteCache({ now, ttlMs: 1000, maxEntries: 3 });
  cache.setEnabled(true);
  return cache;
}

describe('route cache', () => {
  it('keeps a route looked up in the current generation', () => {
    const cache = enabledCache();
    const since = cache.generation();
    cache.set('m\nt1-abcd', { operator: 'alice@localhost' }, since);
    expect(cache.get('m\nt1-abcd')).toEqual({ operator: 'alice@localhost' });
    expect(cache.get('m\nt2-abcd')).toBeUndefined();
  });

  it('does not keep a lookup that was in flight when a route changed', () => {
    const cache = enabledCache();
    const since = cache.generation();
    cache.invalidate(); // e.g. a transfer was sent while the lookup travelled
    cache.set('m\nt1-abcd', { operator: 'alice@localhost' }, since);
    expect(cache.get('m\nt1-abcd')).toBeUndefined();
  });

  it('forgets every route on a change', () => {
    const cache = enabledCache();
    cache.set('a', 1, cache.generation());
    cache.set('b', 2, cache.generation());
    cache.invalidate();
    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, undefined]);
  });

  it('keeps nothing while disabled (the change announcements are not reaching it)', () => {
    const cache = createRouteCache();
    cache.set('a', 1, cache.generation());
    expect(cache.get('a')).toBeUndefined();
    cache.setEnabled(true);
    cache.set('a', 1, cache.generation());
    cache.setEnabled(false);
    expect(cache.get('a')).toBeUndefined();
    cache.setEnabled(true);
    expect(cache.get('a')).toBeUndefined(); // what was kept before is not trusted again
  });

  it('lets an entry live at most ttlMs and stays within maxEntries', () => {
    let t = 0;
    const cache = enabledCache(() => t);
    cache.set('a', 1, cache.generation());
    t = 1000;
    expect(cache.get('a')).toBe(1);
    t = 1001;
    expect(cache.get('a')).toBeUndefined();
    for (const k of ['w', 'x', 'y', 'z']) cache.set(k, k, cache.generation());
    expect(cache.stats().size).toBeLessThanOrEqual(3);
    expect(cache.get('z')).toBe('z');
  });
});
