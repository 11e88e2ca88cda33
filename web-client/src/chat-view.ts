/**
 * Waiting and chatting: ticket, place in line and wait (or the operator's name), the
 * conversation, the operator's typing, the composer (text, a picked or pasted file, a sticker),
 * the sneak-peek notice, "End chat"; after the end the rating and the transcript download.
 * A verified customer (issue 20) starts here, without the form: the first message joins.
 */
import { h, setText } from './dom.js';
import { paperclipIcon } from './icons.js';
import type { Strings, WaitMinutes } from './i18n.js';
import { createMessageLog } from './message-log.js';
import { createRatingView } from './rating-view.js';
import { createStickerBook, createStickerPanel, type StickerInfo } from './stickers.js';
import { skipsForm, type WidgetState } from './widget-state.js';

export interface ChatActions {
  send(text: string): void;
  /** Send again a message shown as not sent. */
  retry(id: string): void;
  draft(text: string): void;
  file(file: File): void;
  /** Send one of the desk's stickers (its URL, as uploads are sent). */
  sticker(url: string): void;
  end(): void;
  newChat(): void;
  rate(score: number, comment: string): void;
  transcript(): void;
  emailTranscript(): void;
}

/** The desk's limits.maxBodyChars counts code points; a textarea's maxlength counts UTF-16 units (an emoji is 2). */
const MESSAGE_MAX = 10_000;
const MESSAGE_MAX_UTF16 = 2 * MESSAGE_MAX; // never cuts a body the desk accepts; the desk refuses longer ones

export const waitMinutes = (seconds: number | null | undefined): WaitMinutes =>
  seconds === null || seconds === undefined ? null : Math.ceil(seconds / 60);

function statusLine(strings: Strings, s: WidgetState): string {
  if (skipsForm(s)) return strings.signedIn(s.signedInAs ?? '');
  switch (s.phase) {
    case 'joining':
      return strings.joining;
    case 'waiting':
      return s.ticket === undefined ? strings.joining : strings.waiting(s.ticket, s.position ?? 1, waitMinutes(s.waitSeconds));
    case 'chatting':
      return s.operator ? strings.chattingWith(s.operator) : '';
    case 'left-message':
      return strings.leftMessage(s.offlineTicket);
    default:
      return '';
  }
}

export function createChatView(strings: Strings, sneakPeek: boolean, actions: ChatActions) {
  const status = h('p', { class: 'chat-status', role: 'status' });
  const offline = h('p', { class: 'offline', role: 'status' }, strings.reconnecting);
  const stickers = createStickerBook();
  const log = createMessageLog(strings, (id) => actions.retry(id), stickers);
  const panel = createStickerPanel(strings, (s) => actions.sticker(s.url));
  panel.fill([]);
  let last: WidgetState | undefined;
  const typing = h('p', { class: 'typing', 'aria-live': 'polite' });
  const peek = h('p', { class: 'sneak-peek' }, strings.sneakPeekNotice);
  const input = h('textarea', {
    id: 'mdg-message',
    rows: '2',
    maxlength: String(MESSAGE_MAX_UTF16),
    placeholder: strings.messagePlaceholder,
  });
  const picker = h('input', { type: 'file', id: 'mdg-file', class: 'sr-only', tabindex: '-1' });
  const attach = h('button', { type: 'button', class: 'attach', 'aria-label': strings.attach, title: strings.attach }, paperclipIcon());
  const send = h('button', { type: 'submit', class: 'primary' }, strings.send);
  const composer = h(
    'form',
    { class: 'composer' },
    h('label', { for: 'mdg-message', class: 'sr-only' }, strings.messageLabel),
    attach,
    panel.toggle,
    picker,
    input,
    send,
  );
  const end = h('button', { type: 'button', class: 'end' }, strings.endChat);
  const again = h('button', { type: 'button', class: 'primary new-chat' }, strings.newChat);
  const after = createRatingView(strings, actions);
  const el = h(
    'div',
    { class: 'chat' },
    status,
    offline,
    log.el,
    typing,
    peek,
    panel.grid,
    composer,
    after.el,
    h('div', { class: 'actions' }, end, again),
  );

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
  input.addEventListener('paste', (ev) => {
    const file = [...(ev.clipboardData?.files ?? [])][0];
    if (file) {
      ev.preventDefault();
      actions.file(file);
    }
  });
  attach.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    picker.value = '';
    if (file) actions.file(file);
  });
  end.addEventListener('click', () => actions.end());
  again.addEventListener('click', () => actions.newChat());

  const view = {
    el,
    /** The desk's stickers arrived (stickers.ts): the panel offers them, the log shows ours inline. */
    /** Files on this origin (the server's upload service) are shown, images previewed; others are plain links. */
    trustFiles(origin: string | undefined): void {
      if (origin) stickers.files.add(origin);
    },
    setStickers(list: StickerInfo[]): void {
      stickers.fill(list);
      panel.fill(list);
      log.refresh();
      if (last) view.render(last);
    },
    render(s: WidgetState): void {
      last = s;
      const direct = skipsForm(s);
      el.hidden = s.phase === 'idle' && !direct;
      el.dataset.phase = s.phase;
      setText(status, statusLine(strings, s));
      status.hidden = status.textContent === '';
      offline.hidden = s.online;
      log.render(s.lines);
      setText(
        typing,
        s.uploading ? strings.uploading : s.phase === 'chatting' && s.operatorTyping && s.operator ? strings.typing(s.operator) : '',
      );
      const live = s.phase === 'joining' || s.phase === 'waiting' || s.phase === 'chatting';
      composer.hidden = !live && !direct;
      end.hidden = !live;
      peek.hidden = !live || !sneakPeek;
      attach.disabled = s.uploading || s.phase !== 'chatting';
      attach.setAttribute('aria-busy', String(s.uploading));
      panel.render(s.phase === 'chatting');
      again.hidden = live || direct;
      after.render(s);
    },
    focus(): void {
      (input.closest('form')?.hidden ? again : input).focus();
    },
  };
  return view;
}
