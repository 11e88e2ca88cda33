/** Issue 18: who may scrape /metrics (component/http/metrics-access.ts) and what config accepts as a network. */
import { describe, expect, it } from 'vitest';
import { createMetricsAccess } from '../../component/http/metrics-access.js';
import { parseConfig } from '../../config/load.js';

const TOKEN = 'metrics-token-0123456789';

describe('metrics access', () => {
  const allowed = createMetricsAccess({ allow: ['127.0.0.1/8', '::1/128', '10.1.0.0/16', '2001:db8::/32', '192.0.2.7'] });

  it('lets in clients of the allowed networks, IPv4, IPv6 and IPv4-mapped IPv6', () => {
    for (const ip of ['127.0.0.1', '127.255.0.9', '::1', '10.1.200.3', '2001:db8:1::5', '::ffff:127.0.0.1', '::ffff:10.1.0.1', '192.0.2.7'])
      expect([ip, allowed(ip, undefined)]).toEqual([ip, 200]);
  });

  it('refuses everyone else with 403 when no token is configured, even one sending a token', () => {
    for (const ip of ['10.2.0.1', '192.0.2.8', '::2', '2001:db9::1', '::ffff:10.2.0.1', 'not-an-ip', '', undefined])
      expect([ip, allowed(ip, `Bearer ${TOKEN}`)]).toEqual([ip, 403]);
  });

  it('with a token: the right bearer token from anywhere, 401 without one or with a wrong one', () => {
    const withToken = createMetricsAccess({ token: TOKEN, allow: ['10.0.0.0/8'] });
    expect(withToken('127.0.0.1', `Bearer ${TOKEN}`)).toBe(200);
    expect(withToken('10.9.9.9', undefined)).toBe(200);
    expect(withToken('127.0.0.1', undefined)).toBe(401);
    expect(withToken('127.0.0.1', `Bearer ${TOKEN}x`)).toBe(401);
    expect(withToken('127.0.0.1', `Bearer ${TOKEN.slice(1)}`)).toBe(401);
    expect(withToken('127.0.0.1', TOKEN)).toBe(401); // not a bearer credential
    expect(withToken('127.0.0.1', `Basic ${TOKEN}`)).toBe(401);
  });

  it('an empty allow list and no token refuses all', () => {
    const none = createMetricsAccess({ allow: [] });
    expect(none('127.0.0.1', undefined)).toBe(403);
  });
});

describe('config http.metrics', () => {
  const base = () => ({
    component: { service: 'xmpp://127.0.0.1:5347', domain: 'support.localhost', secret: 's3cret' },
    redis: { url: 'redis://127.0.0.1:6379' },
    desks: [{ id: 'support', name: 'Support' }],
    operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'] }],
  });

  it('defaults to loopback only, no token', () => {
    expect(parseConfig(base()).http.metrics).toEqual({ allow: ['127.0.0.1/8', '::1/128'] });
  });

  it('accepts networks and single addresses, refuses what is not one, and short tokens', () => {
    const ok = parseConfig({ ...base(), http: { metrics: { token: TOKEN, allow: ['10.0.0.0/8', 'fd00::/8', '192.0.2.1'] } } });
    expect(ok.http.metrics.allow).toEqual(['10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0/8', 'localhost', '10.0.0.0/8/1', '10.0.0.0/x', '10.0.0.0/'])
      expect(() => parseConfig({ ...base(), http: { metrics: { allow: [bad] } } }), bad).toThrow(/expected a network/);
    expect(() => parseConfig({ ...base(), http: { metrics: { token: 'short', allow: [] } } })).toThrow(/at least 16/);
  });
});
