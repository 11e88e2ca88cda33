/**
 * XEP-0004 data forms for the admin commands: a small typed model, its XML, and the values of a
 * submitted form. Multi-line text travels as one <value/> per line (§3.3 text-multi).
 * References: https://xmpp.org/extensions/xep-0004.html
 */
import { NS_DATA } from '../../protocol/namespaces.js';
import { xml, type Element } from '../../protocol/xml.js';

export type FieldType = 'boolean' | 'fixed' | 'hidden' | 'jid-single' | 'list-multi' | 'list-single' | 'text-multi' | 'text-single';

export interface Field {
  var?: string;
  type: FieldType;
  label?: string;
  desc?: string;
  required?: boolean;
  values: string[];
  options?: { value: string; label: string }[];
}

export interface DataForm {
  type: 'form' | 'result';
  title?: string;
  instructions?: string[];
  fields: Field[];
  /** A multi-item result (§3.4): reported columns and rows of values by var. */
  table?: { columns: { var: string; label: string }[]; rows: Record<string, string>[] };
}

/** The submitted values by var (every <value/> of the field). */
export type Values = Map<string, string[]>;

export const textLines = (text: string): string[] => (text === '' ? [] : text.split(/\r?\n/));

export function renderForm(form: DataForm): Element {
  const x = xml('x', { xmlns: NS_DATA, type: form.type });
  if (form.title) x.append(xml('title', {}, form.title));
  for (const line of form.instructions ?? []) x.append(xml('instructions', {}, line));
  for (const f of form.fields) {
    const el = xml('field', { var: f.var, type: f.type, label: f.label });
    if (f.desc) el.append(xml('desc', {}, f.desc));
    if (f.required && form.type === 'form') el.append(xml('required'));
    for (const v of f.values) el.append(xml('value', {}, v));
    for (const o of form.type === 'form' ? (f.options ?? []) : []) el.append(xml('option', { label: o.label }, xml('value', {}, o.value)));
    x.append(el);
  }
  if (form.table) {
    x.append(xml('reported', {}, ...form.table.columns.map((c) => xml('field', { var: c.var, label: c.label }))));
    for (const row of form.table.rows)
      x.append(xml('item', {}, ...form.table.columns.map((c) => xml('field', { var: c.var }, xml('value', {}, row[c.var] ?? '')))));
  }
  return x;
}

/** The values of a submitted form (type 'submit'); undefined when there is none. */
export function submittedValues(command: Element): Values | undefined {
  const x = command.getChild('x', NS_DATA);
  if (x?.attrs.type !== 'submit') return undefined;
  const values: Values = new Map();
  for (const f of x.getChildren('field')) {
    if (typeof f.attrs.var !== 'string') continue;
    values.set(
      f.attrs.var,
      f.getChildren('value').map((v) => v.text()),
    );
  }
  return values;
}

/** One value, trimmed; '' when absent. */
export const one = (values: Values, v: string): string => (values.get(v)?.[0] ?? '').trim();
/** A text-multi's text: its values joined by newlines (a client may also send one value with newlines). */
export const multi = (values: Values, v: string): string => (values.get(v) ?? []).join('\n').replace(/\r\n/g, '\n');
/** XEP-0004 §3.3 boolean: "1" or "true". */
export const bool = (values: Values, v: string): boolean => ['1', 'true'].includes(one(values, v));

/** The same fields with what was submitted in place of their values (a form shown again after an error). */
export function withSubmitted(fields: Field[], values: Values): Field[] {
  return fields.map((f) => (f.var && f.type !== 'fixed' && values.has(f.var) ? { ...f, values: values.get(f.var) ?? [] } : f));
}
