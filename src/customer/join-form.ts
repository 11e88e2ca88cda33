/**
 * The pre-chat form as the desk accepts it (docs/widget-protocol.md §2): required fields,
 * bounded values, a bounded number of custom fields, page views with http(s) URLs only.
 */
import { DomainError } from '../errors.js';

export const FORM_TYPE_JOIN = 'urn:madoguchi:desk:0#join';
export const MAX_FIELD_CHARS = 1000;
export const MAX_CUSTOM_FIELDS = 20;
export const MAX_PAGES = 50;
/** What the widget adds about the visit; not asked of the customer. */
export const CONTEXT_FIELDS = ['language', 'page_url', 'page_title', 'referrer'] as const;

export interface FormFieldSpec {
  var: string;
  label: string;
  required: boolean;
  /** A select field's allowed values. */
  options?: readonly { value: string }[];
}

export interface PageView {
  url: string;
  title: string;
  at: number;
}

const FIELD_VAR = /^[a-z][a-z0-9_-]{0,63}$/i;

/** Trimmed values of the form, checked against the desk's fields; throws naming the field. */
export function validateJoinForm(raw: Readonly<Record<string, string>>, spec: readonly FormFieldSpec[]): Record<string, string> {
  const known = new Set<string>([...spec.map((f) => f.var), ...CONTEXT_FIELDS]);
  const values: Record<string, string> = {};
  let custom = 0;
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'FORM_TYPE') continue;
    if (!FIELD_VAR.test(name)) throw new DomainError('invalid-form', `Field "${name.slice(0, 64)}" has an invalid name`);
    const v = value.trim();
    if (v.length > MAX_FIELD_CHARS)
      throw new DomainError('invalid-form', `Field "${name}" is too long (at most ${MAX_FIELD_CHARS} characters)`);
    if (!v) continue;
    if (!known.has(name) && ++custom > MAX_CUSTOM_FIELDS)
      throw new DomainError('invalid-form', `Too many custom fields (at most ${MAX_CUSTOM_FIELDS})`);
    values[name] = v;
  }
  for (const f of spec) {
    const value = values[f.var];
    if (f.required && !value) throw new DomainError('invalid-form', `Field "${f.label}" (${f.var}) is required`);
    if (value && f.options && !f.options.some((o) => o.value === value)) {
      throw new DomainError('invalid-form', `Field "${f.label}" (${f.var}) must be one of: ${f.options.map((o) => o.value).join(', ')}`);
    }
  }
  return values;
}

const isHttpUrl = (url: string) => /^https?:\/\/\S+$/i.test(url) && url.length <= 2000;

/** The visit's page views, newest MAX_PAGES kept; anything but http(s) is dropped. */
export function cleanPageViews(pages: readonly { url: string; title: string; at: string | number }[], now: number): PageView[] {
  return pages
    .filter((p) => isHttpUrl(p.url))
    .map((p) => {
      const at = typeof p.at === 'number' ? p.at : Date.parse(p.at);
      return { url: p.url, title: p.title.trim().slice(0, 200), at: Number.isFinite(at) && at <= now ? at : now };
    })
    .slice(-MAX_PAGES);
}

/** One line for the operator: the form beyond name and question (email, custom fields). */
export function formSummary(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .filter(([name]) => name !== 'name' && name !== 'question' && !(CONTEXT_FIELDS as readonly string[]).includes(name))
    .map(([name, value]) => `${name}: ${value.length > 80 ? `${value.slice(0, 79)}…` : value}`)
    .join(' · ');
}
