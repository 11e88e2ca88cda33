/** The honest button: the desk's live state from its presence (open / busy with N waiting / closed). */
import { h, setText } from './dom.js';
import type { Strings } from './i18n.js';
import type { WidgetState } from './widget-state.js';

export function createLauncher(strings: Strings, onClick: () => void) {
  const label = h('span', { class: 'label' });
  const detail = h('span', { class: 'detail' });
  const el = h('button', { type: 'button', class: 'launcher', 'aria-controls': 'mdg-panel', 'aria-expanded': 'false' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'text' }, label, detail));
  el.addEventListener('click', onClick);

  return {
    el,
    render(state: WidgetState): void {
      const mode = state.desk?.mode ?? 'connecting'; // no desk presence yet, or the link is down
      el.dataset.mode = mode;
      el.setAttribute('aria-expanded', String(state.panelOpen));
      setText(label, strings.launcher[mode]);
      setText(detail, mode === 'busy' ? strings.busyDetail(state.desk?.waiting, state.desk?.minutes) : '');
      detail.hidden = mode !== 'busy';
    },
  };
}
