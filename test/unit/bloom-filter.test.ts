import { describe, expect, it } from 'vitest';
import { createBloomFilter } from '../../component/lib/bloom-filter.js';

describe('bloom filter', () => {
  it('never forgets an added value, and rarely claims one it never saw', () => {
    const f = createBloomFilter();
    const ids = Array.from({ length: 10_000 }, (_, i) => `${i.toString(36)}-${(i * 7919).toString(16)}`);
    for (const id of ids) f.add(id);
    expect(ids.every((id) => f.mightHave(id))).toBe(true);
    const strangers = Array.from({ length: 10_000 }, (_, i) => `other-${i}`).filter((id) => f.mightHave(id));
    expect(strangers.length).toBeLessThan(100); // < 1% at 10,000 added (computed: ~0.3%)
    expect(f.added).toBe(10_000);
  });

  it('starts empty, and refuses a size that is not a power of two', () => {
    expect(createBloomFilter(1024).mightHave('x')).toBe(false);
    expect(() => createBloomFilter(1000)).toThrow(/power of two/);
  });
});
