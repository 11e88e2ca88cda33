/**
 * The leader lease (issue 19 §3; docs/architecture.md "Several instances"): of the instances
 * sharing one Redis, the one holding it runs the time-driven work and sends the desks' presence
 * and position updates. It is taken and renewed by lua/hold-lease-2.lua, given up by
 * lua/release-lease-1.lua; a dead holder's lease runs out after `lengthMs` and the next instance
 * to ask takes it with the next fencing token. This instance trusts its lease only until the
 * end it asked for, measured from before it asked, less a margin for clocks and pauses.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { luaScript, reply, runLua } from '../lib/redis-scripts.js';
import type { Keys } from './keys.js';

const LUA_DIR = new URL('./lua/', import.meta.url);
const holdScript = luaScript(LUA_DIR, 'hold-lease-2.lua', {
  namespace: 'madoguchi',
  decode: (r) => {
    const [token, gained] = reply.array(r, 'hold-lease').map((v) => reply.number(v, 'hold-lease'));
    return { token: token as number, gained: gained === 1 };
  },
});
const releaseScript = luaScript(LUA_DIR, 'release-lease-1.lua', {
  namespace: 'madoguchi',
  decode: (r) => reply.number(r, 'release-lease') === 1,
});

export interface LeaseOptions {
  /** How long a lease lasts without renewal: a dead leader's work is taken over after at most this (plus a tick). */
  lengthMs: number;
  now: () => number;
  /** This instance's id in the lease (default: random). */
  instance?: string;
}

export function createLeaderLease(redis: Redis, keys: Pick<Keys, 'leaderLease' | 'leaderEpoch'>, opts: LeaseOptions) {
  const instance = opts.instance ?? randomUUID();
  const margin = Math.min(500, Math.floor(opts.lengthMs / 4));
  let token = 0;
  let validUntil = 0;
  const leads = () => token > 0 && opts.now() < validUntil;

  return {
    instance,
    /** True while this instance holds a lease it may trust. */
    leads,
    /** The fencing token of the lease held (0: none). */
    token: () => (leads() ? token : 0),
    /**
     * Takes the lease if free (or run out), renews it if held. `take`: even from a live holder, for
     * a server that gave this instance the component domain alone (Prosody: the old holder is gone).
     */
    async hold(take = false): Promise<{ leads: boolean; gained: boolean }> {
      const asked = opts.now();
      const r = await runLua(
        redis,
        holdScript,
        [keys.leaderLease(), keys.leaderEpoch()],
        [instance, asked, opts.lengthMs, take ? '1' : '0'],
      );
      if (r.token === 0) {
        token = 0;
        validUntil = 0;
        return { leads: false, gained: false };
      }
      const gained = r.gained || r.token !== token;
      token = r.token;
      validUntil = asked + opts.lengthMs - margin;
      return { leads: true, gained };
    },
    /** Gives the lease up (a clean stop; the link to the server lost: a standby holds none). */
    async release(): Promise<void> {
      if (token === 0) return;
      const held = token;
      token = 0;
      validUntil = 0;
      await runLua(redis, releaseScript, [keys.leaderLease()], [instance, held]);
    },
  };
}
export type LeaderLease = ReturnType<typeof createLeaderLease>;
