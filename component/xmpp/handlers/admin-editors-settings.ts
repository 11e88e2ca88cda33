/** Editors for the widget's look, the routing knobs (singletons) and a desk's business hours. */
import { formatHours, parseHours } from '../../../src/org/hours-text.js';
import type { ButtonLook, DeskSettings, RoutingSettings, WidgetLook } from '../../services/admin/admin-types.js';
import { multi, one, textLines, type Field } from './data-form.js';
import { fail, intField, text, type Editor } from './admin-editor.js';

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const STATES = ['open', 'busy', 'closed'] as const;
const COLORS = ['primary', 'background', 'text'] as const;
/** An https: URL or a portal path (/assets/...). */
const isImageUrl = (u: string) => u.startsWith('/') || /^https:\/\/[^\s]+$/.test(u);

export const widgetEditor: Editor<'widget'> = {
  kind: 'widget',
  noun: 'widget look',
  singleton: 'default',
  deletable: () => false,
  label: () => 'Widget look',
  instructions: ['Colours as #rrggbb. Images: an https: URL or a portal path (/assets/…). A button without label or image uses the title.'],
  fields: (w) => [
    text('title', 'Title', w?.title, { required: true }),
    text('titleJa', 'Title (ja)', w?.titleJa),
    ...COLORS.map((c) => text(`colors.${c}`, `Colour: ${c}`, w?.colors[c], { required: true })),
    text('logoUrl', 'Logo URL', w?.logoUrl),
    {
      var: 'position',
      type: 'list-single',
      label: 'Position',
      required: true,
      values: [w?.position ?? 'bottom-right'],
      options: ['bottom-right', 'bottom-left'].map((p) => ({ value: p, label: p })),
    },
    ...STATES.flatMap((s) => [
      text(`button.${s}.label`, `Button when ${s}: label`, w?.button[s].label),
      text(`button.${s}.labelJa`, `Button when ${s}: label (ja)`, w?.button[s].labelJa),
      text(`button.${s}.imageUrl`, `Button when ${s}: image URL`, w?.button[s].imageUrl),
    ]),
  ],
  parse(values) {
    const title = one(values, 'title');
    if (!title) return fail('title', 'is required');
    const colors = {} as WidgetLook['colors'];
    for (const c of COLORS) {
      const v = one(values, `colors.${c}`);
      if (!COLOR.test(v)) return fail(`colors.${c}`, `"${v}" is not a colour like #1a73e8`);
      colors[c] = v;
    }
    const logoUrl = one(values, 'logoUrl');
    if (logoUrl && !isImageUrl(logoUrl)) return fail('logoUrl', 'expected an https: URL or a path starting with /');
    const position = one(values, 'position');
    if (position !== 'bottom-right' && position !== 'bottom-left') return fail('position', 'expected bottom-right or bottom-left');
    const button = {} as WidgetLook['button'];
    for (const s of STATES) {
      const look: ButtonLook = {};
      const label = one(values, `button.${s}.label`);
      const labelJa = one(values, `button.${s}.labelJa`);
      const imageUrl = one(values, `button.${s}.imageUrl`);
      if (imageUrl && !isImageUrl(imageUrl)) return fail(`button.${s}.imageUrl`, 'expected an https: URL or a path starting with /');
      if (label) look.label = label;
      if (labelJa) look.labelJa = labelJa;
      if (imageUrl) look.imageUrl = imageUrl;
      button[s] = look;
    }
    const value: WidgetLook = { title, colors, position, button };
    const titleJa = one(values, 'titleJa');
    if (titleJa) value.titleJa = titleJa;
    if (logoUrl) value.logoUrl = logoUrl;
    return { ok: true, value: { id: 'default', value } };
  },
};

const KNOBS: [keyof RoutingSettings, string, number, number][] = [
  ['graceSeconds', 'Grace for an operator gone offline (seconds)', 0, 86_400],
  ['defaultMaxChats', 'Default max chats per operator', 1, 9],
  ['maxChatsLimit', 'Highest !max by default', 1, 9],
  ['customerGraceSeconds', 'Grace for a customer gone offline (seconds)', 0, 86_400],
  ['reassignUnansweredSeconds', 'Reassign a chat unanswered for (seconds; 0 = never)', 0, 86_400],
];

export const routingEditor: Editor<'routing'> = {
  kind: 'routing',
  noun: 'routing settings',
  singleton: 'default',
  deletable: () => false,
  label: () => 'Routing',
  fields: (r) => KNOBS.map(([k, label]) => text(k, label, r === undefined ? undefined : String(r[k]), { required: true })),
  parse(values) {
    const value = {} as RoutingSettings;
    for (const [k, , min, max] of KNOBS) {
      const n = intField(values, k, min, max, true);
      if (typeof n !== 'number') return fail(k, n ?? 'is required');
      value[k] = n;
    }
    return { ok: true, value: { id: 'default', value } };
  },
};

/** A desk's hours: the desk entity, with only `hours` changed. */
export const hoursEditor: Editor<'desk'> = {
  kind: 'desk',
  noun: 'desk',
  deletable: () => false,
  label: (id, d) => `${d?.name ?? id} (${id})`,
  instructions: [
    'One line per weekday or date: "mon 09:00-12:00 13:00-18:00", "sat closed", "2026-12-24 closed", "2026-12-31 10:00-15:00".',
    'A weekday without a line is closed. Leave every line empty for no business hours (open whenever an operator is on).',
  ],
  mainField: 'hours',
  fields: (d): Field[] => [
    text('timeZone', 'Time zone of the hours (IANA)', d?.hours?.timeZone ?? d?.timeZone ?? 'UTC', { required: true }),
    text('zoneLabel', 'Zone name shown to customers (e.g. JST; empty: automatic)', d?.hours?.zoneLabel),
    {
      var: 'hours',
      type: 'text-multi',
      label: 'Hours (one line per day or date)',
      values: d?.hours ? textLines(formatHours(d.hours)) : [],
    },
  ],
  parse(values, id, current) {
    if (!current || !id) return fail('hours', 'no such desk');
    const hoursText = multi(values, 'hours');
    const { hours: _old, ...rest } = current;
    if (!hoursText.trim()) return { ok: true, value: { id, value: rest } };
    const parsed = parseHours(hoursText, one(values, 'timeZone'));
    if (!parsed.ok) return fail(parsed.error.startsWith('time zone') ? 'timeZone' : 'hours', parsed.error);
    const zoneLabel = one(values, 'zoneLabel');
    if (zoneLabel.length > 16) return fail('zoneLabel', 'at most 16 characters');
    const value: DeskSettings = { ...rest, hours: { ...parsed.hours, ...(zoneLabel ? { zoneLabel } : {}) } };
    return { ok: true, value: { id, value } };
  },
};
