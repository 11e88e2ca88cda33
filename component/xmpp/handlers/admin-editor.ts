/**
 * The admin commands' editors (issue 16): for each kind of organisational entity, the XEP-0004
 * fields that show it (pre-filled with its current value) and the parser that turns a submitted
 * form back into a value, or names the field that is wrong. Pure: no I/O, no service calls; the
 * AdminService still validates the whole settings (its error is mapped back to a field here).
 */
import { isTimeZone } from '../../../src/business-hours.js';
import type { DeskSettings, OperatorSettings, OrgKind, OrgSnapshot, OrgValueOf } from '../../services/admin/admin-types.js';
import { one, textLines, multi, type Field, type Values } from './data-form.js';

export interface FieldError {
  field: string;
  message: string;
}
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: FieldError };

export interface Editor<K extends OrgKind = OrgKind> {
  kind: K;
  /** What one entity is called: "desk", "operator", … */
  noun: string;
  /** The only entity of a singleton kind (widget, routing): no choice stage. */
  singleton?: string;
  /** Offers "new …" at the choice stage; the form then asks for the id in `idField`. */
  idField?: string;
  deletable(id: string): boolean;
  /** Ids offered besides the existing entities (a desk's own canned set or form, not there yet). */
  extraIds?(snap: OrgSnapshot): string[];
  label(id: string, value: OrgValueOf[K] | undefined, snap: OrgSnapshot): string;
  instructions?: string[];
  /** The field that takes an AdminService error whose path names no field of the form. */
  mainField?: string;
  /** The form's fields; `value` undefined for a new entity (then the id field comes first). */
  fields(value: OrgValueOf[K] | undefined, snap: OrgSnapshot): Field[];
  /** The entity's id (new: from `idField`) and value from a submitted form, or the field at fault. */
  parse(
    values: Values,
    id: string | undefined,
    current: OrgValueOf[K] | undefined,
    snap: OrgSnapshot,
  ): Parsed<{ id: string; value: OrgValueOf[K] }>;
}

export const fail = (field: string, message: string): { ok: false; error: FieldError } => ({ ok: false, error: { field, message } });

export const text = (v: string, label: string, value: string | undefined, extra: Partial<Field> = {}): Field => ({
  var: v,
  type: 'text-single',
  label,
  values: value === undefined || value === '' ? [] : [value],
  ...extra,
});

/** An optional whole number in [min, max]: undefined for an empty field, a message when wrong. */
export function intField(values: Values, v: string, min: number, max: number, required: boolean): number | undefined | string {
  const raw = one(values, v);
  if (raw === '') return required ? 'is required' : undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : `expected a whole number from ${min} to ${max}`;
}

const DESK_ID = /^[a-z0-9._-]+$/;
const TEXT_KEYS = ['welcome', 'busy', 'closed', 'ended'] as const;
const LANGS = ['en', 'ja'] as const;

export const deskEditor: Editor<'desk'> = {
  kind: 'desk',
  noun: 'desk',
  idField: 'id',
  deletable: () => true,
  label: (id, d) => `${d?.name ?? id} (${id})`,
  instructions: ['A text left empty uses the built-in one. Business hours are edited with the command "Desk hours".'],
  fields: (d) => [
    ...(d ? [] : [text('id', 'Desk id (the local part of its JID: a-z, 0-9, . _ -)', undefined, { required: true })]),
    text('name', 'Name', d?.name, { required: true }),
    text('timeZone', 'Time zone (IANA, e.g. Asia/Tokyo)', d?.timeZone ?? 'UTC', { required: true }),
    text('slaSeconds', 'First-response target (seconds)', String(d?.slaSeconds ?? 60), { required: true }),
    ...TEXT_KEYS.flatMap((k) =>
      LANGS.map(
        (l): Field => ({
          var: `texts.${k}.${l}`,
          type: 'text-multi',
          label: `Text "${k}" (${l})`,
          values: textLines(d?.texts[k]?.[l] ?? ''),
        }),
      ),
    ),
  ],
  parse(values, id, current) {
    const deskId = id ?? one(values, 'id');
    if (!DESK_ID.test(deskId)) return fail('id', 'expected a lower-case local part (a-z, 0-9, . _ -)');
    const name = one(values, 'name');
    if (!name) return fail('name', 'is required');
    const timeZone = one(values, 'timeZone');
    if (!isTimeZone(timeZone)) return fail('timeZone', `"${timeZone}" is not an IANA time zone such as Europe/Berlin`);
    const sla = intField(values, 'slaSeconds', 1, 86_400, true);
    if (typeof sla !== 'number') return fail('slaSeconds', sla ?? 'is required');
    const texts: DeskSettings['texts'] = {};
    for (const k of TEXT_KEYS) {
      for (const l of LANGS) {
        const t = multi(values, `texts.${k}.${l}`).trim();
        if (t) texts[k] = { ...texts[k], [l]: t };
      }
    }
    const value: DeskSettings = { ...current, id: deskId, name, timeZone, slaSeconds: sla, texts };
    return { ok: true, value: { id: deskId, value } };
  },
};

