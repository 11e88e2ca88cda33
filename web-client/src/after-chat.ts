/**
 * After the chat: the rating (<rate/>, docs/widget-protocol.md §8) and the transcript as a
 * .txt download (<transcript/>, §7; what this browser saw when the desk cannot say).
 */
import { iqError, type DeskLink } from './desk-link.js';
import { download } from './download.js';
import type { Strings } from './i18n.js';
import { transcriptText } from './transcript-file.js';
import type { WidgetStore } from './widget-state.js';

export function createAfterChat(link: DeskLink, store: WidgetStore, strings: Strings, title: string) {
  return {
    async rate(score: number, comment: string): Promise<void> {
      const ticket = store.get().ticket;
      if (ticket === undefined) return;
      try {
        await link.rate(ticket, score, comment);
        store.rated(score);
      } catch (err) {
        store.deskSaid(strings.notDelivered(iqError(err).text ?? iqError(err).condition));
      }
    },
    async emailTranscript(): Promise<void> {
      const ticket = store.get().ticket;
      if (ticket === undefined) return;
      try {
        await link.emailTranscript(ticket);
        store.deskSaid(strings.transcriptMailed);
      } catch (err) {
        store.deskSaid(strings.notDelivered(iqError(err).text ?? iqError(err).condition));
      }
    },
    async transcript(): Promise<void> {
      const ticket = store.get().ticket;
      if (ticket === undefined) return;
      try {
        download(`transcript-${ticket}.txt`, transcriptText(title, ticket, await link.transcript(ticket), strings.you));
      } catch {
        // The desk cannot say (evidence log off): what this browser saw is better than nothing.
        download(
          `transcript-${ticket}.txt`,
          transcriptText(
            title,
            ticket,
            store.get().lines.map((l) => ({
              at: new Date(l.at),
              from: l.from === 'me' ? 'customer' : l.from === 'operator' ? 'operator' : 'desk',
              name: l.author ?? '',
              text: l.text,
            })),
            strings.you,
          ),
        );
      }
    },
  };
}
