/**
 * The organisational settings as live entities (issue 16; component/services/admin/admin-types.ts):
 * one zod schema per kind, and the whole-settings check (cross references). Errors name the
 * entity and the field: `operator/carol@localhost: desks.0: unknown desk "x"`.
 */
import { z } from 'zod';
import type { OrgKind, OrgSnapshot, OrgValueOf } from '../component/services/admin/admin-types.js';
import { deskId, formFields, hours, jidPattern } from './schema.js';
import { deskTexts, widgetLook } from './org-parts.js';
import { isTimeZone } from '../src/business-hours.js';

const cannedName = z.string().regex(/^[a-z0-9_-]+$/i, 'canned reply names are one word');

export const ORG_SCHEMAS = {
  desk: z.strictObject({
    id: deskId,
    name: z.string().min(1).max(100),
    texts: deskTexts.default({}),
    hours: hours.optional(),
    timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone, e.g. Europe/Berlin').default('UTC'),
    slaSeconds: z.number().int().min(1).default(60),
  }),
  operator: z.strictObject({
    jid: z
      .string()
      .regex(jidPattern, 'expected a bare JID like alice@example.com')
      .transform((j) => j.toLowerCase()),
    name: z.string().min(1).max(100),
    desks: z.array(deskId).min(1),
    role: z.enum(['operator', 'supervisor', 'admin']).default('operator'),
    maxChats: z.number().int().min(1).max(9).optional(),
    maxChatsLimit: z.number().int().min(1).max(9).optional(),
  }),
  canned: z.record(cannedName, z.string().min(1).max(4000)),
  form: formFields,
  widget: widgetLook,
  routing: z.strictObject({
    graceSeconds: z.number().min(0),
    defaultMaxChats: z.number().int().min(1).max(9),
    maxChatsLimit: z.number().int().min(1).max(9),
    customerGraceSeconds: z.number().min(0),
    reassignUnansweredSeconds: z.number().int().min(0),
  }),
} as const;

export const ORG_KINDS: readonly OrgKind[] = ['desk', 'operator', 'canned', 'form', 'widget', 'routing'];

/** The inferred shapes are the contract's (admin-types.ts): this fails to compile when they drift apart. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameShapes: { [K in OrgKind]: Same<z.output<(typeof ORG_SCHEMAS)[K]>, OrgValueOf[K]> } = {
  desk: true,
  operator: true,
  canned: true,
  form: true,
  widget: true,
  routing: true,
};
void _sameShapes;

/** Everything of a snapshot but its revisions. */
export type OrgSettings = Omit<OrgSnapshot, 'rev' | 'entityRev'>;

export const isOrgKind = (k: string): k is OrgKind => (ORG_KINDS as readonly string[]).includes(k);

const issuePath = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join('.') : '(value)');

/** Which ids each kind takes (the part after `<kind>/`). */
function idProblem(kind: OrgKind, id: string): string | undefined {
  if (kind === 'widget' || kind === 'routing') return id === 'default' ? undefined : `the only ${kind} id is "default"`;
  if (kind === 'canned' && id === 'global') return undefined;
  if (kind === 'form' && id === 'default') return undefined;
  if (kind === 'operator') return jidPattern.test(id) && id === id.toLowerCase() ? undefined : 'expected a lower-case bare JID';
  return deskId.safeParse(id).success ? undefined : 'expected a desk id (a-z, 0-9, . _ -)';
}

/**
 * One entity's value, checked by its kind's schema (defaults applied). A desk's `id` and an
 * operator's `jid` may be left out: they come from the entity id, and must match it.
 */
export function parseEntity<K extends OrgKind>(
  kind: K,
  id: string,
  value: unknown,
): { ok: true; value: OrgValueOf[K] } | { ok: false; error: string } {
  const where = `${kind}/${id}`;
  const bad = idProblem(kind, id);
  if (bad) return { ok: false, error: `${where}: id: ${bad}` };
  let input = value;
  if ((kind === 'desk' || kind === 'operator') && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const key = kind === 'desk' ? 'id' : 'jid';
    const given = (value as Record<string, unknown>)[key];
    if (given === undefined) input = { ...value, [key]: id };
    else if (typeof given !== 'string' || given.toLowerCase() !== id) return { ok: false, error: `${where}: ${key}: must be "${id}"` };
  }
  const r = ORG_SCHEMAS[kind].safeParse(input);
  if (r.success) return { ok: true, value: r.data as OrgValueOf[K] };
  const first = r.error.issues[0];
  return { ok: false, error: `${where}: ${first ? `${issuePath(first.path)}: ${first.message}` : 'invalid'}` };
}

const RESERVED_DESK_IDS = new Set(['default', 'global']);

/** The whole settings' cross references; each problem as `<kind>/<id>: <field path>: <message>`. */
export function validateOrg(s: OrgSettings): string[] {
  const problems: string[] = [];
  const desks = new Set<string>();
  if (s.desks.length === 0) problems.push('desk: (value): at least one desk is needed');
  for (const d of s.desks) {
    if (desks.has(d.id)) problems.push(`desk/${d.id}: id: duplicate desk id`);
    if (RESERVED_DESK_IDS.has(d.id)) problems.push(`desk/${d.id}: id: "${d.id}" is reserved`);
    desks.add(d.id);
  }
  const jids = new Set<string>();
  for (const op of s.operators) {
    const where = `operator/${op.jid}`;
    if (jids.has(op.jid)) problems.push(`${where}: jid: duplicate operator ${op.jid}`);
    jids.add(op.jid);
    op.desks.forEach((d, i) => {
      if (!desks.has(d)) problems.push(`${where}: desks.${i}: unknown desk "${d}"`);
    });
    const limit = op.maxChatsLimit ?? s.routing.maxChatsLimit;
    const max = op.maxChats ?? s.routing.defaultMaxChats;
    if (max > limit) problems.push(`${where}: maxChats: ${max} is above this operator's limit of ${limit} (maxChatsLimit)`);
  }
  for (const d of Object.keys(s.canned.byDesk)) if (!desks.has(d)) problems.push(`canned/${d}: (value): unknown desk "${d}"`);
  for (const d of Object.keys(s.forms.byDesk)) if (!desks.has(d)) problems.push(`form/${d}: (value): unknown desk "${d}"`);
  return problems;
}
