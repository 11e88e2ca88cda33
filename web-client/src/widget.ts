/**
 * Composes the widget: a Shadow DOM host, the state store, the desk connection and the
 * views. The connection reports, desk-text.ts interprets, the store decides, views render.
 */
import { createChatView } from './chat-view.js';
import { createDeskConnection } from './desk-connection.js';
import { parseDeskNotice, parseDeskPresence } from './desk-text.js';
import { h, setText } from './dom.js';
import { stringsFor } from './i18n.js';
import { createLauncher } from './launcher.js';
import type { WidgetOptions } from './options.js';
import { createPrechatForm } from './prechat-form.js';
import { WIDGET_CSS } from './styles.js';
import { createTypingNotifier } from './typing-notifier.js';
import { createWidgetStore, type WidgetState } from './widget-state.js';

function deskLine(strings: ReturnType<typeof stringsFor>, s: WidgetState): string {
  switch (s.desk?.mode) {
    case 'open': return strings.deskOpen;
    case 'busy': return strings.deskBusy(s.desk.waiting, s.desk.minutes);
    case 'closed': return strings.deskClosed;
    default: return strings.launcher.connecting;
  }
}

export function createWidget(options: WidgetOptions) {
  const strings = stringsFor(options.lang);
  const store = createWidgetStore(strings);
  let nick = '';

  const conn = createDeskConnection(
    { websocketUrl: options.websocketUrl, guestDomain: options.guestDomain, deskJid: options.deskJid, lang: options.lang },
    {
      online(again) {
        if (again) store.reconnected();
        store.set({ online: true });
      },
      offline: () => store.set({ online: false, desk: undefined }), // unknown until the desk speaks again
      presence: (p) => store.set({ desk: parseDeskPresence(p) }),
      message({ resource, body }) {
        const notice = parseDeskNotice(resource, body);
        if (notice) store.notice(notice);
        else if (resource) store.operatorSaid(resource, body);
        else store.deskSaid(body);
      },
      chatState({ resource, state }) {
        if (resource) store.set({ operatorTyping: state === 'composing' });
      },
      failed: (reason) => store.deskSaid(strings.notDelivered(reason)),
    },
  );
  const typing = createTypingNotifier((state) => {
    if (store.get().phase === 'chatting') conn.chatState(state);
  });

  const send = (text: string) => {
    typing.sent();
    store.sent(text);
    conn.say(text, nick); // the nick rides on every message, so a re-join keeps the name
  };
  const form = createPrechatForm(strings, (name, question) => {
    nick = name;
    send(question);
    chat.focus();
  });
  const chat = createChatView(strings, {
    send,
    draft: (text) => typing.input(text),
    end() {
      typing.reset();
      conn.leave();
      store.left();
      chat.focus();
    },
    newChat() {
      store.newChat();
      form.focus();
    },
  });

  const title = h('h2', { id: 'mdg-title' }, options.title ?? strings.title);
  const deskStatus = h('p', { class: 'desk-status' });
  const minimise = h('button', { type: 'button', class: 'minimise', 'aria-label': strings.minimise, title: strings.minimise }, '–');
  const panel = h('section', { id: 'mdg-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'mdg-title' },
    h('header', {}, h('div', { class: 'titles' }, title, deskStatus), minimise), form.el, chat.el);
  const launcher = createLauncher(strings, () => toggle(!store.get().panelOpen));
  const frame = h('div', { class: 'mdg', 'data-position': options.position }, panel, launcher.el);

  function toggle(open: boolean): void {
    store.set({ panelOpen: open });
    if (open) (store.get().phase === 'idle' ? form : chat).focus();
    else launcher.el.focus();
  }
  minimise.addEventListener('click', () => toggle(false));
  panel.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') toggle(false);
  });

  function render(s: WidgetState): void {
    launcher.render(s);
    panel.hidden = !s.panelOpen;
    setText(deskStatus, deskLine(strings, s));
    deskStatus.hidden = s.phase !== 'idle';
    form.render(s);
    chat.render(s);
  }
  store.subscribe(render);

  return {
    /** Renders into a Shadow DOM host appended to `parent`, and connects. */
    mount(parent: HTMLElement): HTMLElement {
      const host = h('div', { 'data-madoguchi': options.deskJid });
      host.style.setProperty('--mdg-color', options.color);
      const root = host.attachShadow({ mode: 'open' });
      root.append(h('style', {}, WIDGET_CSS), frame);
      render(store.get());
      parent.append(host);
      conn.start();
      return host;
    },
    stop: () => conn.stop(),
  };
}
