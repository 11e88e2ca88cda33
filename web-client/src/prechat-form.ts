/** The pre-chat form: name and first question (the name goes out as the XEP-0172 nick). */
import { h } from './dom.js';
import type { Strings } from './i18n.js';
import type { WidgetState } from './widget-state.js';

const NAME_MAX = 64;
const QUESTION_MAX = 2000;

export function createPrechatForm(strings: Strings, onStart: (name: string, question: string) => void) {
  const name = h('input', { id: 'mdg-name', name: 'name', type: 'text', autocomplete: 'name', required: true, maxlength: String(NAME_MAX) });
  const question = h('textarea', { id: 'mdg-question', name: 'question', rows: '3', required: true, maxlength: String(QUESTION_MAX) });
  const submit = h('button', { type: 'submit', class: 'primary' }, strings.startChat);
  const note = h('p', { class: 'note' }, strings.closedNote);
  const el = h('form', { class: 'prechat' },
    note,
    h('label', { for: 'mdg-name' }, strings.nameLabel), name,
    h('label', { for: 'mdg-question' }, strings.questionLabel), question,
    submit);

  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = name.value.trim();
    const q = question.value.trim();
    if (!n) return name.focus();
    if (!q) return question.focus();
    question.value = '';
    onStart(n, q);
  });
  // Enter sends the question; Shift+Enter starts a new line.
  question.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      el.requestSubmit();
    }
  });

  return {
    el,
    render(state: WidgetState): void {
      el.hidden = state.phase !== 'idle';
      note.hidden = state.desk?.mode !== 'closed';
    },
    focus(): void {
      (name.value ? question : name).focus();
    },
  };
}
