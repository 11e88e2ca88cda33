/**
 * Waiting and chatting: ticket and place in line (or the operator's name), the
 * conversation, the operator's typing indicator, the composer and the end-chat button.
 */
import { h, setText } from './dom.js';
import type { Strings } from './i18n.js';
import { createMessageLog } from './message-log.js';
import type { WidgetState } from './widget-state.js';

export interface ChatActions {
  send(text: string): void;
  draft(text: string): void;
  end(): void;
  newChat(): void;
}

const MESSAGE_MAX = 10_000;

function statusLine(strings: Strings, s: WidgetState): string {
  switch (s.phase) {
    case 'joining': return strings.joining;
    case 'waiting': return s.ticket === undefined ? strings.joining : strings.waiting(s.ticket, s.position ?? 1, s.minutes ?? null);
    case 'chatting': return s.operator ? strings.chattingWith(s.operator) : '';
    default: return '';
  }
}

export function createChatView(strings: Strings, actions: ChatActions) {
  const status = h('p', { class: 'chat-status', role: 'status' });
  const log = createMessageLog(strings);
  const typing = h('p', { class: 'typing', 'aria-live': 'polite' });
  const input = h('textarea', { id: 'mdg-message', rows: '2', maxlength: String(MESSAGE_MAX), placeholder: strings.messagePlaceholder });
  const send = h('button', { type: 'submit', class: 'primary' }, strings.send);
  const composer = h('form', { class: 'composer' },
    h('label', { for: 'mdg-message', class: 'sr-only' }, strings.messageLabel), input, send);
  const end = h('button', { type: 'button', class: 'end' }, strings.endChat);
  const again = h('button', { type: 'button', class: 'primary new-chat' }, strings.newChat);
  const el = h('div', { class: 'chat' }, status, log.el, typing, composer, h('div', { class: 'actions' }, end, again));

  composer.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    actions.send(text);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      composer.requestSubmit();
    }
  });
  input.addEventListener('input', () => actions.draft(input.value));
  end.addEventListener('click', () => actions.end());
  again.addEventListener('click', () => actions.newChat());

  return {
    el,
    render(s: WidgetState): void {
      el.hidden = s.phase === 'idle';
      el.dataset.phase = s.phase;
      setText(status, statusLine(strings, s));
      status.hidden = status.textContent === '';
      log.render(s.lines);
      setText(typing, s.phase === 'chatting' && s.operatorTyping && s.operator ? strings.typing(s.operator) : '');
      const ended = s.phase === 'ended';
      composer.hidden = ended;
      end.hidden = ended;
      again.hidden = !ended;
    },
    focus(): void {
      (input.closest('form')?.hidden ? again : input).focus();
    },
  };
}
