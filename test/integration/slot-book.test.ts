/**
 * The slot book (component/store/slot-book.ts, lua/slot-book-1.lua) against a real Redis: the
 * instances' links never claim more than ejabberd's `component_number` slots, a dead instance's
 * links stop counting when its entry runs out, a returning instance waits and has priority over
 * adoption, and a restarted instance (same name) replaces its old entry at once.
 */
import { describe, expect, it } from 'vitest';
import { createKeys } from '../../component/store/keys.js';
import { createSlotBook } from '../../component/store/slot-book.js';
import { freshPrefix } from '../support/redis.js';
import { useRedisClients } from './store-fixture.js';

const clients = useRedisClients(1);
const LIFETIME = 1000;

function books(names: string[]) {
  let now = 10_000;
  const keys = createKeys(freshPrefix());
  const [redis] = clients();
  const made = names.map((instance) =>
    createSlotBook(redis as NonNullable<typeof redis>, keys, { slots: 2, instance, lifetimeMs: LIFETIME, now: () => now }),
  );
  return { made, advance: (ms: number) => void (now += ms) };
}

describe('slot book', () => {
  it('grants own links up to the number of slots; a third instance waits', async () => {
    const {
      made: [a, b, c],
    } = books(['a', 'b', 'c']);
    expect((await a?.claim(0))?.granted).toBe(true);
    expect((await b?.claim(0))?.granted).toBe(true);
    const r = await c?.claim(0);
    expect(r).toEqual({ granted: false, held: 2, wanting: 0, lapsed: true });
    expect((await a?.beat(1, false))?.wanting).toBe(1); // the others see c waiting
  });

  it('a dead instance stops counting when its entry runs out: then the survivor may adopt its slot', async () => {
    const {
      made: [a, b],
      advance,
    } = books(['a', 'b']);
    await a?.claim(0);
    await b?.claim(0);
    expect((await a?.adopt(1))?.granted).toBe(false); // b is alive: no vacant slot
    advance(LIFETIME / 2);
    await a?.beat(1, false);
    advance(LIFETIME / 2 + 1); // b beat no more (killed)
    expect(await a?.adopt(1)).toEqual({ granted: true, held: 2, wanting: 0, lapsed: false });
    expect((await a?.adopt(2))?.granted).toBe(false); // every slot held
  });

  it('a returning instance waits while its slot is adopted, has priority over adoption, and gets the slot once handed back', async () => {
    const {
      made: [a, b],
      advance,
    } = books(['a', 'b']);
    await a?.claim(0);
    advance(LIFETIME + 1);
    await a?.beat(1, false);
    expect((await a?.adopt(1))?.granted).toBe(true); // b's slot was vacant (b never came, or died)
    const waiting = await b?.claim(0);
    expect(waiting?.granted).toBe(false);
    expect((await a?.beat(2, false))?.wanting).toBe(1); // a sees b waiting: it hands the adopted slot back
    await a?.beat(1, false);
    expect((await a?.adopt(1))?.granted).toBe(false); // the free slot is b's, not for adoption
    expect((await b?.claim(0))?.granted).toBe(true);
    expect((await a?.beat(1, false))?.wanting).toBe(0);
  });

  it('a restarted instance (same name) replaces its old entry at once; leave takes it out', async () => {
    const {
      made: [a, b],
    } = books(['a', 'b']);
    await a?.claim(0);
    await b?.claim(0);
    // b was killed and restarted before its entry ran out: its own count (0) is the truth.
    expect((await b?.claim(0))?.granted).toBe(true);
    await b?.leave();
    expect((await a?.adopt(1))?.granted).toBe(true);
  });
});
