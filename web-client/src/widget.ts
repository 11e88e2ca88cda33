/**
 * Composes the widget: a Shadow DOM host, the state store, the desk session and the views.
 * The session talks to the desk, the store decides, the views render.
 */
import { createAlerts } from './alerts.js';
import { createChatView } from './chat-view.js';
import { createDeskSession } from './desk-session.js';
import { h, setText } from './dom.js';
import { bellIcon, bellOffIcon } from './icons.js';
import { stringsFor, type Strings } from './i18n.js';
import { createLauncher } from './launcher.js';
import type { WidgetOptions } from './options.js';
import { createPrechatForm, type FormField } from './prechat-form.js';
import { readJson, safeStorage, writeJson } from './storage.js';
import { WIDGET_CSS } from './styles.js';
import { loadStickers } from './stickers.js';
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

export function createWidget(options: WidgetOptions) {
  const strings = stringsFor(options.lang);
  const store = createWidgetStore(strings);
  const local = safeStorage(() => localStorage);
  const alerts = createAlerts(local, options.sound, strings.flashTitle);
  const seen = () => store.get().panelOpen && document.visibilityState === 'visible';
  const visit = safeStorage(() => sessionStorage);
  const openKey = `mdg:open:${options.deskJid}`;
  const session = createDeskSession(options, strings, store, { local, visit, seen, notify: () => alerts.notify(seen()) });

  const form = createPrechatForm(strings, options.lang, options.identity ?? {}, (values, leave) => {
    session.begin(values, leave);
    chat.focus();
  });
  const chat = createChatView(strings, options.sneakPeek, {
    send: session.send,
    retry: session.retry,
    draft: session.draft,
    file: (f) => void session.file(f),
    sticker: session.sticker,
    end() {
      void session.end().then(() => chat.focus());
    },
    newChat() {
      session.newChat();
      form.focus();
    },
    rate: (score, comment) => void session.rate(score, comment),
    transcript: () => void session.transcript(),
    emailTranscript: () => void session.emailTranscript(),
  });

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
  const launcher = createLauncher(strings, options, () => toggle(!store.get().panelOpen));
  const frame = h('div', { class: 'mdg', lang: options.lang, 'data-position': options.position }, panel, launcher.el);

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
      alerts.stopFlash();
      session.markRead();
      (store.get().phase === 'idle' && !skipsForm(store.get()) ? form : chat).focus();
    } else launcher.el.focus();
  }
  minimise.addEventListener('click', () => toggle(false));
  panel.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') toggle(false);
  });
  document.addEventListener('visibilitychange', () => {
    if (seen()) session.markRead();
  });

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

  return {
    /** Renders into a Shadow DOM host appended to `parent`, and connects. */
    mount(parent: HTMLElement): HTMLElement {
      const host = h('div', { 'data-madoguchi': options.deskJid });
      host.style.setProperty('--mdg-color', options.color);
      const root = host.attachShadow({ mode: 'open' });
      root.append(h('style', {}, WIDGET_CSS), frame);
      renderSound();
      // A chat going on when the last page was left reopens with the panel (without taking the focus).
      if (readJson<boolean>(visit, openKey, false) && store.isLive()) store.set({ panelOpen: true });
      render(store.get());
      parent.append(host);
      void loadForm(options).then((fields) => fields && form.setFields(fields));
      void loadStickers(options).then(chat.setStickers);
      session.start();
      return host;
    },
    stop: () => session.stop(),
  };
}
