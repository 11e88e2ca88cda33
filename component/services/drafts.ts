/**
 * The customer's draft as streamed with XEP-0301 real-time text (the widget's sneak peek),
 * kept per ticket for `!peek`. In Redis (store/draft-store.ts), so `!peek` on one instance sees
 * what the customer types through another (issue 19 §3). A customer's stanzas are handled in
 * order (their lane, and one instance by the server's balancing); edits of one ticket are applied
 * one after another here, each to the stored text.
 */
import { applyRtt, type RttAction } from '../../src/rtt.js';
import { NS_RTT } from '../protocol/namespaces.js';
import type { Element } from '../protocol/xml.js';
import { createKeyedSerializer } from '../lib/scheduling.js';
import type { ServiceContext } from './context.js';

function actionsOf(rtt: Element): RttAction[] {
  const num = (v: unknown) => (v === undefined ? undefined : Number(v));
  return rtt.getChildElements().flatMap((el): RttAction[] => {
    if (el.name === 't') return [{ kind: 't', p: num(el.attrs.p), text: el.getText() }];
    if (el.name === 'e') return [{ kind: 'e', p: num(el.attrs.p), n: num(el.attrs.n) }];
    if (el.name === 'w') return [{ kind: 'w' }];
    return [];
  });
}

/**
 * How long a draft this instance cleared counts as still clear, with no edit seen since: a
 * customer's sent messages then cost no Redis call each (BENCHMARKS F23). Another instance can
 * only have written one meanwhile if the server moved this customer to it and back within this
 * time; the price then is an old draft on `!peek` until the next edit or message.
 */
export const CLEAR_KNOWN_MS = 10_000;

export function createDraftBook(ctx: Pick<ServiceContext<'drafts'>, 'store' | 'log'>) {
  const { store, log } = ctx;
  const serialize = createKeyedSerializer();
  const failed = (err: Error) => log.warn({ err: err.message }, 'draft not kept');
  /** Tickets whose draft this instance cleared, and when. */
  const cleared = new Map<number, number>();

  return {
    /** A customer stanza of an active chat: RTT edits the draft, a sent body clears it. */
    observe(ticketId: number, stanza: Element, now: number): void {
      const body = stanza.getChild('body');
      const rtt = stanza.getChild('rtt', NS_RTT);
      if (!body && !rtt) return;
      if (body) {
        const at = cleared.get(ticketId);
        if (at !== undefined && now - at < CLEAR_KNOWN_MS) return;
        if (cleared.size >= 10_000) cleared.clear(); // forgetting only costs a DEL
        cleared.set(ticketId, now);
        void serialize(String(ticketId), () => store.drafts.clear(ticketId)).catch((err: Error) => {
          cleared.delete(ticketId);
          failed(err);
        });
        return;
      }
      cleared.delete(ticketId);
      void serialize(String(ticketId), async () => {
        if (!rtt) return store.drafts.clear(ticketId);
        const before = await store.drafts.get(ticketId);
        const text = applyRtt(before?.text ?? '', rtt.attrs.event as string | undefined, actionsOf(rtt));
        await (text ? store.drafts.set(ticketId, { text, at: now }) : store.drafts.clear(ticketId));
      }).catch(failed);
    },
    /** The draft as it is now, whichever instance saw the customer type it. */
    draft: (ticketId: number) => serialize(String(ticketId), async () => undefined).then(() => store.drafts.get(ticketId)),
    clear: (ticketId: number) => {
      cleared.delete(ticketId);
      void serialize(String(ticketId), () => store.drafts.clear(ticketId)).catch(failed);
    },
  };
}
export type DraftBook = ReturnType<typeof createDraftBook>;
