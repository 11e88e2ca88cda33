/**
 * Reads the YAML config, applies environment overrides, validates.
 * Environment: MADOGUCHI_CONFIG (file), COMPONENT_SERVICE, COMPONENT_DOMAIN,
 * COMPONENT_SECRET, REDIS_URL, REDIS_PREFIX, REDIS_SENTINELS, REDIS_NAME, REDIS_PASSWORD, REDIS_SENTINEL_PASSWORD, HTTP_HOST, HTTP_PORT, WIDGET_WEBSOCKET_URL, GUEST_DOMAIN,
 * EVIDENCE_DATA_DIR, EVIDENCE_KEY_PATH, COMPONENT_SLOTS, ADMIN_TOKEN, MADOGUCHI_ADMIN, SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_FROM, SMTP_USER, SMTP_PASSWORD; MADOGUCHI_DATA_DIR (the data dir of `npm start`): the evidence files go to
 * EVIDENCE_DATA_DIR, IDENTITY_SECRET, ADMIN_TOKEN, MADOGUCHI_ADMIN, SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_FROM, SMTP_USER, SMTP_PASSWORD; MADOGUCHI_DATA_DIR (the data dir of `npm start`): the evidence files go to
 * <it>/evidence unless EVIDENCE_DATA_DIR or the file's evidence.dataDir says where.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL('./default.yaml', import.meta.url));

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Raw = Record<string, Record<string, unknown> | unknown>;

function section(raw: Raw, key: string): Record<string, unknown> {
  const value = raw[key];
  if (value === undefined || value === null) return (raw[key] = {}) as Record<string, unknown>;
  return value as Record<string, unknown>;
}

function applyEnv(raw: Raw, env: NodeJS.ProcessEnv): void {
  const set = (sec: string, field: string, value: string | undefined, asNumber = false) => {
    if (value === undefined || value === '') return;
    section(raw, sec)[field] = asNumber ? Number(value) : value;
  };
  set('component', 'service', env.COMPONENT_SERVICE);
  set('component', 'domain', env.COMPONENT_DOMAIN);
  set('component', 'secret', env.COMPONENT_SECRET);
  set('redis', 'url', env.REDIS_URL);
  set('redis', 'prefix', env.REDIS_PREFIX);
  applyRedisEnv(raw, env);
  set('http', 'host', env.HTTP_HOST);
  set('http', 'port', env.HTTP_PORT, true);
  set('widget', 'websocketUrl', env.WIDGET_WEBSOCKET_URL);
  set('widget', 'guestDomain', env.GUEST_DOMAIN);
  set('evidence', 'dataDir', env.EVIDENCE_DATA_DIR);
  set('evidence', 'keyPath', env.EVIDENCE_KEY_PATH); // a standby's own mirror dir, the deployment's one key
  set('identity', 'secret', env.IDENTITY_SECRET);
  // Several active instances on ejabberd (issue 19 §3): its component_number; `npm start` sets it with INSTANCES.
  if (Number(env.COMPONENT_SLOTS) >= 2)
    Object.assign(section(raw, 'routing'), { balancedDomain: true, componentSlots: Number(env.COMPONENT_SLOTS) });
  const evidence = raw.evidence as Record<string, unknown> | null | undefined;
  if (env.MADOGUCHI_DATA_DIR && (typeof evidence !== 'object' || evidence === null || evidence.dataDir === undefined)) {
    set('evidence', 'dataDir', join(env.MADOGUCHI_DATA_DIR, 'evidence')); // the evidence follows the data dir
  }
  if (env.ADMIN_TOKEN) section(raw, 'http').adminTokens = [env.ADMIN_TOKEN]; // replaces the configured ones
  applyMailEnv(raw, env);
  if (env.MADOGUCHI_ADMIN)
    raw.bootstrapAdmins = env.MADOGUCHI_ADMIN.split(',')
      .map((j) => j.trim().toLowerCase())
      .filter(Boolean);
  if (env.METRICS_TOKEN) section(section(raw, 'http') as Raw, 'metrics').token = env.METRICS_TOKEN; // keeps the file's networks
}

/** Redis Sentinel (issue 19): REDIS_SENTINELS (comma-separated host:port), REDIS_NAME; passwords only from here. */
function applyRedisEnv(raw: Raw, env: NodeJS.ProcessEnv): void {
  const file = raw.redis as Record<string, unknown> | null | undefined;
  for (const [field, name] of [
    ['password', 'REDIS_PASSWORD'],
    ['sentinelPassword', 'REDIS_SENTINEL_PASSWORD'],
  ] as const) {
    if (file && typeof file === 'object' && field in file)
      throw new ConfigError(`redis.${field}: set ${name} in the environment, not in the config file`);
    if (env[name]) section(raw, 'redis')[field] = env[name];
  }
  if (env.REDIS_SENTINELS) {
    const redis = section(raw, 'redis');
    redis.sentinels = env.REDIS_SENTINELS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!env.REDIS_URL) delete redis.url; // the file's (or default) URL gives way to the sentinels
  }
  if (env.REDIS_NAME) section(raw, 'redis').name = env.REDIS_NAME;
}

/** SMTP_HOST/PORT/TLS/FROM override the file (SMTP_HOST alone turns mail on); SMTP_USER/PASSWORD only from here. */
function applyMailEnv(raw: Raw, env: NodeJS.ProcessEnv): void {
  const file = raw.mail as Record<string, unknown> | null | undefined;
  for (const secret of ['user', 'password'] as const) {
    if (file && typeof file === 'object' && secret in file) {
      throw new ConfigError(`mail.${secret}: set SMTP_${secret.toUpperCase()} in the environment, not in the config file`);
    }
  }
  if (!env.SMTP_HOST && (file === undefined || file === null)) return;
  const mail = section(raw, 'mail');
  if (env.SMTP_HOST) mail.host = env.SMTP_HOST;
  if (env.SMTP_PORT) mail.port = Number(env.SMTP_PORT);
  if (env.SMTP_TLS) mail.tls = env.SMTP_TLS;
  if (env.SMTP_FROM) mail.from = env.SMTP_FROM;
  if (env.SMTP_USER) mail.user = env.SMTP_USER;
  if (env.SMTP_PASSWORD) mail.password = env.SMTP_PASSWORD;
}

export function parseConfig(raw: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`Invalid ${source}:\n${lines.join('\n')}`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const path = env.MADOGUCHI_CONFIG || DEFAULT_CONFIG_PATH;
  let raw: Raw;
  try {
    raw = (parse(readFileSync(path, 'utf8')) ?? {}) as Raw;
  } catch (err) {
    throw new ConfigError(`Cannot read config ${path}: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`Invalid ${path}: (root): expected a mapping`);
  applyEnv(raw, env);
  return parseConfig(raw, path);
}
