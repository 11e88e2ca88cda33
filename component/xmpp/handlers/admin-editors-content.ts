/**
 * Editors for canned replies and pre-chat forms: both are lists, edited as text-multi fields of
 * one line per entry (the line format is in each form's instructions).
 */
import type { CannedSet, FormFieldSettings, FormSettings } from '../../services/admin/admin-types.js';
import { multi, textLines } from './data-form.js';
import { fail, type Editor } from './admin-editor.js';

const deskLabel = (id: string, snap: { desks: { id: string; name: string }[] }) => snap.desks.find((d) => d.id === id)?.name ?? id;

const NAME = /^[a-z0-9_-]+$/i;

export function formatCanned(set: CannedSet): string[] {
  return Object.entries(set).map(([name, t]) => `${name}: ${t.replace(/\r?\n/g, ' ')}`);
}

export const cannedEditor: Editor<'canned'> = {
  kind: 'canned',
  noun: 'set of canned replies',
  deletable: (id) => id !== 'global',
  extraIds: (snap) => ['global', ...snap.desks.map((d) => d.id)],
  label: (id, _v, snap) => (id === 'global' ? 'Every desk (global)' : `${deskLabel(id, snap)} only (${id})`),
  instructions: [
    'One reply per line: name: text. A name is one word (a-z, 0-9, _ -).',
    '{customer}, {operator} and {desk} are filled in when a reply is sent. Delete a line to delete that reply.',
    'A desk’s reply wins over a global one of the same name.',
  ],
  mainField: 'replies',
  fields: (set) => [{ var: 'replies', type: 'text-multi', label: 'Canned replies (name: text)', values: formatCanned(set ?? {}) }],
  parse(values, id) {
    const set: CannedSet = {};
    for (const [i, raw] of multi(values, 'replies').split('\n').entries()) {
      const line = raw.trim();
      if (!line) continue;
      const m = /^([^:\s]+)\s*:\s*(.+)$/.exec(line);
      if (!m) return fail('replies', `line ${i + 1} ("${line}"): expected name: text`);
      const name = m[1] as string;
      if (!NAME.test(name)) return fail('replies', `line ${i + 1}: "${name}" is not one word (a-z, 0-9, _ -)`);
      if (name in set) return fail('replies', `line ${i + 1}: "${name}" is given twice`);
      set[name] = m[2] as string;
    }
    return { ok: true, value: { id: id ?? 'global', value: set } };
  },
};

const TYPES: FormFieldSettings['type'][] = ['text', 'email', 'tel', 'textarea', 'select', 'checkbox'];
const VAR = /^[a-z][a-z0-9_-]*$/i;

export function formatFormField(f: FormFieldSettings): string {
  const parts = [f.var, f.type, f.required ? 'required' : 'optional', f.label, f.labelJa ?? ''];
  if (f.options?.length) parts.push(f.options.map((o) => `${o.value}=${o.label}${o.labelJa ? `/${o.labelJa}` : ''}`).join('; '));
  return parts.join(' | ').replace(/ \| $/, '');
}

function parseFormLine(line: string): FormFieldSettings | string {
  const [v = '', type = '', req = '', label = '', labelJa = '', options = '', ...extra] = line.split('|').map((p) => p.trim());
  if (extra.length) return 'too many parts (at most 6, separated by |)';
  if (!VAR.test(v)) return `"${v}" is not a field name (a letter, then a-z, 0-9, _ -)`;
  if (!TYPES.includes(type as FormFieldSettings['type'])) return `type "${type}" is not one of ${TYPES.join(', ')}`;
  if (req !== 'required' && req !== 'optional') return `expected "required" or "optional", not "${req}"`;
  if (!label) return 'the English label is missing';
  const field: FormFieldSettings = { var: v, label, type: type as FormFieldSettings['type'], required: req === 'required' };
  if (labelJa) field.labelJa = labelJa;
  if (type === 'select') {
    const opts = options
      .split(';')
      .map((o) => o.trim())
      .filter(Boolean);
    if (opts.length === 0) return 'a select needs options: value=Label/ラベル; value2=Label2';
    field.options = [];
    for (const o of opts) {
      const m = /^([^=]+)=([^/]+)(?:\/(.+))?$/.exec(o);
      if (!m) return `option "${o}": expected value=Label or value=Label/ラベル`;
      field.options.push({ value: (m[1] as string).trim(), label: (m[2] as string).trim(), ...(m[3] ? { labelJa: m[3].trim() } : {}) });
    }
  } else if (options) return `only a select has options (this is ${type})`;
  return field;
}

export const formEditor: Editor<'form'> = {
  kind: 'form',
  noun: 'pre-chat form',
  deletable: (id) => id !== 'default',
  extraIds: (snap) => ['default', ...snap.desks.map((d) => d.id)],
  label: (id, _v, snap) => (id === 'default' ? 'Default (desks without their own)' : `${deskLabel(id, snap)} (${id})`),
  instructions: [
    'One field per line, in order: name | type | required or optional | label | Japanese label | options',
    `type is one of ${TYPES.join(', ')}; options only for select: value=Label/ラベル; value2=Label2`,
    'Example: topic | select | required | Topic | 件名 | billing=Billing/請求; tech=Technical/技術',
  ],
  mainField: 'fields',
  fields: (form) => [{ var: 'fields', type: 'text-multi', label: 'Fields (one per line)', values: (form ?? []).map(formatFormField) }],
  parse(values, id) {
    const form: FormSettings = [];
    for (const [i, raw] of textLines(multi(values, 'fields')).entries()) {
      const line = raw.trim();
      if (!line) continue;
      const field = parseFormLine(line);
      if (typeof field === 'string') return fail('fields', `line ${i + 1} ("${line}"): ${field}`);
      if (form.some((f) => f.var === field.var)) return fail('fields', `line ${i + 1}: "${field.var}" is given twice`);
      form.push(field);
    }
    return { ok: true, value: { id: id ?? 'default', value: form } };
  },
};
