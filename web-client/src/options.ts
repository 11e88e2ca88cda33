/**
 * The widget's options, read from the <script> tag's data-* attributes (pure: the caller
 * passes the dataset). Everything is validated, so no attribute can inject CSS or markup.
 *
 * <script src="/widget.js" data-desk="support" data-ws="ws://localhost:5280/xmpp-websocket"
 *   data-domain="guest.localhost" data-component="support.localhost" data-lang="en|ja"
 *   data-title="…" data-color="#…" data-position="right|left"></script>
 */

export type Lang = 'en' | 'ja';

export interface WidgetOptions {
  /** The desk's JID, e.g. support@support.localhost. */
  deskJid: string;
  websocketUrl: string;
  /** The anonymous (SASL ANONYMOUS) domain customers log in to. */
  guestDomain: string;
  lang: Lang;
  /** Overrides the localized default title when set. */
  title?: string;
  color: string;
  position: 'right' | 'left';
}

export const DEFAULTS = {
  desk: 'support',
  websocketUrl: 'ws://localhost:5280/xmpp-websocket',
  guestDomain: 'guest.localhost',
  componentDomain: 'support.localhost',
  color: '#1d4ed8',
} as const;

const DOMAIN = /^[a-z0-9.-]+$/i;
const LOCAL = /^[a-z0-9._-]+$/i;
const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

const pick = (value: string | undefined, valid: RegExp, fallback: string): string =>
  value !== undefined && valid.test(value.trim()) ? value.trim() : fallback;

/** `data-lang` wins; else the page's language (<html lang>); else English. */
export function pickLang(dataLang: string | undefined, pageLang: string | undefined): Lang {
  const lang = (dataLang || pageLang || 'en').trim().toLowerCase();
  return lang === 'ja' || lang.startsWith('ja-') ? 'ja' : 'en';
}

export function readOptions(data: Record<string, string | undefined>, pageLang?: string): WidgetOptions {
  const desk = pick(data.desk, LOCAL, DEFAULTS.desk).toLowerCase();
  const component = pick(data.component, DOMAIN, DEFAULTS.componentDomain).toLowerCase();
  const ws = (data.ws ?? '').trim();
  const title = (data.title ?? '').trim().slice(0, 60);
  return {
    deskJid: `${desk}@${component}`,
    websocketUrl: /^wss?:\/\/[^\s]+$/i.test(ws) ? ws : DEFAULTS.websocketUrl,
    guestDomain: pick(data.domain, DOMAIN, DEFAULTS.guestDomain).toLowerCase(),
    lang: pickLang(data.lang, pageLang),
    ...(title ? { title } : {}),
    color: pick(data.color, COLOR, DEFAULTS.color),
    position: data.position === 'left' ? 'left' : 'right',
  };
}
