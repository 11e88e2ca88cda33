/** Config `redis` in Sentinel mode (issue 19 §4): fields checked by name, passwords from the environment only. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../config/load.js';
import { parseHostPort, redisDurability } from '../../config/redis-settings.js';
import { redisOptions } from '../../component/store/redis-client.js';

const base = (redis: Record<string, unknown>) => ({
  component: { service: 'xmpp://127.0.0.1:5347', domain: 'support.localhost', secret: 's3cret' },
  redis,
  desks: [{ id: 'support', name: 'Support' }],
  operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'] }],
});
const errorOf = (redis: Record<string, unknown>): string => {
  try {
    parseConfig(base(redis));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};
const dir = mkdtempSync(join(tmpdir(), 'madoguchi-redis-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fileWith = (redis: Record<string, unknown>) => {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, stringify(base(redis)));
  return path;
};

describe('redis config', () => {
  it('takes sentinels and a master name, and WAITs for one replica by default then', () => {
    const cfg = parseConfig(base({ sentinels: ['10.0.0.5:26379', '[::1]:26380'], name: 'madoguchi' }));
    expect(cfg.redis).toMatchObject({ sentinels: ['10.0.0.5:26379', '[::1]:26380'], name: 'madoguchi', prefix: 'mdg:' });
    expect(redisDurability(cfg.redis)).toEqual({ replicas: 1, timeoutMs: 500 });
    expect(redisDurability(parseConfig(base({ url: 'redis://x:1' })).redis)).toEqual({ replicas: 0, timeoutMs: 500 });
    expect(redisDurability(parseConfig(base({ url: 'redis://x:1', waitReplicas: 2, waitTimeoutMs: 100 })).redis)).toEqual({
      replicas: 2,
      timeoutMs: 100,
    });
    expect(parseHostPort('[::1]:26380')).toEqual({ host: '::1', port: 26380 });
  });

  it('names the field that is wrong', () => {
    expect(errorOf({ sentinels: ['10.0.0.5'], name: 'm' })).toContain('redis.sentinels.0: expected host:port, e.g. 10.0.0.5:26379');
    expect(errorOf({ sentinels: ['a:1'] })).toContain('redis.name: redis.sentinels needs the master name (redis.name)');
    expect(errorOf({ sentinels: ['a:1'], name: 'm', url: 'redis://a:1' })).toContain('redis.url: with redis.sentinels, leave out url');
    expect(errorOf({})).toContain('redis.url: expected redis://host:port, or redis.sentinels and redis.name');
    expect(errorOf({ url: 'redis://a:1', name: 'm' })).toContain('redis.name: redis.name is the Sentinel master name');
    expect(errorOf({ url: 'redis://a:1', waitReplicas: -1 })).toMatch(/redis\.waitReplicas: /);
    expect(errorOf({ sentinels: [], name: 'm' })).toContain('redis.sentinels: list at least one sentinel');
  });

  it('reads the passwords from the environment only', () => {
    expect(() => loadConfig({ MADOGUCHI_CONFIG: fileWith({ url: 'redis://a:1', password: 'p' }) })).toThrow(
      'redis.password: set REDIS_PASSWORD in the environment, not in the config file',
    );
    expect(() => loadConfig({ MADOGUCHI_CONFIG: fileWith({ url: 'redis://a:1', sentinelPassword: 'p' }) })).toThrow(
      /REDIS_SENTINEL_PASSWORD/,
    );
    const cfg = loadConfig({
      MADOGUCHI_CONFIG: fileWith({ url: 'redis://a:1' }),
      REDIS_SENTINELS: '10.0.0.5:26379, 10.0.0.6:26379',
      REDIS_NAME: 'madoguchi',
      REDIS_PASSWORD: 'data-secret',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    });
    expect(cfg.redis.url).toBeUndefined(); // the sentinels name the primary
    expect(cfg.redis).toMatchObject({ sentinels: ['10.0.0.5:26379', '10.0.0.6:26379'], name: 'madoguchi', password: 'data-secret' });
    const { url, options } = redisOptions(cfg.redis);
    expect(url).toBeUndefined();
    expect(options).toMatchObject({
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: '10.0.0.6', port: 26379 },
      ],
      name: 'madoguchi',
      password: 'data-secret',
      sentinelPassword: 'sentinel-secret',
      enableOfflineQueue: false,
    });
  });
});
