/**
 * The organisational settings in their three shapes (issue 16): the YAML config's part (seed,
 * `npm run config -- export/import`), the whole settings (OrgSettings), and the stored entities
 * (`<kind>/<id>` → value). Pure conversions; validation is org-schema.ts and schema.ts.
 */
import type { OrgKind, OrgValueOf, RoutingSettings } from '../component/services/admin/admin-types.js';
import { ConfigError, parseConfig } from './load.js';
import { DEFAULT_LOOK } from './org-parts.js';
import type { OrgSettings } from './org-schema.js';
import { type Config, DEFAULT_FORM } from './schema.js';

export interface OrgEntityValue<K extends OrgKind = OrgKind> {
  kind: K;
  id: string;
  value: OrgValueOf[K];
}

export const DEFAULT_ROUTING: RoutingSettings = {
  graceSeconds: 60,
  defaultMaxChats: 3,
  maxChatsLimit: 9,
  customerGraceSeconds: 120,
  reassignUnansweredSeconds: 0,
};

/** The organisational part of a (parsed) YAML config. */
export function orgFromConfig(c: Pick<Config, 'desks' | 'operators' | 'canned' | 'widget' | 'routing'>): OrgSettings {
  const byDesk = <T>(pick: (d: Config['desks'][number]) => T | undefined) =>
    Object.fromEntries(c.desks.flatMap((d) => (pick(d) === undefined ? [] : [[d.id, pick(d) as T]])));
  return {
    desks: c.desks.map(({ id, name, texts, hours, timeZone, slaSeconds }) => ({
      id,
      name,
      texts,
      ...(hours ? { hours } : {}),
      timeZone,
      slaSeconds,
    })),
    operators: c.operators.map((op) => ({ ...op, jid: op.jid.toLowerCase() })),
    canned: { global: c.canned, byDesk: byDesk((d) => (Object.keys(d.canned).length ? d.canned : undefined)) },
    forms: { default: c.widget.form, byDesk: byDesk((d) => d.form) },
    widget: c.widget.look,
    routing: {
      graceSeconds: c.routing.graceSeconds,
      defaultMaxChats: c.routing.defaultMaxChats,
      maxChatsLimit: c.routing.maxChatsLimit,
      customerGraceSeconds: c.routing.customerGraceSeconds,
      reassignUnansweredSeconds: c.routing.reassignUnansweredSeconds,
    },
  };
}

/** Back to the YAML config's shape (export): importing it gives the same settings. */
export function orgToFile(s: OrgSettings) {
  return {
    routing: s.routing,
    widget: { form: s.forms.default, look: s.widget },
    canned: s.canned.global,
    desks: s.desks.map((d) => ({
      ...d,
      ...(s.canned.byDesk[d.id] ? { canned: s.canned.byDesk[d.id] } : {}),
      ...(s.forms.byDesk[d.id] ? { form: s.forms.byDesk[d.id] } : {}),
    })),
    operators: s.operators,
  };
}

const ORG_FILE_KEYS: Record<string, readonly string[] | true> = {
  routing: ['graceSeconds', 'defaultMaxChats', 'maxChatsLimit', 'customerGraceSeconds', 'reassignUnansweredSeconds'],
  widget: ['form', 'look'],
  canned: true,
  desks: true,
  operators: true,
};

/**
 * An org file (import): only the organisational keys, checked by the config schema itself
 * (so errors name the field as a bad config does). Throws ConfigError.
 */
export function parseOrgFile(raw: unknown, source = 'org file'): OrgSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`Invalid ${source}:\n  (root): expected a mapping`);
  for (const [key, value] of Object.entries(raw)) {
    const allowed = ORG_FILE_KEYS[key];
    if (!allowed)
      throw new ConfigError(`Invalid ${source}:\n  ${key}: not an organisational setting (infrastructure stays in the config file)`);
    if (allowed === true || typeof value !== 'object' || value === null) continue;
    for (const sub of Object.keys(value)) {
      if (!allowed.includes(sub)) throw new ConfigError(`Invalid ${source}:\n  ${key}.${sub}: not an organisational setting`);
    }
  }
  const infrastructure = {
    component: { service: 'xmpp://127.0.0.1:1', domain: 'org.invalid', secret: 'unused' },
    redis: { url: 'redis://127.0.0.1:1' },
  };
  return orgFromConfig(parseConfig({ ...raw, ...infrastructure }, source));
}

/** The settings as stored entities, one per `<kind>/<id>`. */
export function entitiesOf(s: OrgSettings): OrgEntityValue[] {
  return [
    ...s.desks.map((d) => ({ kind: 'desk' as const, id: d.id, value: d })),
    ...s.operators.map((o) => ({ kind: 'operator' as const, id: o.jid, value: o })),
    { kind: 'canned', id: 'global', value: s.canned.global },
    ...Object.entries(s.canned.byDesk).map(([id, value]) => ({ kind: 'canned' as const, id, value })),
    { kind: 'form', id: 'default', value: s.forms.default },
    ...Object.entries(s.forms.byDesk).map(([id, value]) => ({ kind: 'form' as const, id, value })),
    { kind: 'widget', id: 'default', value: s.widget },
    { kind: 'routing', id: 'default', value: s.routing },
  ];
}

/** Stored entities back to whole settings; a missing singleton takes its built-in default. */
export function settingsOf(entities: readonly OrgEntityValue[]): OrgSettings {
  const s: OrgSettings = {
    desks: [],
    operators: [],
    canned: { global: {}, byDesk: {} },
    forms: { default: DEFAULT_FORM, byDesk: {} },
    widget: DEFAULT_LOOK,
    routing: DEFAULT_ROUTING,
  };
  for (const e of entities) {
    if (e.kind === 'desk') s.desks.push(e.value as OrgValueOf['desk']);
    else if (e.kind === 'operator') s.operators.push(e.value as OrgValueOf['operator']);
    else if (e.kind === 'canned') {
      if (e.id === 'global') s.canned.global = e.value as OrgValueOf['canned'];
      else s.canned.byDesk[e.id] = e.value as OrgValueOf['canned'];
    } else if (e.kind === 'form') {
      if (e.id === 'default') s.forms.default = e.value as OrgValueOf['form'];
      else s.forms.byDesk[e.id] = e.value as OrgValueOf['form'];
    } else if (e.kind === 'widget') s.widget = e.value as OrgValueOf['widget'];
    else if (e.kind === 'routing') s.routing = e.value as OrgValueOf['routing'];
  }
  return s;
}