const JID = /^[^@\s/]+@[^@\s/]+$/;
const ROLES = ['operator', 'supervisor', 'admin'] as const;

export const operatorEditor: Editor<'operator'> = {
  kind: 'operator',
  noun: 'operator',
  idField: 'jid',
  deletable: () => true,
  label: (id, o) => `${o?.name ?? id} <${id}>${o ? ` — ${o.role}` : ''}`,
  instructions: ['Max chats empty: the routing default. Removing an operator hands their chats back to the queue.'],
  fields: (o, snap) => [
    ...(o ? [] : [{ var: 'jid', type: 'jid-single', label: 'XMPP address (bare JID)', required: true, values: [] } satisfies Field]),
    text('name', 'Display name', o?.name, { required: true }),
    {
      var: 'desks',
      type: 'list-multi',
      label: 'Desks',
      required: true,
      values: o?.desks ?? [],
      options: snap.desks.map((d) => ({ value: d.id, label: `${d.name} (${d.id})` })),
    },
    {
      var: 'role',
      type: 'list-single',
      label: 'Role',
      required: true,
      values: [o?.role ?? 'operator'],
      options: ROLES.map((r) => ({ value: r, label: r })),
    },
    text('maxChats', 'Max chats at once (1-9)', o?.maxChats === undefined ? undefined : String(o.maxChats)),
    text('maxChatsLimit', 'Highest !max allowed (1-9)', o?.maxChatsLimit === undefined ? undefined : String(o.maxChatsLimit)),
  ],
  parse(values, id, _current, snap) {
    const jid = (id ?? one(values, 'jid')).toLowerCase();
    if (!JID.test(jid)) return fail('jid', 'expected a bare JID like alice@example.com');
    const name = one(values, 'name');
    if (!name) return fail('name', 'is required');
    const desks = (values.get('desks') ?? []).map((d) => d.trim()).filter(Boolean);
    if (desks.length === 0) return fail('desks', 'choose at least one desk');
    const unknown = desks.find((d) => !snap.desks.some((s) => s.id === d));
    if (unknown) return fail('desks', `unknown desk "${unknown}"`);
    const role = one(values, 'role') as OperatorSettings['role'];
    if (!ROLES.includes(role)) return fail('role', 'expected operator, supervisor or admin');
    const maxChats = intField(values, 'maxChats', 1, 9, false);
    if (typeof maxChats === 'string') return fail('maxChats', maxChats);
    const maxChatsLimit = intField(values, 'maxChatsLimit', 1, 9, false);
    if (typeof maxChatsLimit === 'string') return fail('maxChatsLimit', maxChatsLimit);
    const value: OperatorSettings = { jid, name, desks: [...new Set(desks)], role };
    if (maxChats !== undefined) value.maxChats = maxChats;
    if (maxChatsLimit !== undefined) value.maxChatsLimit = maxChatsLimit;
    return { ok: true, value: { id: jid, value } };
  },
};

/**
 * The field an AdminService refusal names ('<kind>/<id>: <path>: <message>', admin-types.ts):
 * the longest field var the path starts with, else the editor's main field.
 */
export function fieldOfRefusal(message: string, fields: Field[], mainField?: string): FieldError | undefined {
  const rest = message.replace(/^[a-z]+\/[^:\s]*: /, '');
  const m = /^([\w.-]+): ([\s\S]*)$/.exec(rest);
  const path = m?.[1] ?? '';
  const vars = fields.map((f) => f.var).filter((v): v is string => !!v && v !== 'rev' && v !== 'stage' && v !== 'entity');
  const hit = vars.filter((v) => path === v || path.startsWith(`${v}.`)).sort((a, b) => b.length - a.length)[0];
  if (hit) return { field: hit, message: m?.[2] ?? rest };
  return mainField ? { field: mainField, message: rest } : undefined;
}
