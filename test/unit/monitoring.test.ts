/**
 * Issue 18: the shipped monitoring files (docs/monitoring/) are valid and use only metrics the
 * component exports. `promtool check rules` validates the alert rules, `promtool test rules`
 * runs alert scenarios (test/monitoring/alerts.test.yml), and every metric named in the rules and
 * the Grafana dashboard is registered by component/metrics/registry.ts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../component/metrics/registry.js';
import { parseXml } from '../../component/protocol/xml.js';
import { promtool } from '../support/promtool.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = join(ROOT, 'docs/monitoring');
const rules = readdirSync(DOCS)
  .filter((f) => f.endsWith('.rules.yml'))
  .map((f) => join(DOCS, f));
const dashboard = JSON.parse(readFileSync(join(DOCS, 'grafana-dashboard.json'), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};

/** The metric names a PromQL text uses (madoguchi_*, process_*, nodejs_*), histogram suffixes folded. */
const metricsIn = (promql: string) =>
  [...promql.matchAll(/\b((?:madoguchi|process|nodejs)_[a-z0-9_]+)/g)].map((m) => (m[1] as string).replace(/_(bucket|sum|count)$/, ''));

describe('docs/monitoring', () => {
  it('ships alert rules and a dashboard with panels', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(dashboard.panels.length).toBeGreaterThan(5);
  });

  it('names only metrics the component registers', async () => {
    const metrics = createMetrics({
      desks: async () => [],
      xmppUp: () => true,
      redisUp: () => true,
      evidence: async () => ({ appended: 0 }),
    });
    const registered = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set([
      ...dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricsIn(t.expr))),
      ...rules.flatMap((f) => metricsIn(readFileSync(f, 'utf8'))),
    ]);
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !registered.has(name))).toEqual([]);
  });

  it('labels the desks, operators, presences, directions and conditions only: no customer or ticket', async () => {
    const load = { jid: 'alice@localhost', status: 'away' as const, active: 1, max: 2, idleSince: 0 };
    const metrics = createMetrics({
      desks: async () => [{ desk: 'support', waiting: 3, freeSlots: 0, loads: [load] }],
      xmppUp: () => true,
      redisUp: () => false,
    });
    const sent: string[] = [];
    const send = metrics.countSend((stanza) => void sent.push(String(stanza.attrs.to)));
    const ticket = { id: 7, desk: 'support', customer: 'guest1@guest.localhost/web', masked: 't7-abcd', operator: 'alice@localhost' };
    send(parseXml('<message to="alice@localhost" from="t7-abcd@support.localhost"><body>hi</body></message>'), {
      kind: 'message',
      direction: 'customer->operator',
      ticket,
    });
    send(
      parseXml(
        '<message type="error" to="guest1@guest.localhost/web"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>',
      ),
    );
    metrics.meter.relayed('customer', 0.002);
    metrics.meter.dispatched(0.01);
    expect(sent).toHaveLength(2); // counting never swallows a stanza
    const text = await metrics.text();
    expect(text).toMatch(/^madoguchi_waiting_customers\{desk="support"\} 3$/m);
    expect(text).toMatch(/^madoguchi_operators_online\{desk="support",presence="away"\} 1$/m);
    expect(text).toMatch(/^madoguchi_operator_active_chats\{operator="alice@localhost"\} 1$/m);
    expect(text).toMatch(/^madoguchi_stanzas_relayed_total\{direction="customer->operator"\} 1$/m);
    expect(text).toMatch(/^madoguchi_stanzas_rejected_total\{reason="item-not-found"\} 1$/m);
    expect(text).toMatch(/^madoguchi_redis_up 0$/m);
    expect(text).not.toMatch(/guest|t7-|ticket/);
    const labels = new Set(
      (await metrics.registry.getMetricsAsJSON())
        .filter((m) => m.name.startsWith('madoguchi_'))
        .flatMap((m) => m.values.flatMap((v) => Object.keys(v.labels))),
    );
    expect([...labels].sort()).toEqual(['desk', 'direction', 'from', 'le', 'link', 'operator', 'presence', 'reason']);
  });

  describe.skipIf(!promtool)('promtool', () => {
    it('`promtool check rules` accepts docs/monitoring/*.rules.yml', () => {
      const r = spawnSync(promtool as string, ['check', 'rules', ...rules], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toMatch(/SUCCESS: \d+ rules found/);
      expect(r.status).toBe(0);
    });

    it('`promtool test rules`: the alerts fire in their scenarios and stay quiet otherwise', () => {
      const r = spawnSync(promtool as string, ['test', 'rules', 'alerts.test.yml'], {
        cwd: join(ROOT, 'test/monitoring'),
        encoding: 'utf8',
      });
      expect(`${r.stdout}${r.stderr}`).toMatch(/SUCCESS/);
      expect(r.status).toBe(0);
    });
  });
});
