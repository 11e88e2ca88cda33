/**
 * Stickers (issue 20): the desk's packs from the portal (GET /api/widget/stickers), the panel
 * the customer picks one from, and the rule for showing a shared URL. Only a URL in the
 * desk's catalog is shown as a sticker (inline, fixed size, alt text); any other URL that looks
 * like a sticker — unknown, or on another site — is a plain link and never loaded.
 */
import { h } from './dom.js';
import type { Strings } from './i18n.js';
import type { WidgetOptions } from './options.js';
import { stickersOf, type StickerInfo } from './sticker-catalog.js';

export { createStickerBook, fileOrigin, stickerKind, type StickerBook, type StickerInfo } from './sticker-catalog.js';

/** The desk's stickers in the customer's language; none when the portal cannot say. */
export async function loadStickers(options: WidgetOptions): Promise<StickerInfo[]> {
  if (!options.portalUrl) return [];
  try {
    const desk = options.deskJid.split('@')[0] ?? '';
    const res = await fetch(`${options.portalUrl}/api/widget/stickers?desk=${encodeURIComponent(desk)}`);
    const body = (await res.json()) as { packs?: { stickers?: { name: string; alt: string; altJa?: string; url: string }[] }[] };
    if (!res.ok || !Array.isArray(body.packs)) return [];
    return stickersOf(body.packs, options.lang);
  } catch {
    return [];
  }
}

/** The sticker inline in the conversation: fixed size, the alt text as text for screen readers and broken images. */
export const stickerImage = (s: StickerInfo): HTMLElement =>
  h('img', { class: 'sticker', src: s.url, alt: s.alt, title: s.alt, width: '96', height: '96', loading: 'lazy' });

/** The button beside the composer and the grid it opens; a pick sends the sticker and closes it. */
export function createStickerPanel(strings: Strings, pick: (s: StickerInfo) => void) {
  const grid = h('div', { class: 'sticker-grid', role: 'group', 'aria-label': strings.stickers, id: 'mdg-stickers' });
  grid.hidden = true;
  const face = h('span', { 'aria-hidden': 'true' }, '☺');
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'attach sticker-toggle',
      'aria-label': strings.stickers,
      title: strings.stickers,
      'aria-expanded': 'false',
      'aria-controls': 'mdg-stickers',
    },
    face,
  );
  const show = (open: boolean) => {
    grid.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => show(grid.hidden));
  grid.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.stopPropagation();
      show(false);
      toggle.focus();
    }
  });
  return {
    toggle,
    grid,
    fill(list: StickerInfo[]): void {
      grid.replaceChildren(
        ...list.map((s) => {
          const b = h(
            'button',
            { type: 'button', class: 'sticker-pick', title: s.alt, 'data-sticker': s.name },
            h('img', { src: s.url, alt: s.alt, width: '56', height: '56' }),
          );
          b.addEventListener('click', () => {
            show(false);
            pick(s);
          });
          return b;
        }),
      );
      toggle.hidden = list.length === 0;
    },
    render(enabled: boolean): void {
      toggle.disabled = !enabled;
      if (!enabled) show(false);
    },
  };
}
