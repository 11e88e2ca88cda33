/**
 * loader-<hash>.js, the light loader (issue 20) that widget.js (entry.ts) loads: reads the site
 * tag's data-* attributes (tag.ts), draws the live button (status stream, look from the portal),
 * installs the host page's `Madoguchi` API, and loads the chat chunk (StanzaJS and the panel) only when the visitor opens the panel, or at once
 * when a chat is going on. Before any interaction it writes nothing to any storage (consent
 * first): the chunk gets consent-gated stand-ins (gated-storage.ts).
 */
import type { ChatController, ChatModule } from '../chat-contract.js';
import type { FieldPreset, HostEvent, HostState } from '../host-types.js';
import type { DeskPresenceState } from '../desk-presence.js';
import { h } from '../dom.js';
import { stringsFor } from '../i18n.js';
import { createLauncher } from '../launcher.js';
import { LAUNCHER_CSS } from '../launcher-styles.js';
import { readIdentity, readOptions, type WidgetIdentity, type WidgetOptions } from '../options.js';
import { createPageViews } from '../page-views.js';
import { loadChat } from './chunk.js';
import { createGatedStorage, WIDGET_KEY_PREFIX, type GatedStorage } from './gated-storage.js';
import { cleanPresets, createEvents, installHostApi, type HostApi } from './host-api.js';
import { createImpressions } from './impressions.js';
import { chatInProgress } from './live-chat.js';
import { applyLook, fetchLook, type WidgetLookJson } from './look.js';
import { watchDeskStatus } from './status-source.js';
import { siteTag } from './tag.js';

const script = siteTag();
const events = createEvents();

/** True when the storage already holds widget keys: the visitor opened the widget before. */
const used = (s: GatedStorage, get: () => Storage) => {
  try {
    const st = get();
    for (let i = 0; i < st.length; i++) if (st.key(i)?.startsWith(WIDGET_KEY_PREFIX)) return true;
  } catch {
    /* no storage */
  }
  return s.allowed();
};

