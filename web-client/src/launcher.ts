/**
 * The honest button: the desk's live state from its presence (open / busy with N waiting,
 * about M min / closed). Sites may set per-state labels (data-label-open|busy|closed) and
 * images (data-image-open|busy|closed; the label becomes the image's alt text). Drawn by the
 * loader from the status stream, then by the chat chunk from the desk's XMPP presence.
 */
import { h, setText } from './dom.js';
import type { Strings } from './i18n.js';
import type { ButtonMode, WidgetOptions } from './options.js';
import type { WidgetState } from './widget-state.js';

export function createLauncher(strings: Strings, options: Pick<WidgetOptions, 'labels' | 'images'>, onClick: () => void) {
  const label = h('span', { class: 'label' });
  const detail = h('span', { class: 'detail' });
  const image = h('img', { class: 'state-image', alt: '' });
  const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  const el = h(
    'button',
    { type: 'button', class: 'launcher', 'aria-controls': 'mdg-panel', 'aria-expanded': 'false' },
    dot,
    image,
    h('span', { class: 'text' }, label, detail),
  );
  el.addEventListener('click', onClick);

  return {
    el,
    render(state: Pick<WidgetState, 'desk' | 'panelOpen'>): void {
      const mode = state.desk?.mode ?? 'connecting'; // no desk presence yet, or the link is down
      el.dataset.mode = mode;
      el.setAttribute('aria-expanded', String(state.panelOpen));
      const text = (mode !== 'connecting' && options.labels[mode as ButtonMode]) || strings.launcher[mode];
      const src = mode === 'connecting' ? undefined : options.images[mode as ButtonMode];
      setText(label, text);
      setText(detail, mode === 'busy' ? strings.busyDetail(state.desk?.waiting, state.desk?.minutes) : '');
      detail.hidden = mode !== 'busy' || detail.textContent === '';
      image.hidden = !src;
      if (src && image.getAttribute('src') !== src) image.src = src;
      image.alt = src ? text : '';
      label.classList.toggle('sr-only', Boolean(src));
      dot.hidden = Boolean(src);
    },
  };
}
