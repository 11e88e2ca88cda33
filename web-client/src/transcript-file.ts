/**
 * The transcript as a plain-text file the customer downloads (<transcript/>,
 * docs/widget-protocol.md §7), and transcript lines as chat lines for a reattached widget.
 */
import type { DeskTranscriptLine } from './protocol/index.js';
import type { ChatLine } from './widget-state.js';

const stamp = (at: Date | number | undefined) => (at === undefined ? '' : `${new Date(at).toISOString().replace('T', ' ').slice(0, 19)}Z`);

export function transcriptText(title: string, ticket: number, lines: readonly DeskTranscriptLine[], you: string): string {
  const body = lines.map((l) => {
    const who = l.from === 'customer' ? you : l.from === 'operator' ? (l.name ?? 'Operator') : '—';
    return `[${stamp(l.at)}] ${who}: ${l.text ?? ''}`;
  });
  return [`${title} — #${ticket}`, '', ...body, ''].join('\n');
}

/** Chat lines from the transcript (the desk's own lines are re-said by the widget, so they are left out). */
export function transcriptLines(lines: readonly DeskTranscriptLine[]): ChatLine[] {
  return lines.flatMap((l, i): ChatLine[] => {
    if (l.from !== 'customer' && l.from !== 'operator') return [];
    const at = l.at ? l.at.getTime() : i;
    const id = l.id ?? `t-${at}-${i}`;
    return l.from === 'customer'
      ? [{ id, from: 'me', text: l.text ?? '', at, mark: 'sent' }]
      : [{ id, from: 'operator', author: l.name ?? '', text: l.text ?? '', at }];
  });
}
