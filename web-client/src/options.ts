/**
 * The widget's options, read from the <script> tag's data-* attributes (pure: the caller
 * passes the dataset). Everything is validated, so no attribute can inject CSS or markup.
 *
 * <script src="/widget.js" data-desk="support" data-ws="ws://localhost:5280/xmpp-websocket"
 *   data-domain="guest.localhost" data-component="support.localhost" data-lang="en|ja"
 *   data-title="…" data-color="#…" data-position="right|left" data-logo="https://…/logo.png"
 *   data-label-open="…" data-label-busy="…" data-label-closed="…"
 *   data-image-open="…" data-image-busy="…" data-image-closed="…"
 *   data-sneak-peek="on" data-sound="off" data-portal="https://…" data-upload="upload.example"
 *   data-user-id="…" data-user-name="…" data-user-email="…" data-user-signature="…"></script>
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
  /** A logo in the panel's header (http(s) or same-site URL). */
  logo?: string;
  /** Per-state button labels and images (CHATS: away / waiting / busy), overriding the defaults. */
  labels: Partial<Record<ButtonMode, string>>;
  images: Partial<Record<ButtonMode, string>>;
  /** XEP-0301 sneak peek of the draft, only when the site turns it on. */
  sneakPeek: boolean;
  /** Sound alerts start on unless the site says data-sound="off" (the customer can toggle). */
  sound: boolean;
  /** The portal serving widget.js and /api/widget/form (default: where widget.js came from). */
  portalUrl?: string;
  /** The XEP-0363 upload service, when the guest domain does not list one in disco#items. */
  uploadService?: string;
  /**
   * Who the host site says the customer is (issue 20): Madoguchi.identify() of the loader, or
   * data-user-*; `signature` is the site backend's HMAC (README "Verified identity").
   */
  identity?: WidgetIdentity;
}

export interface WidgetIdentity {
  userId: string;
  name?: string;
  email?: string;
  signature?: string;
}

export type ButtonMode = 'open' | 'busy' | 'closed';

/** A usable identity or none: a user id is required, lengths are the desk's bounds, the signature is hex. */
export function readIdentity(
  raw: { userId?: unknown; name?: unknown; email?: unknown; signature?: unknown } | undefined,
): WidgetIdentity | undefined {
  const text = (v: unknown, max: number) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim().slice(0, max) : '');
  const userId = text(raw?.userId, 256);
  if (!userId) return undefined;
  const name = text(raw?.name, 100);
  const email = text(raw?.email, 254);
  const signature = text(raw?.signature, 64);
  return {
    userId,
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    ...(/^[0-9a-f]{64}$/i.test(signature) ? { signature } : {}),
  };
}
const MODES: ButtonMode[] = ['open', 'busy', 'closed'];

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

/** http(s) URLs, or paths on the page's own site; never javascript:, data: or CSS. */
export function safeUrl(value: string | undefined, base?: string): string | undefined {
  const v = (value ?? '').trim();
  if (!v) return undefined;
  try {
    const url = new URL(v, base ?? 'http://invalid.invalid/');
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (!base && url.host === 'invalid.invalid') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({ [key]: value } as Record<K, string>) : {});

const pick = (value: string | undefined, valid: RegExp, fallback: string): string =>
  value !== undefined && valid.test(value.trim()) ? value.trim() : fallback;

/** `data-lang` wins; else the page's language (<html lang>); else English. */
export function pickLang(dataLang: string | undefined, pageLang: string | undefined): Lang {
  const lang = (dataLang || pageLang || 'en').trim().toLowerCase();
  return lang === 'ja' || lang.startsWith('ja-') ? 'ja' : 'en';
}

const perMode = (data: Record<string, string | undefined>, prefix: string, read: (v: string | undefined) => string | undefined) => {
  const out: Partial<Record<ButtonMode, string>> = {};
  for (const mode of MODES) {
    const v = read(data[`${prefix}${mode[0]!.toUpperCase()}${mode.slice(1)}`]);
    if (v) out[mode] = v;
  }
  return out;
};

/** `data` is the script's dataset (data-label-open → labelOpen); `base` resolves relative image URLs. */
export function readOptions(data: Record<string, string | undefined>, pageLang?: string, base?: string): WidgetOptions {
  const desk = pick(data.desk, LOCAL, DEFAULTS.desk).toLowerCase();
  const component = pick(data.component, DOMAIN, DEFAULTS.componentDomain).toLowerCase();
  const ws = (data.ws ?? '').trim();
  const title = (data.title ?? '').trim().slice(0, 60);
  const identity = readIdentity({ userId: data.userId, name: data.userName, email: data.userEmail, signature: data.userSignature });
  return {
    deskJid: `${desk}@${component}`,
    websocketUrl: /^wss?:\/\/[^\s]+$/i.test(ws) ? ws : DEFAULTS.websocketUrl,
    guestDomain: pick(data.domain, DOMAIN, DEFAULTS.guestDomain).toLowerCase(),
    lang: pickLang(data.lang, pageLang),
    ...(title ? { title } : {}),
    color: pick(data.color, COLOR, DEFAULTS.color),
    position: data.position === 'left' ? 'left' : 'right',
    ...optional('logo', safeUrl(data.logo, base)),
    labels: perMode(data, 'label', (v) => (v ?? '').trim().slice(0, 40) || undefined),
    images: perMode(data, 'image', (v) => safeUrl(v, base)),
    sneakPeek: (data.sneakPeek ?? '').trim().toLowerCase() === 'on',
    sound: (data.sound ?? '').trim().toLowerCase() !== 'off',
    ...optional('portalUrl', safeUrl(data.portal, base)?.replace(/\/+$/, '')),
    ...(identity ? { identity } : {}),
    ...optional(
      'uploadService',
      data.upload !== undefined && DOMAIN.test(data.upload.trim()) ? data.upload.trim().toLowerCase() : undefined,
    ),
  };
}
