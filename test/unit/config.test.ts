import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig, parseConfig } from '../../config/load.js';

/** The smallest config parseConfig accepts: http, limits and routing may be left out. */
const minimal = () => ({
  component: { service: 'xmpp://127.0.0.1:5347', domain: 'support.localhost', secret: 's3cret' },
  redis: { url: 'redis://127.0.0.1:6379' },
  desks: [{ id: 'support', name: 'Support' }],
  operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'] }] as Record<string, unknown>[],
});

const errorOf = (raw: unknown): string => {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('parseConfig accepted an invalid config');
};

describe('parseConfig', () => {
  it('fills the report settings and refuses a time zone the runtime does not know', () => {
    const cfg = parseConfig(minimal());
    expect(cfg.reports).toEqual({ retentionDays: 400, samplesPerDay: 5000 });
    expect(cfg.desks[0]).toMatchObject({ timeZone: 'UTC', slaSeconds: 60 });
    const bad = { ...minimal(), desks: [{ id: 'support', name: 'Support', timeZone: 'Mars/Olympus' }] };
    expect(errorOf(bad)).toMatch(/desks\.0\.timeZone: expected an IANA time zone/);
  });

  it('accepts a minimal config and fills the defaults', () => {
    const cfg = parseConfig(minimal());
    expect(cfg.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'mdg:' });
    expect(cfg.http).toEqual({ host: '127.0.0.1', port: 8080, adminTokens: [], metrics: { allow: ['127.0.0.1/8', '::1/128'] } });
    expect(cfg.limits).toEqual({
      maxBodyChars: 10_000,
      customerRate: { perSecond: 5, burst: 20 },
      operatorRate: { perSecond: 20, burst: 60 },
      signalCost: 0.25,
      senderBacklog: 256,
    });
    expect(cfg.routing).toEqual({
      defaultMaxChats: 3,
      maxChatsLimit: 9,
      graceSeconds: 60,
      customerGraceSeconds: 120,
      avgHandleSeconds: 300,
      positionUpdateMs: 1000,
      livenessSeconds: 30,
      tickMs: 1000,
      leaseMs: 3000,
      balancedDomain: false,
      componentSlots: 0,
      routeCache: true,
      reassignUnansweredSeconds: 0,
    });
    expect(cfg.operators).toEqual([{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], role: 'operator' }]);
  });

  it('names the field of a rate limit that cannot work', () => {
    const raw = { ...minimal(), limits: { customerRate: { perSecond: 0, burst: 20 } } };
    expect(errorOf(raw)).toMatch(/limits\.customerRate\.perSecond/);
  });

  it('names the field of an out-of-range maxChats', () => {
    const raw = minimal();
    raw.operators[0]!.maxChats = 12;
    const message = errorOf(raw);
    expect(message).toMatch(/^Invalid config:\n {2}operators\.0\.maxChats: /);
    expect(message.split('\n')).toHaveLength(2);
  });

  it("refuses a capacity above the admin's ceiling, naming the field", () => {
    const raw = minimal();
    raw.operators[0]!.maxChats = 5;
    (raw.operators[0] as Record<string, unknown>).maxChatsLimit = 3;
    expect(errorOf(raw)).toBe("Invalid config:\n  operators.0.maxChats: is above this operator's limit of 3 (maxChatsLimit)");
  });

  it('names the operator desk that does not exist', () => {
    const raw = minimal();
    raw.operators[0]!.desks = ['support', 'nope'];
    raw.operators.unshift({ jid: 'bob@localhost', name: 'Bob', desks: ['ghost'] });
    expect(errorOf(raw)).toBe('Invalid config:\n  operators.0.desks.0: unknown desk "ghost"\n  operators.1.desks.1: unknown desk "nope"');
  });

  it('names a duplicate operator (case-insensitive) by its path', () => {
    const raw = minimal();
    raw.operators.push({ jid: 'Alice@localhost', name: 'Alice again', desks: ['support'] });
    expect(errorOf(raw)).toBe('Invalid config:\n  operators.1.jid: duplicate operator alice@localhost');
  });

  it('rejects duplicate desk ids and unknown keys', () => {
    const dupDesks = {
      ...minimal(),
      desks: [
        { id: 'support', name: 'A' },
        { id: 'support', name: 'B' },
      ],
    };
    expect(errorOf(dupDesks)).toContain('desks: desk ids must be unique');
    const extra = { ...minimal(), redis: { url: 'redis://x:1', pasword: 'typo' } };
    expect(errorOf(extra)).toMatch(/^Invalid config:\n {2}redis: /);
  });

  it('uses the source name in the message', () => {
    expect(() => parseConfig({}, '/etc/madoguchi.yaml')).toThrow(/^Invalid \/etc\/madoguchi\.yaml:\n/);
  });
});

