/**
 * Config `redis` (issue 19 §4): one Redis by URL, or a primary found through Redis Sentinel
 * (`sentinels` + `name`, ioredis's Sentinel mode). Passwords come from the environment only
 * (REDIS_PASSWORD, REDIS_SENTINEL_PASSWORD; config/load.ts), like the other secrets.
 * `waitReplicas`/`waitTimeoutMs`: WAIT-based durability of state transitions (README "Redis failover").
 */
import { z } from 'zod';

/** `host:port`, IPv6 in brackets (`[::1]:26379`). */
const hostPort = /^(\[[0-9a-f:.]+\]|[^\s:[\]]+):(\d{1,5})$/i;

export const redisSettings = z
  .strictObject({
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'expected redis://host:port')
      .optional(),
    prefix: z.string().min(1).default('mdg:'),
    /** Sentinels to ask for the current primary of `name` (each `host:port`). */
    sentinels: z
      .array(z.string().regex(hostPort, 'expected host:port, e.g. 10.0.0.5:26379'))
      .min(1, 'list at least one sentinel')
      .optional(),
    /** The primary's name as the sentinels monitor it (`sentinel monitor <name> …`). */
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'expected the master name of `sentinel monitor`, e.g. madoguchi')
      .optional(),
    /** Environment only (REDIS_PASSWORD): the data nodes' password (`requirepass`). */
    password: z.string().min(1).optional(),
    /** Environment only (REDIS_SENTINEL_PASSWORD): the sentinels' own password, when they have one. */
    sentinelPassword: z.string().min(1).optional(),
    /** Replicas that must have a transition's writes before the stanza that depends on it leaves (WAIT). Default: 1 with sentinels, else 0 (off). */
    waitReplicas: z.number().int().min(0).max(16).optional(),
    /** How long one WAIT may take before the stanzas leave anyway (logged and counted). */
    waitTimeoutMs: z.number().int().min(1).max(60_000).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.sentinels) {
      if (r.url !== undefined)
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'with redis.sentinels, leave out url: the sentinels name the primary' });
      if (r.name === undefined)
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'redis.sentinels needs the master name (redis.name)' });
    } else {
      if (r.url === undefined)
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'expected redis://host:port, or redis.sentinels and redis.name' });
      if (r.name !== undefined)
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'redis.name is the Sentinel master name: give redis.sentinels too' });
    }
  });
export type RedisSettings = z.infer<typeof redisSettings>;

export const DEFAULT_WAIT_TIMEOUT_MS = 500;

/** WAIT-based durability as configured: `replicas` 0 means off. */
export function redisDurability(r: Pick<RedisSettings, 'sentinels' | 'waitReplicas' | 'waitTimeoutMs'>): {
  replicas: number;
  timeoutMs: number;
} {
  return { replicas: r.waitReplicas ?? (r.sentinels ? 1 : 0), timeoutMs: r.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS };
}

/** `host:port` → ioredis's sentinel address. */
export function parseHostPort(s: string): { host: string; port: number } {
  const m = hostPort.exec(s);
  if (!m) throw new Error(`expected host:port, got ${s}`);
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
