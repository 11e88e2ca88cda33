/**
 * Sticker packs (issue 20) as the desk offers them: config `stickers.packs`, each file served by
 * the portal at <baseUrl>/stickers/<pack>/<file>. One catalog feeds the widget's panel
 * (GET /api/widget/stickers), `!sticker` and the portal's file route, so "one of ours" means
 * the same everywhere: a URL in this catalog, nothing else.
 */

export interface StickerPackConfig {
  id: string;
  name: string;
  stickers: readonly { name: string; file: string; alt: string; altJa?: string }[];
}

export interface Sticker {
  pack: string;
  name: string;
  file: string;
  alt: string;
  altJa?: string;
  /** Absolute: operators' clients fetch it too (XEP-0066). */
  url: string;
}

export interface StickerCatalog {
  packs: { id: string; name: string; stickers: Sticker[] }[];
  byName(name: string): Sticker | undefined;
  /** The sticker at this pack and file (the portal's file route), if configured. */
  file(pack: string, file: string): Sticker | undefined;
}

export const STICKER_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

export function createStickerCatalog(packs: readonly StickerPackConfig[], baseUrl: string): StickerCatalog {
  const base = baseUrl.replace(/\/+$/, '');
  const built = packs.map((p) => ({
    id: p.id,
    name: p.name,
    stickers: p.stickers.map((s) => ({
      pack: p.id,
      name: s.name,
      file: s.file,
      alt: s.alt,
      ...(s.altJa ? { altJa: s.altJa } : {}),
      url: `${base}/stickers/${encodeURIComponent(p.id)}/${encodeURIComponent(s.file)}`,
    })),
  }));
  const all = built.flatMap((p) => p.stickers);
  return {
    packs: built,
    byName: (name) => all.find((s) => s.name === name.toLowerCase()),
    file: (pack, file) => all.find((s) => s.pack === pack && s.file === file),
  };
}

/** stickers.baseUrl, else the portal's own address (right for dev; set baseUrl behind a proxy or on 0.0.0.0). */
export const stickerBaseUrl = (baseUrl: string | undefined, host: string, port: number): string =>
  baseUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
