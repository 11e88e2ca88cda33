/**
 * The pre-chat form: the desk's fields (config widget.form, served at GET
 * /api/widget/form?desk=…), required ones enforced. When the desk is closed the same form
 * leaves a message instead (docs/widget-protocol.md §2 and §6). `name` is also the nick.
 */
import type { FieldPreset } from './host-types.js';
import { h, setText } from './dom.js';
import type { Strings } from './i18n.js';
import type { Lang } from './options.js';
import { skipsForm, type WidgetState } from './widget-state.js';

export interface FormField {
  var: string;
  label: string;
  labelJa?: string;
  type: 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'checkbox';
  required: boolean;
  /** A select field's choices (e.g. the topic). */
  options?: { value: string; label: string; labelJa?: string }[];
}

export const DEFAULT_FORM: FormField[] = [
  { var: 'name', label: 'Name', labelJa: 'お名前', type: 'text', required: true },
  { var: 'email', label: 'Email', labelJa: 'メールアドレス', type: 'email', required: false },
  { var: 'question', label: 'Your question', labelJa: 'ご質問', type: 'textarea', required: true },
];
const MAX_VALUE = 1000;
const AUTOCOMPLETE: Record<string, string> = { name: 'name', email: 'email', phone: 'tel', tel: 'tel' };

export function createPrechatForm(
  strings: Strings,
  lang: Lang,
  /** What the site said about the customer (issue 20): fills the empty name and email. */
  prefill: { name?: string; email?: string },
  onSubmit: (values: Record<string, string>, leave: boolean) => void,
) {
  const given: Record<string, string | undefined> = { name: prefill.name, email: prefill.email };
  const note = h('p', { class: 'note' });
  const fieldsBox = h('div', { class: 'fields' });
  const submit = h('button', { type: 'submit', class: 'primary' }, strings.startChat);
  const error = h('p', { class: 'form-error', role: 'alert' });
  const el = h('form', { class: 'prechat', novalidate: true }, note, fieldsBox, error, submit);
  let fields: FormField[] = [];
  let inputs: (HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement)[] = [];
  let leave = false;
  /** The host page's pre-filled and hidden fields (Madoguchi.setFields). */
  let presets: Record<string, FieldPreset> = {};
  const nodes = new Map<string, HTMLElement[]>();

  /** A preset hides its field only when that leaves the form valid (a required field needs its value). */
  function applyPresets(): void {
    for (const [i, f] of fields.entries()) {
      const p = presets[f.var];
      const input = inputs[i];
      if (!input) continue;
      const hide = Boolean(p?.hidden) && (!f.required || (input.value.trim() !== '' && input.type !== 'checkbox'));
      for (const n of nodes.get(f.var) ?? []) n.hidden = hide;
    }
  }

  function setFields(next: FormField[]): void {
    const focused = inputs.find((i) => (el.getRootNode() as Document | ShadowRoot).activeElement === i)?.name;
    nodes.clear();
    const kept = new Map(inputs.map((i) => [i.name, i instanceof HTMLInputElement && i.type === 'checkbox' ? String(i.checked) : i.value]));
    fields = next;
    inputs = [];
    fieldsBox.replaceChildren(
      ...next.flatMap((f) => {
        const id = `mdg-f-${f.var}`;
        const common = {
          id,
          name: f.var,
          required: f.required,
          maxlength: String(MAX_VALUE),
          'aria-required': f.required ? 'true' : undefined,
        };
        const choice = (o: NonNullable<FormField['options']>[number]) =>
          h('option', { value: o.value }, (lang === 'ja' && o.labelJa) || o.label);
        const input =
          f.type === 'textarea'
            ? h('textarea', { ...common, rows: '3' })
            : f.type === 'select'
              ? h(
                  'select',
                  { id, name: f.var, required: f.required, 'aria-required': common['aria-required'] },
                  h('option', { value: '' }, '—'),
                  ...(f.options ?? []).map(choice),
                )
              : h('input', { ...common, type: f.type, autocomplete: AUTOCOMPLETE[f.var] ?? 'off' });
        if (f.type === 'checkbox') {
          // A ticked box sends "true" (e.g. consent to mail: config mail.consentField); unticked sends nothing.
          const box = h('input', { id, name: f.var, type: 'checkbox', value: 'true', required: f.required });
          box.checked = kept.get(f.var) === 'true';
          inputs.push(box);
          const text = (lang === 'ja' && f.labelJa) || f.label;
          const label = h('label', { for: id, class: 'checkbox' }, box, ` ${text}`);
          nodes.set(f.var, [label]);
          return [label];
        }
        input.value = kept.get(f.var) || presets[f.var]?.value || given[f.var] || '';
        if (f.type === 'textarea')
          input.addEventListener('keydown', (ev) => {
            const k = ev as KeyboardEvent;
            if (k.key === 'Enter' && !k.shiftKey && !k.isComposing) {
              k.preventDefault();
              el.requestSubmit();
            }
          });
        inputs.push(input);
        const text = (lang === 'ja' && f.labelJa) || f.label;
        const label = h('label', { for: id }, text, f.required ? h('span', { class: 'req' }, ` ${strings.required}`) : null);
        nodes.set(f.var, [label, input]);
        return [label, input];
      }),
    );
    applyPresets();
    // The desk's fields can arrive after the panel opened: the focus stays where it was.
    if (focused) inputs.find((i) => i.name === focused)?.focus();
  }
  setFields(DEFAULT_FORM);
  fieldsBox.addEventListener('input', (ev) => {
    (ev.target as HTMLElement).removeAttribute('aria-invalid');
    setText(error, '');
  });

  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values: Record<string, string> = {};
    for (const [i, f] of fields.entries()) {
      const input = inputs[i];
      const value =
        input instanceof HTMLInputElement && input.type === 'checkbox' ? (input.checked ? 'true' : '') : (input?.value ?? '').trim();
      if (f.required && !value) {
        setText(error, strings.fieldRequired((lang === 'ja' && f.labelJa) || f.label));
        input?.setAttribute('aria-invalid', 'true');
        input?.focus();
        return;
      }
      input?.removeAttribute('aria-invalid');
      if (value) values[f.var] = value;
    }
    setText(error, '');
    const question = inputs.find((i) => i.name === 'question');
    if (question) question.value = '';
    onSubmit(values, leave);
  });

  return {
    el,
    setFields,
    /** Pre-fills and hides fields for the host page; a value given here replaces what the field holds. */
    preset(next: Record<string, FieldPreset>): void {
      presets = { ...next };
      for (const input of inputs) {
        const v = presets[input.name]?.value;
        if (v === undefined) continue;
        if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = v === 'true';
        else input.value = v;
      }
      applyPresets();
    },
    render(state: WidgetState): void {
      el.hidden = state.phase !== 'idle' || skipsForm(state);
      leave = state.desk?.mode === 'closed';
      el.dataset.mode = leave ? 'leave' : 'join';
      setText(note, leave ? strings.leaveNote : '');
      note.hidden = !leave;
      setText(submit, leave ? strings.leaveSubmit : strings.startChat);
    },
    focus(): void {
      const shown = inputs.filter((i) => !nodes.get(i.name)?.some((n) => n.hidden));
      (shown.find((i) => !i.value) ?? shown[0])?.focus();
    },
  };
}
