/**
 * The desk's sticker catalog in the widget (issue 20), pure: which shared URL is a sticker of
 * ours (inline), which only looks like one (a link, never loaded), which is a file.
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
}

const STICKER_PATH = /\/stickers\/[^/]+\/[^/]+\.(png|webp|svg)$/i;

/** How a shared URL is shown: a sticker of ours, a link never loaded (sticker-like but not ours), or a file. */
export function stickerKind(url: string, book: StickerBook): 'sticker' | 'link' | 'file' {
  if (book.find(url)) return 'sticker';
  try {
    return STICKER_PATH.test(new URL(url).pathname) ? 'link' : 'file';
  } catch {
    return 'link';
  }
}

export function createStickerBook(): StickerBook & { fill(list: StickerInfo[]): void } {
  const byUrl = new Map<string, StickerInfo>();
  return {
    ready: false,
    list: [],
    find: (url) => byUrl.get(url),
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