async function boot() {
  const src = new URL(script?.src || location.href, location.href);
  const data: Record<string, string | undefined> = { ...(script?.dataset ?? {}) };
  let look: WidgetLookJson | undefined;
  let identity: WidgetIdentity | undefined;
  const build = (): WidgetOptions => {
    const o: WidgetOptions = readOptions(data, document.documentElement.lang, src.href);
    // The form, look and status come from the portal that served widget.js, unless data-portal says otherwise.
    if (!o.portalUrl && /^https?:$/.test(src.protocol)) o.portalUrl = src.origin;
    if (identity) o.identity = identity;
    if (look) {
      const colors = applyLook(o, data, look, src.href);
      host.style.setProperty('--mdg-bg', colors.background ?? '');
      host.style.setProperty('--mdg-text', colors.text ?? '');
    }
    host.style.setProperty('--mdg-color', o.color);
    return o;
  };
  const host = h('div');
  let options = build();
  if (document.querySelector(`[data-madoguchi="${options.deskJid}"]`)) return undefined; // pasted twice
  host.dataset.madoguchi = options.deskJid;
  const desk = options.deskJid.split('@')[0] ?? 'support';
  const portal = options.portalUrl ?? src.origin;
  const consentRequired = data.consent === 'required';
  let consent: boolean | undefined;
  const gates = () => {
    const l = createGatedStorage(() => localStorage);
    const v = createGatedStorage(() => sessionStorage, data.trackPages === 'on' && !consentRequired);
    // Without a consent manager, an earlier opening on this browser (its keys are there) was the interaction.
    if (!consentRequired && used(l, () => localStorage)) l.allow();
    if (!consentRequired && used(v, () => sessionStorage)) v.allow();
    if (consent) {
      l.allow();
      v.allow();
    }
    return { l, v };
  };
  let { l: local, v: visit } = gates();
  const impressions = createImpressions(portal, desk);

  const root = host.attachShadow({ mode: 'open' });
  const frame = h('div', { class: 'mdg' });
  let chat: ChatController | undefined;
  let mounting: Promise<ChatController> | undefined;
  let presets: Record<string, FieldPreset> = {};
  let deskState: DeskPresenceState | undefined;
  let state: HostState = { mode: 'connecting', phase: 'idle' };
  const newLauncher = () => createLauncher(stringsFor(options.lang), options, () => void setOpen(!(chat?.isOpen() ?? false)));
  let launcher = newLauncher();
  const dress = () => {
    frame.lang = options.lang;
    frame.dataset.position = options.position;
  };
  dress();
  frame.append(launcher.el);
  root.append(h('style', {}, LAUNCHER_CSS), frame);

  const emit = (event: HostEvent, detail: unknown) => {
    if (event === 'state') {
      const s = detail as HostState;
      if (JSON.stringify(s) === JSON.stringify(state)) return;
      state = s;
      if (s.mode !== 'connecting') impressions.shown(s.mode);
    }
    events.emit(event, detail);
  };
  const onDesk = (s: DeskPresenceState) => {
    deskState = s;
    if (chat) return; // the chat chunk draws the button from the desk's presence now
    launcher.render({ desk: s, panelOpen: false });
    emit('state', { ...s, phase: 'idle' });
  };
  let status: { stop(): void } | undefined;
  const watch = () => {
    status?.stop();
    status = watchDeskStatus(portal, desk, onDesk);
  };

  async function mount(m: ChatModule): Promise<ChatController> {
    status?.stop(); // the chunk's XMPP presence keeps the button live from here on
    status = undefined;
    chat = m.mount(options, { frame, root, launcher, local, visit, ...(deskState ? { desk: deskState } : {}), presets, emit });
    return chat;
  }
  function ensureChat(): Promise<ChatController> {
    if (chat) return Promise.resolve(chat);
    mounting ??= loadChat(src.href)
      .then(mount)
      .finally(() => (mounting = undefined));
    return mounting;
  }
  async function setOpen(open: boolean): Promise<void> {
    if (!open && !chat) return;
    if (open) {
      if (consent !== false && (!consentRequired || consent)) {
        local.allow();
        visit.allow();
      }
      impressions.opened();
    }
    try {
      (await ensureChat()).toggle(open);
    } catch (err) {
      console.warn('Madoguchi: the chat could not be loaded', err);
    }
  }
  function remount(): void {
    const fresh = newLauncher();
    launcher.el.replaceWith(fresh.el);
    launcher = fresh;
    dress();
    if (!chat) return void (deskState ? onDesk(deskState) : launcher.render({ desk: undefined, panelOpen: false }));
    const wasOpen = chat.isOpen();
    chat.unmount();
    chat = undefined;
    void ensureChat().then((c) => wasOpen && c.toggle(true));
  }

  const live = chatInProgress(local, options.deskJid);
  // Page views: with the site's consent (data-track-pages="on") or once the visitor opened the widget in this visit.
  if (!live && visit.allowed()) createPageViews(visit).record({ url: location.href, title: document.title, at: new Date().toISOString() });
  watch();
  // A hidden tab holds no stream (browsers allow six connections per origin over HTTP/1.1, and
  // the portal serves the visible pages); it catches up at once when shown again.
  document.addEventListener('visibilitychange', () => {
    if (chat) return;
    if (document.visibilityState === 'hidden') {
      status?.stop();
      status = undefined;
    } else if (!status) watch();
  });
  look = await fetchLook(portal, desk);
  options = build();
  remount();
  document.body.append(host);
  if (live) void ensureChat();

  return {
    open: () => void setOpen(true),
    close: () => void setOpen(false),
    toggle: () => void setOpen(!(chat?.isOpen() ?? false)),
    setLanguage(lang: string): void {
      if (lang !== 'en' && lang !== 'ja') return;
      data.lang = lang;
      options = build();
      remount();
    },
    identify(i: Partial<WidgetIdentity>): void {
      const before = JSON.stringify(identity ?? null);
      identity = readIdentity(i); // the desk's bounds; the contract 6 field
      options.identity = identity; // the chunk holds this object: its next join carries it (contract 6)
      if (!identity) delete options.identity;
      // The chunk bound its session (the desk's verdict: skip the form, "verified") with the old
      // identity: with no chat going on, mount it again so the new one takes effect now.
      if (chat && JSON.stringify(identity ?? null) !== before && !chatInProgress(local, options.deskJid)) remount();
    },
    setFields(fields: Record<string, unknown>): void {
      presets = { ...presets, ...cleanPresets(fields) };
      chat?.setFields(presets);
    },
    shutdown(): void {
      const wasOpen = chat?.isOpen() ?? false;
      chat?.unmount();
      chat = undefined;
      local.forget();
      visit.forget();
      ({ l: local, v: visit } = gates());
      identity = undefined;
      presets = {};
      options = build();
      remount();
      if (wasOpen) emit('close', undefined);
      state = { mode: 'connecting', phase: 'idle' };
      watch();
    },
    consent(granted: boolean): void {
      consent = granted === true;
      for (const g of [local, visit]) {
        if (consent) g.allow();
        else g.deny();
      }
    },
  };
}

type Widget = NonNullable<Awaited<ReturnType<typeof boot>>>;
const booted = new Promise<Widget | undefined>((resolve) => {
  const start = () =>
    void boot().then(resolve, (err: unknown) => {
      console.warn('Madoguchi:', err);
      resolve(undefined);
    });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
});
// Calls made before the widget is drawn wait for it, in order.
const later =
  <A extends unknown[]>(fn: (w: Widget, ...a: A) => void) =>
  (...a: A) =>
    void booted.then((w) => w && fn(w, ...a));

const existing = (window as unknown as { Madoguchi?: { loader?: boolean } }).Madoguchi;
if (!existing?.loader) {
  const api: HostApi & { loader: true } = {
    loader: true,
    open: later((w) => w.open()),
    close: later((w) => w.close()),
    toggle: later((w) => w.toggle()),
    setLanguage: later((w, lang: string) => w.setLanguage(lang)),
    identify: later((w, i: Partial<WidgetIdentity>) => w.identify(i)),
    setFields: later((w, f: Record<string, unknown>) => w.setFields(f)),
    shutdown: later((w) => w.shutdown()),
    consent: later((w, granted: boolean) => w.consent(granted)),
    on: events.on,
    off: events.off,
  };
  installHostApi(api);
}