describe('loadConfig', () => {
  it('reads the shipped default config and applies environment overrides', () => {
    const cfg = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6390',
      REDIS_PREFIX: 'x:',
      HTTP_PORT: '9090',
      COMPONENT_DOMAIN: 'desk.example',
      ADMIN_TOKEN: 'a-production-admin-token',
      METRICS_TOKEN: 'a-production-metrics-token',
    });
    expect(cfg.redis).toEqual({ url: 'redis://127.0.0.1:6390', prefix: 'x:' });
    expect(cfg.http).toEqual({
      host: '127.0.0.1',
      port: 9090,
      adminTokens: ['a-production-admin-token'],
      metrics: { token: 'a-production-metrics-token', allow: ['127.0.0.1/8', '::1/128'] },
    });
    expect(cfg.component.domain).toBe('desk.example');
    expect(cfg.desks.map((d) => d.id)).toEqual(['support', 'sales']);
    expect(cfg.operators.map((o) => [o.jid, o.role, o.maxChats])).toEqual([
      ['alice@localhost', 'admin', undefined],
      ['bob@localhost', 'supervisor', undefined],
      ['carol@localhost', 'operator', 2],
    ]);
  });

  it("takes a standby's evidence key from EVIDENCE_KEY_PATH (issue 19: a mirror dir of its own, the deployment's one key)", () => {
    expect(loadConfig({}).evidence.keyPath).toBeUndefined();
    const c = loadConfig({ EVIDENCE_DATA_DIR: '/srv/evidence-standby1', EVIDENCE_KEY_PATH: '/srv/evidence/evidence-key.pem' });
    expect([c.evidence.dataDir, c.evidence.keyPath]).toEqual(['/srv/evidence-standby1', '/srv/evidence/evidence-key.pem']);
  });

  it('puts the evidence files under MADOGUCHI_DATA_DIR unless EVIDENCE_DATA_DIR or the file places them', () => {
    expect(loadConfig({}).evidence.dataDir).toBe('.data/evidence');
    expect(loadConfig({ MADOGUCHI_DATA_DIR: '/srv/madoguchi' }).evidence.dataDir).toBe('/srv/madoguchi/evidence');
    expect(loadConfig({ MADOGUCHI_DATA_DIR: '/srv/madoguchi', EVIDENCE_DATA_DIR: '/audit/evidence' }).evidence.dataDir).toBe(
      '/audit/evidence',
    );
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-config-'));
    const file = join(dir, 'config.yaml');
    const withDir = parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, stringify({ ...withDir, evidence: { dataDir: '/var/lib/evidence' } }));
    expect(loadConfig({ MADOGUCHI_CONFIG: file, MADOGUCHI_DATA_DIR: '/srv/madoguchi' }).evidence.dataDir).toBe('/var/lib/evidence');
    writeFileSync(file, stringify({ ...withDir, evidence: { checkpointEvery: 10 } }));
    expect(loadConfig({ MADOGUCHI_CONFIG: file, MADOGUCHI_DATA_DIR: '/srv/madoguchi' }).evidence).toMatchObject({
      dataDir: '/srv/madoguchi/evidence',
      checkpointEvery: 10,
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the field when an override is invalid', () => {
    expect(() => loadConfig({ HTTP_PORT: '70000' })).toThrow(/\n {2}http\.port: /);
  });

  it('fails clearly on a missing file', () => {
    expect(() => loadConfig({ MADOGUCHI_CONFIG: '/nonexistent/madoguchi.yaml' })).toThrow(
      /^Cannot read config \/nonexistent\/madoguchi\.yaml: /,
    );
  });
});
