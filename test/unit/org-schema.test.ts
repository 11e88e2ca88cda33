/** The organisational settings' schema (issue 16): each kind, the whole-settings check, the YAML round trip. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { parseEntity, validateOrg } from '../../config/org-schema.js';
import { entitiesOf, orgFromConfig, orgToFile, parseOrgFile, settingsOf } from '../../config/org-settings.js';

const config = () =>
  parseConfig({
    component: { service: 'xmpp://127.0.0.1:5347', domain: 'support.localhost', secret: 's' },
    redis: { url: 'redis://127.0.0.1:6379' },
    canned: { hello: 'Hello {customer}' },
    desks: [
      { id: 'support', name: 'Support', canned: { restart: 'Restart it' }, texts: { welcome: { ja: 'ようこそ' } } },
      { id: 'sales', name: 'Sales', form: [{ var: 'name', label: 'Name', required: true }] },
    ],
    operators: [
      { jid: 'Alice@localhost', name: 'Alice', desks: ['support', 'sales'], role: 'admin' },
      { jid: 'carol@localhost', name: 'Carol', desks: ['sales'], maxChats: 2 },
    ],
    routing: { graceSeconds: 30, reassignUnansweredSeconds: 90 },
  });

describe('organisational settings schema', () => {
  it("takes today's YAML unchanged and the new optional parts, with defaults", () => {
    const org = orgFromConfig(config());
    expect(org.desks.map((d) => [d.id, d.texts])).toEqual([
      ['support', { welcome: { ja: 'ようこそ' } }],
      ['sales', {}],
    ]);
    expect(org.operators[0]?.jid).toBe('alice@localhost');
    expect(org.canned).toEqual({ global: { hello: 'Hello {customer}' }, byDesk: { support: { restart: 'Restart it' } } });
    expect(org.forms.byDesk.sales).toEqual([{ var: 'name', label: 'Name', type: 'text', required: true }]);
    expect(org.forms.default.map((f) => f.var)).toEqual(['name', 'email', 'question']);
    expect(org.widget.position).toBe('bottom-right');
    expect(org.routing).toEqual({
      graceSeconds: 30,
      defaultMaxChats: 3,
      maxChatsLimit: 9,
      customerGraceSeconds: 120,
      reassignUnansweredSeconds: 90,
    });
    expect(validateOrg(org)).toEqual([]);
  });

  it('round-trips: settings → entities → settings, and settings → file → settings', () => {
    const org = orgFromConfig(config());
    expect(settingsOf(entitiesOf(org))).toEqual(org);
    expect(parseOrgFile(JSON.parse(JSON.stringify(orgToFile(org))))).toEqual(org);
  });

  it('names the entity and the field of a bad value', () => {
    expect(parseEntity('operator', 'dave@localhost', { name: 'Dave', desks: [], maxChats: 2 })).toEqual({
      ok: false,
      error: 'operator/dave@localhost: desks: Too small: expected array to have >=1 items',
    });
    expect(parseEntity('operator', 'dave@localhost', { jid: 'eve@localhost', name: 'Dave', desks: ['support'] })).toEqual({
      ok: false,
      error: 'operator/dave@localhost: jid: must be "dave@localhost"',
    });
    expect(parseEntity('desk', 'Support', { name: 'x' })).toMatchObject({
      ok: false,
      error: 'desk/Support: id: expected a desk id (a-z, 0-9, . _ -)',
    });
    expect(
      parseEntity('widget', 'default', { ...orgFromConfig(config()).widget, colors: { primary: 'red', background: '#fff', text: '#000' } }),
    ).toEqual({
      ok: false,
      error: 'widget/default: colors.primary: expected a colour like #1d4ed8',
    });
    expect(parseEntity('widget', 'default', { ...orgFromConfig(config()).widget, logoUrl: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^widget\/default: logoUrl: expected an https: URL/),
    });
    expect(
      parseEntity('form', 'default', [
        { var: 'a', label: 'A' },
        { var: 'a', label: 'B' },
      ]),
    ).toEqual({
      ok: false,
      error: 'form/default: (value): form field vars must be unique',
    });
    expect(parseEntity('routing', 'main', {})).toEqual({ ok: false, error: 'routing/main: id: the only routing id is "default"' });
    expect(parseEntity('desk', 'billing', { name: 'Billing' })).toMatchObject({
      ok: true,
      value: { id: 'billing', texts: {}, slaSeconds: 60 },
    });
  });

  it('checks cross references and caps over the whole settings', () => {
    const org = orgFromConfig(config());
    const bad = {
      ...org,
      desks: [...org.desks, { ...(org.desks[1] as (typeof org.desks)[number]) }],
      operators: [
        ...org.operators,
        { jid: 'carol@localhost', name: 'C', desks: ['billing'], role: 'operator' as const, maxChats: 9, maxChatsLimit: 4 },
      ],
      canned: { ...org.canned, byDesk: { ...org.canned.byDesk, gone: { a: 'b' } } },
    };
    expect(validateOrg(bad)).toEqual([
      'desk/sales: id: duplicate desk id',
      'operator/carol@localhost: jid: duplicate operator carol@localhost',
      'operator/carol@localhost: desks.0: unknown desk "billing"',
      "operator/carol@localhost: maxChats: 9 is above this operator's limit of 4 (maxChatsLimit)",
      'canned/gone: (value): unknown desk "gone"',
    ]);
  });

  it('refuses infrastructure in an org file, naming the key', () => {
    expect(() => parseOrgFile({ redis: { url: 'redis://x' } })).toThrow(/redis: not an organisational setting/);
    expect(() => parseOrgFile({ widget: { websocketUrl: 'ws://x' } })).toThrow(/widget\.websocketUrl: not an organisational setting/);
    expect(() => parseOrgFile({ desks: [{ id: 'a', name: 'A' }], operators: [{ jid: 'x@y', name: 'X', desks: ['b'] }] })).toThrow(
      /operators\.0\.desks\.0: unknown desk "b"/,
    );
  });
});
