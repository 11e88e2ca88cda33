/**
 * Slot adoption's decisions (component/xmpp/slots.ts) over a real Redis slot book, with stand-in links
 * (the e2e test runs them against ejabberd): a lone leader adopts every vacant slot, a returning
 * instance waits and is handed the adopted slot back, a non-leader never adopts, a clean stop closes
 * the adopted links.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createKeys } from '../../component/store/keys.js';
import { createSlotBook } from '../../component/store/slot-book.js';
import type { ComponentLink, ComponentLinkOptions } from '../../component/xmpp/connection.js';
import { createSlots } from '../../component/xmpp/slots.js';
import { freshPrefix } from '../support/redis.js';
import { useRedisClients } from './store-fixture.js';

const clients = useRedisClients(1);
const log = pino({ level: 'silent' });

/** A link that is online as soon as started and closed when stopped. */
function fakeLink(hooks: Partial<ComponentLinkOptions>): ComponentLink & { online: boolean } {
  const l = {
    online: false,
    send: () => undefined,
    whenWritten: () => undefined,
    isOnline: () => l.online,
    isStandby: () => false,
    async start() {
      l.online = true;
      hooks.onOnline?.();
    },
    async stop() {
      l.online = false;
      hooks.onClosed?.();
    },
    restart: () => undefined,
  };
  return l;
}

function instances(names: string[]) {
  const keys = createKeys(freshPrefix());
  const redis = clients()[0] as NonNullable<ReturnType<typeof clients>[number]>;
  return names.map((instance) => {
    const opened: ReturnType<typeof fakeLink>[] = [];
    const book = createSlotBook(redis, keys, { slots: 2, instance, lifetimeMs: 60_000, now: Date.now });
    const slots = createSlots({
      book,
      log,
      domain: 'support.localhost',
      route: () => undefined,
      openLink: (hooks) => {
        const l = fakeLink(hooks);
        opened.push(l);
        return l;
      },
      ownLink: () => undefined,
    });
    return { slots, opened };
  });
}
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('slot adoption', () => {
  it('a lone leader adopts the vacant slot; a returning instance waits, gets it handed back, and connects', async () => {
    const [a, b] = instances(['a', 'b']) as [ReturnType<typeof instances>[number], ReturnType<typeof instances>[number]];
    expect(await a.slots.claim()).toBe(true);
    await a.slots.tick(true);
    await settle();
    expect(a.slots.links()).toBe(2);
    expect(a.opened.filter((l) => l.online)).toHaveLength(1);

    expect(await b.slots.claim()).toBe(false); // every slot is held
    await a.slots.tick(true); // a sees b waiting: hands the adopted slot back
    expect(a.slots.links()).toBe(1);
    expect(a.opened.filter((l) => l.online)).toHaveLength(0);
    expect(await b.slots.claim()).toBe(true);
    await a.slots.tick(true); // nothing vacant, nobody waiting: no adoption
    expect(a.slots.links()).toBe(1);
  });

  it('only the leader adopts; a clean stop closes the adopted links', async () => {
    const [a, b] = instances(['a', 'b']) as [ReturnType<typeof instances>[number], ReturnType<typeof instances>[number]];
    await a.slots.claim();
    await a.slots.tick(false);
    expect(a.slots.links()).toBe(1);
    await b.slots.tick(true); // b, the leader, without a link of its own yet: it adopts the free slot
    await settle();
    expect(b.slots.links()).toBe(1);
    expect(b.slots.adopted()).toBe(1);
    await b.slots.stop();
    expect(b.slots.adopted()).toBe(0);
    expect(b.opened.every((l) => !l.online)).toBe(true);
  });
});
