/**
 * The slot book (issue 19 §3; docs/architecture.md "Slot adoption"): which share of the server's
 * component slots each instance's links hold, in Redis, so that together they hold all of them.
 * ejabberd 23.01 (`domain_balancing` with `component_number` N) hashes each sender's bare JID over
 * N slots, connected or not, and drops what it hashes to a vacant one; a connection made while no
 * slot is vacant is accepted and gets nothing. So a link connects only with a grant from the
 * book: `claim` for an instance's own link, `adopt` for one more link in a dead peer's slot. An
 * entry lives `lifetimeMs` unless beaten again: a killed instance's links stop counting then.
 */
import type { Redis } from 'ioredis';
import { luaScript, reply, runLua } from '../lib/redis-scripts.js';
import type { Keys } from './keys.js';

const LUA_DIR = new URL('./lua/', import.meta.url);
const bookScript = luaScript(LUA_DIR, 'slot-book-1.lua', {
  namespace: 'madoguchi',
  decode: (r) => {
    const [granted, held, wanting, lapsed] = reply.array(r, 'slot-book').map((v) => reply.number(v, 'slot-book'));
    return { granted: granted === 1, held: held as number, wanting: wanting as number, lapsed: lapsed === 1 };
  },
});

export interface SlotBookOptions {
  /** The server's slots for the domain (ejabberd's `component_number`). */
  slots: number;
  /** This instance's name in the book: the same across its restarts, so a restarted one replaces its old entry. */
  instance: string;
  lifetimeMs: number;
  now: () => number;
}

/** After an operation: granted or not, the links live instances hold, how many other live instances wait for a slot. */
export type SlotState = { granted: boolean; held: number; wanting: number; lapsed: boolean };

export function createSlotBook(redis: Redis, keys: Pick<Keys, 'slotBook' | 'slotCheck'>, opts: SlotBookOptions) {
  const run = (op: 'beat' | 'claim' | 'adopt' | 'leave', links: number, want = false): Promise<SlotState> =>
    runLua(redis, bookScript, [keys.slotBook()], [op, opts.instance, opts.now(), opts.lifetimeMs, opts.slots, links, want ? '1' : '0']);
  return {
    slots: opts.slots,
    instance: opts.instance,
    /** Writes this instance's count of links (and whether it waits for a slot); reads the others'. */
    beat: (links: number, wanting: boolean) => run('beat', links, wanting),
    /** A slot for this instance's own link, if one is free; else it is marked as waiting. */
    claim: (links: number) => run('claim', links),
    /** A slot for one more link, if more are free than live instances wait for. */
    adopt: (links: number) => run('adopt', links),
    /** A clean stop: this instance's links no longer count. */
    leave: () => run('leave', 0),
    /** A slot check's probe reached this link (xmpp/slot-check.ts). */
    async heard(nonce: string, link: string): Promise<void> {
      await redis.multi().hincrby(keys.slotCheck(nonce), link, 1).pexpire(keys.slotCheck(nonce), 60_000).exec();
    },
    /** How many of a check's probes each link heard. */
    async tally(nonce: string): Promise<Map<string, number>> {
      return new Map(Object.entries(await redis.hgetall(keys.slotCheck(nonce))).map(([k, v]) => [k, Number(v)]));
    },
  };
}
export type SlotBook = ReturnType<typeof createSlotBook>;
