/**
 * The desk's sticker catalog in the widget (issue 20), pure: which shared URL is a sticker of
 * ours (inline), which is a file on the XMPP server's own upload service (XEP-0363: previewed
 * when an image), and which is anything else (a plain link, never loaded: an operator's
 * off-site image would tell that site who reads the chat, and when).
 */
import type { Lang } from './options.js';

export interface StickerInfo {
  name: string;
  alt: string;
  url: string;
}

/** A catalog that may still be loading: `find` answers only once it has arrived. */
export interface StickerBook {
  ready: boolean;
  list: StickerInfo[];
  find(url: string): StickerInfo | undefined;
  /** Origins of the server's file service whose files may be loaded (fileOrigin, the widget's own uploads). */
  files: Set<string>;
}

const STICKER_PATH = /\/stickers\/[^/]+\/[^/]+\.(png|webp|svg)$/i;

/**
 * How a shared URL is shown: a sticker of ours; a file on a trusted origin (book.files); else a
 * link never loaded (sticker-like but not ours, or on any other site).
 */
export function stickerKind(url: string, book: StickerBook): 'sticker' | 'link' | 'file' {
  if (book.find(url)) return 'sticker';
  try {
    const u = new URL(url);
    return !STICKER_PATH.test(u.pathname) && book.files.has(u.origin) ? 'file' : 'link';
  } catch {
    return 'link';
  }
}

/**
 * The origin files are served from, for an http(s) URL (an upload slot's) or the server's
 * WebSocket URL (RFC 7395): Prosody serves the WebSocket and mod_http_file_share's slots
 * (XEP-0363) on the same http_external_url, so wss://chat.example:5281/xmpp-websocket →
 * https://chat.example:5281.
 */
export function fileOrigin(websocketUrl: string): string | undefined {
  try {
    const u = new URL(websocketUrl.replace(/^ws(s?):/i, 'http$1:'));
    return /^https?:$/.test(u.protocol) ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export function createStickerBook(): StickerBook & { fill(list: StickerInfo[]): void } {
  const byUrl = new Map<string, StickerInfo>();
  return {
    ready: false,
    list: [],
    find: (url) => byUrl.get(url),
    files: new Set(),
    fill(list) {
      this.list = list;
      for (const s of list) byUrl.set(s.url, s);
      this.ready = true;
    },
  };
}

export function stickersOf(
  packs: { stickers?: { name: string; alt: string; altJa?: string; url: string }[] }[],
  lang: Lang,
): StickerInfo[] {
  return packs
    .flatMap((p) => p.stickers ?? [])
    .filter((s) => typeof s.url === 'string' && /^https?:\/\//i.test(s.url) && typeof s.alt === 'string')
    .map((s) => ({ name: s.name, alt: (lang === 'ja' && s.altJa) || s.alt, url: s.url }));
}
