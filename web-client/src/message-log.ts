/**
 * The conversation. Lines are keyed by id: a new line is appended once (so role="log" with
 * aria-live announces it once), a known line only updates its delivery mark. Text is always
 * text (dom.ts); a shared file is a link, and an image file also a preview.
 */
import { h, richText, setText } from './dom.js';
import type { Strings } from './i18n.js';
import { safeUrl } from './options.js';
import { createStickerBook, stickerImage, stickerKind, type StickerBook } from './stickers.js';
import type { ChatLine } from './widget-state.js';

const IMAGE = /\.(png|jpe?g|gif|webp|avif)$/i;

function fileView(url: string, loaded: () => void): HTMLElement | null {
  const href = safeUrl(url);
  if (!href) return null;
  const name = decodeURIComponent(new URL(href).pathname.split('/').pop() || href);
  const link = h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'file' }, name);
  if (!IMAGE.test(new URL(href).pathname)) return h('span', { class: 'attachment' }, link);
  const img = h('img', { src: href, alt: name, class: 'preview' });
  img.addEventListener('load', loaded, { once: true }); // its height is known only now
  return h('span', { class: 'attachment' }, img, link);
}

/** A sticker-like URL that is not one of ours: a link, never loaded (issue 20). */
const plainLink = (url: string): HTMLElement | null => {
  const href = safeUrl(url);
  return href
    ? h('span', { class: 'attachment' }, h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'file' }, url))
    : null;
};

export function createMessageLog(
  strings: Strings,
  retry: (id: string) => void = () => undefined,
  stickers: StickerBook = createStickerBook(),
) {
  const el = h('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  const items = new Map<string, { li: HTMLElement; mark: HTMLElement | null; line: ChatLine; early?: boolean }>();
  const shared = (url: string) => {
    const sticker = stickers.find(url);
    if (sticker) return h('span', { class: 'attachment' }, stickerImage(sticker));
    return stickerKind(url, stickers) === 'link' ? plainLink(url) : fileView(url, toBottom);
  };
  const toBottom = () => {
    el.scrollTop = el.scrollHeight;
  };

  const item = (line: ChatLine) => {
    const who = line.from === 'me' ? strings.you : line.author;
    const mark = line.from === 'me' ? h('span', { class: 'mark' }) : null;
    // A line from the transcript has no link of its own: its text alone may be one of our stickers.
    const sole = /^https?:\/\/\S+$/.test(line.text.trim()) ? line.text.trim() : undefined;
    const file = line.file ?? (sole && stickers.find(sole) ? sole : undefined);
    // The text of a file message is its URL: show the file instead of the bare link.
    const text = file && line.text.trim() === file ? null : h('span', { class: 'text' }, richText(line.text));
    const li = h(
      'li',
      { class: `line ${line.from}`, 'data-from': line.from, 'data-id': line.id },
      who ? h('span', { class: 'who' }, who) : null,
      text,
      file ? shared(file) : null,
      mark,
    );
    // Shown before the catalog arrived: a sticker of ours may have been shown as a link.
    return { li, mark, line, early: Boolean(line.file ?? sole) && !stickers.ready };
  };

  return {
    el,
    /** The sticker catalog arrived: lines shown before it are drawn again. */
    refresh(): void {
      for (const [id, known] of items) {
        if (!known.early) continue;
        const again = item(known.line);
        known.li.replaceWith(again.li);
        items.set(id, again); // its mark is drawn again by the next render
      }
    },
    render(lines: readonly ChatLine[]): void {
      if (lines.length === 0 && items.size) {
        el.replaceChildren();
        items.clear();
        return;
      }
      let added = false;
      let before: HTMLElement | null = null;
      // Walk backwards so a line merged from the transcript lands before the ones after it.
      for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i]!;
        let known = items.get(line.id);
        if (!known) {
          known = item(line);
          items.set(line.id, known);
          el.insertBefore(known.li, before);
          added = true;
        }
        if (known.mark && line.mark && known.li.dataset.mark !== line.mark) {
          known.li.dataset.mark = line.mark;
          setText(known.mark, strings.marks[line.mark]);
          // Not acked after every resend: the customer decides when to try again.
          if (line.mark === 'unsent') {
            const id = line.id;
            const again = h('button', { type: 'button', class: 'retry' }, strings.retry);
            again.addEventListener('click', () => retry(id));
            known.mark.append(again);
          }
        }
        before = known.li;
      }
      if (added) toBottom();
    },
  };
}
