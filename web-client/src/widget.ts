/**
 * Composes the chat (the chunk the loader loads, chat-main.ts): the state store, the desk session
 * and the panel's views, in the loader's Shadow DOM beside its button (chat-contract.ts). The
 * session talks to the desk, the store decides, the views render; the host page hears events.
 */
import { createAlerts } from './alerts.js';
import { createChatView } from './chat-view.js';
import { createDeskSession } from './desk-session.js';
import { h, setText } from './dom.js';
import { bellIcon, bellOffIcon } from './icons.js';
import { stringsFor, type Strings } from './i18n.js';
import type { ChatController, ChatShell } from './chat-contract.js';
import type { HostState } from './host-types.js';
import { chatInProgress, leftKey } from './loader/live-chat.js';
import type { WidgetOptions } from './options.js';
import { createPrechatForm, type FormField } from './prechat-form.js';
import { readJson, writeJson } from './storage.js';
import { WIDGET_CSS } from './styles.js';
import { fileOrigin, loadStickers } from './stickers.js';
import { createWidgetStore, skipsForm, type WidgetState } from './widget-state.js';

/** The desk's next opening in the customer's own time zone (the browser's), e.g. "Monday 17:00 GMT+9". */
function localOpening(iso: string, lang: string): string {
  const parts = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  // Assembled from parts: browsers' ICU versions differ in the punctuation between them.
  return `${part('weekday')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

function deskLine(strings: Strings, s: WidgetState, lang: string): string {
  switch (s.desk?.mode) {
    case 'open':
      return strings.deskOpen;
    case 'busy':
      return strings.deskBusy(s.desk.waiting, s.desk.minutes);
    case 'closed':
      return s.desk.opensAt ? strings.deskClosedUntil(localOpening(s.desk.opensAt, lang)) : strings.deskClosed;
    default:
      return strings.launcher.connecting;
  }
}

/** The desk's pre-chat fields from the portal; the defaults when it cannot say. */
async function loadForm(options: WidgetOptions): Promise<FormField[] | undefined> {
  if (!options.portalUrl) return undefined;
  try {
    const desk = options.deskJid.split('@')[0] ?? '';
    const res = await fetch(`${options.portalUrl}/api/widget/form?desk=${encodeURIComponent(desk)}`);
    const body = (await res.json()) as { fields?: FormField[] };
    return res.ok && Array.isArray(body.fields) && body.fields.length ? body.fields : undefined;
  } catch {
    return undefined;
  }
}

export function createWidget(options: WidgetOptions, shell: ChatShell): ChatController {
  const strings = stringsFor(options.lang);
  const store = createWidgetStore(strings);
  const { local, visit, launcher, emit } = shell;
  const alerts = createAlerts(local, options.sound, strings.flashTitle);
  const seen = () => store.get().panelOpen && document.visibilityState === 'visible';
  const openKey = `mdg:open:${options.deskJid}`;
  let unread = 0;
  const setUnread = (n: number) => {
    if (n !== unread) emit('unread', (unread = n));
  };
  const notify = () => {
    alerts.notify(seen());
    if (!seen()) setUnread(unread + 1);
  };
  // The session (StanzaJS: the costliest part of mounting) starts once the panel is on screen,
  // unless there is a chat to restore (below).
  let session: ReturnType<typeof createDeskSession> | undefined;
  const startSession = () => {
    if (session || stopped) return;
    session = createDeskSession(options, strings, store, {
      local,
      visit,
      seen,
      notify,
      uploaded: (url) => chat.trustFiles(fileOrigin(url)),
    });
    session.start();
  };
  let stopped = false;

  const form = createPrechatForm(strings, options.lang, options.identity ?? {}, (values, leave) => {
    session?.begin(values, leave);
    chat.focus();
  });
  const chat = createChatView(strings, options.sneakPeek, {
    send: (text) => session?.send(text),
    retry: (id) => session?.retry(id),
    draft: (text) => session?.draft(text),
    file: (f) => void session?.file(f),
    sticker: (url) => session?.sticker(url),
    end() {
      void session?.end().then(() => chat.focus());
    },
    newChat() {
      session?.newChat();
      form.focus();
    },
    rate: (score, comment) => void session?.rate(score, comment),
    transcript: () => void session?.transcript(),
    emailTranscript: () => void session?.emailTranscript(),
  });

  // Files shown (images previewed) only from the server's upload service; any other URL is a plain link (issue 20).
  chat.trustFiles(fileOrigin(options.websocketUrl));

  const title = h('h2', { id: 'mdg-title' }, options.title ?? strings.title);
  const logo = options.logo ? h('img', { class: 'logo', src: options.logo, alt: '' }) : null;
  const deskStatus = h('p', { class: 'desk-status' });
  const sound = h('button', { type: 'button', class: 'icon sound', 'aria-pressed': String(alerts.sound) });
  const minimise = h('button', { type: 'button', class: 'icon minimise', 'aria-label': strings.minimise, title: strings.minimise }, '–');
  const replies = h('ul', { class: 'replies', 'aria-live': 'polite' });
  const panel = h(
    'section',
    { id: 'mdg-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'mdg-title' },
    h('header', {}, logo, h('div', { class: 'titles' }, title, deskStatus), sound, minimise),
    replies,
    form.el,
    chat.el,
  );
  const style = h('style', {}, WIDGET_CSS);

  const renderSound = () => {
    const label = alerts.sound ? strings.soundOn : strings.soundOff;
    sound.setAttribute('aria-pressed', String(alerts.sound));
    sound.setAttribute('aria-label', label);
    sound.title = label;
    sound.replaceChildren(alerts.sound ? bellIcon() : bellOffIcon());
  };
  sound.addEventListener('click', () => {
    alerts.toggleSound();
    renderSound();
  });
  function toggle(open: boolean): void {
    store.set({ panelOpen: open });
    writeJson(visit, openKey, open); // the next page of the site keeps the panel as it was
    if (open) {
      setUnread(0);
      alerts.stopFlash();
      session?.markRead();
      (store.get().phase === 'idle' && !skipsForm(store.get()) ? form : chat).focus();
    } else launcher.el.focus();
  }
  minimise.addEventListener('click', () => toggle(false));
  panel.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') toggle(false);
  });
  const onVisible = () => {
    if (!seen()) return;
    session?.markRead();
    setUnread(0);
  };
  document.addEventListener('visibilitychange', onVisible);

  let shownReplies = 0;
  // Answers to a left message are why the customer came back: open the panel to show them.
  store.subscribe((s) => {
    if (s.replies.length > shownReplies && !s.panelOpen) queueMicrotask(() => toggle(true));
  });
  function render(s: WidgetState): void {
    launcher.render(s);
    panel.hidden = !s.panelOpen;
    setText(deskStatus, deskLine(strings, s, options.lang));
    deskStatus.hidden = s.phase !== 'idle';
    for (const r of s.replies.slice(shownReplies)) {
      replies.append(
        h(
          'li',
          { class: 'reply' },
          h('span', { class: 'who' }, strings.replyFrom(r.operator ?? '', r.ticket)),
          h('span', { class: 'text' }, r.text),
        ),
      );
    }
    shownReplies = s.replies.length;
    replies.hidden = shownReplies === 0;
    form.render(s);
    chat.render(s);
  }
  store.subscribe(render);
  store.subscribe(tellHost(shell, options.deskJid));

  // Mounts into the loader's frame, before its button, and connects.
  shell.root.prepend(style);
  shell.frame.prepend(panel);
  form.preset(shell.presets);
  renderSound();
  if (shell.desk) store.set({ desk: shell.desk }); // the status stream's, until the desk's presence arrives
  // A chat going on, or one kept from before: the session restores it before the first render.
  if (chatInProgress(local, options.deskJid) || local.getItem(`mdg:chat:${options.deskJid}`) !== null) startSession();
  // A chat going on when the last page was left reopens with the panel (without taking the focus).
  if (readJson<boolean>(visit, openKey, false) && store.isLive()) store.set({ panelOpen: true });
  render(store.get());
  void loadForm(options).then((fields) => fields && form.setFields(fields));
  void loadStickers(options).then(chat.setStickers);
  if (!session) {
    requestAnimationFrame(() => setTimeout(startSession, 0));
    setTimeout(startSession, 100); // no frames in a hidden tab
  }

  return {
    toggle,
    isOpen: () => store.get().panelOpen,
    setFields: (presets) => form.preset(presets),
    unmount(): void {
      stopped = true;
      session?.stop();
      document.removeEventListener('visibilitychange', onVisible);
      panel.remove();
      style.remove();
    },
  };
}

/** The host page's events (Madoguchi.on) from the store's changes; a left message is remembered until answered. */
function tellHost(shell: ChatShell, deskJid: string) {
  let before: WidgetState | undefined;
  return (s: WidgetState): void => {
    const was = before;
    before = s;
    const state: HostState = { mode: s.desk?.mode ?? 'connecting', phase: s.phase };
    if (s.desk?.waiting !== undefined) state.waiting = s.desk.waiting;
    if (s.desk?.minutes !== undefined) state.minutes = s.desk.minutes;
    if (s.desk?.opensAt) state.opensAt = s.desk.opensAt;
    shell.emit('state', state);
    if (was && s.panelOpen !== was.panelOpen) shell.emit(s.panelOpen ? 'open' : 'close', undefined);
    if (was && s.phase === 'ended' && was.phase !== 'ended') shell.emit('chat-ended', { ticket: s.ticket });
    const left = readJson<{ ticket?: number; at: number }[]>(shell.local, leftKey(deskJid), []);
    if (was && s.phase === 'left-message' && was.phase !== 'left-message')
      writeJson(shell.local, leftKey(deskJid), [...left, { ticket: s.offlineTicket, at: Date.now() }].slice(-20));
    const answered = new Set(s.replies.slice(was?.replies.length ?? 0).map((r) => r.ticket));
    if (answered.size && left.some((l) => answered.has(l.ticket)))
      writeJson(
        shell.local,
        leftKey(deskJid),
        left.filter((l) => !answered.has(l.ticket)),
      );
  };
}
