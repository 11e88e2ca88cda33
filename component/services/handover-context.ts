/**
 * Issue #4 "transfer": the operator who takes a chat over gets its last messages, read from
 * the evidence log, right after the hand-over intro. Without the log there is nothing to send.
 */
import { customerName, texts } from '../../src/texts.js';
import type { Ticket } from '../store/desk-store.js';
import { chat } from '../protocol/stanzas.js';
import type { ServiceContext } from './context.js';
import type { TranscriptSource } from './transcript-source.js';

const LAST_MESSAGES = 10;

export function createHandoverContext(ctx: ServiceContext<never>, transcripts: () => TranscriptSource | undefined) {
  return async function sendHandoverContext(ticket: Ticket, to: string): Promise<void> {
    const source = transcripts();
    if (!source) return;
    const said = (await source.forTicket(ticket.id, { audience: 'customer' })).filter((l) => l.from !== 'desk' && l.body);
    if (said.length === 0) return;
    const customer = customerName(ticket);
    const lines = said
      .slice(-LAST_MESSAGES)
      .map((l) => ({ at: l.at, who: l.from === 'customer' ? customer : (l.name ?? 'Operator'), body: l.body ?? '' }));
    ctx.send(chat(ctx.directory.maskedJid(ticket.masked), to, texts.handoverContext(ticket.id, lines)), {
      kind: 'system',
      direction: 'desk->operator',
      ticket: { ...ticket, operator: to },
    });
  };
}
export type HandoverContext = ReturnType<typeof createHandoverContext>;
