/**
 * The customer's draft as streamed with XEP-0301 real-time text (the widget's sneak peek),
 * kept per ticket for `!peek`. In memory: a draft is worth nothing after a restart.
 */
import { applyRtt, type RttAction } from '../../src/rtt.js';
import { NS_RTT } from '../protocol/namespaces.js';
import type { Element } from '../protocol/xml.js';

const MAX_TICKETS = 10_000;

function actionsOf(rtt: Element): RttAction[] {
  const num = (v: unknown) => (v === undefined ? undefined : Number(v));
  return rtt.getChildElements().flatMap((el): RttAction[] => {
    if (el.name === 't') return [{ kind: 't', p: num(el.attrs.p), text: el.getText() }];
    if (el.name === 'e') return [{ kind: 'e', p: num(el.attrs.p), n: num(el.attrs.n) }];
    if (el.name === 'w') return [{ kind: 'w' }];
    return [];
  });
}

export function createDraftBook() {
  const drafts = new Map<number, { text: string; at: number }>();
  return {
    /** A customer stanza of an active chat: RTT edits the draft, a sent body clears it. */
    observe(ticketId: number, stanza: Element, now: number): void {
      if (stanza.getChild('body')) return void drafts.delete(ticketId);
      const rtt = stanza.getChild('rtt', NS_RTT);
      if (!rtt) return;
      const text = applyRtt(drafts.get(ticketId)?.text ?? '', rtt.attrs.event as string | undefined, actionsOf(rtt));
      drafts.delete(ticketId); // re-insert: Map order = least recently typed first
      if (text) drafts.set(ticketId, { text, at: now });
      if (drafts.size > MAX_TICKETS) drafts.delete(drafts.keys().next().value as number);
    },
    draft: (ticketId: number) => drafts.get(ticketId),
    clear: (ticketId: number) => void drafts.delete(ticketId),
  };
}
export type DraftBook = ReturnType<typeof createDraftBook>;
