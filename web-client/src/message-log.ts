/**
 * The conversation, append-only: new lines are added (never re-rendered), so the log with
 * role="log" / aria-live announces each new message once to screen readers.
 */
import { h, richText } from './dom.js';
import type { Strings } from './i18n.js';
import type { ChatLine } from './widget-state.js';

export function createMessageLog(strings: Strings) {
  const el = h('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  let lastId = 0;

  const item = (line: ChatLine) => {
    const who = line.from === 'me' ? strings.you : line.author;
    return h('li', { class: `line ${line.from}`, 'data-from': line.from },
      who ? h('span', { class: 'who' }, who) : null,
      h('span', { class: 'text' }, richText(line.text)));
  };

  return {
    el,
    render(lines: readonly ChatLine[]): void {
      if (lines.length === 0 && lastId !== 0) {
        el.replaceChildren();
        lastId = 0;
        return;
      }
      const fresh = lines.filter((l) => l.id > lastId);
      if (fresh.length === 0) return;
      for (const line of fresh) el.append(item(line));
      lastId = fresh[fresh.length - 1]?.id ?? lastId;
      el.scrollTop = el.scrollHeight;
    },
  };
}
