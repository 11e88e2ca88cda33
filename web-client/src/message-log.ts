/**
 * The conversation. Lines are keyed by id: a new line is appended once (so role="log" with
 * aria-live announces it once), a known line only updates its delivery mark. Text is always
 * text (dom.ts); a shared file is a link, and an image file also a preview.
 */
import { h, richText, setText } from './dom.js';
import type { Strings } from './i18n.js';
import { safeUrl } from './options.js';
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

export function createMessageLog(strings: Strings, retry: (id: string) => void = () => undefined) {
  const el = h('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  const items = new Map<string, { li: HTMLElement; mark: HTMLElement | null }>();
  const toBottom = () => {
    el.scrollTop = el.scrollHeight;
  };

  const item = (line: ChatLine) => {
    const who = line.from === 'me' ? strings.you : line.author;
    const mark = line.from === 'me' ? h('span', { class: 'mark' }) : null;
    // The text of a file message is its URL: show the file instead of the bare link.
    const text = line.file && line.text.trim() === line.file ? null : h('span', { class: 'text' }, richText(line.text));
    const li = h(
      'li',
      { class: `line ${line.from}`, 'data-from': line.from, 'data-id': line.id },
      who ? h('span', { class: 'who' }, who) : null,
      text,
      line.file ? fileView(line.file, toBottom) : null,
      mark,
    );
    return { li, mark };
  };

  return {
    el,
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
