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

export function createDraftBook(ctx: Pick<ServiceContext<'drafts'>, 'store' | 'log'>) {
  const { store, log } = ctx;
  const serialize = createKeyedSerializer();
  const failed = (err: Error) => log.warn({ err: err.message }, 'draft not kept');

  return {
    /** A customer stanza of an active chat: RTT edits the draft, a sent body clears it. */
    observe(ticketId: number, stanza: Element, now: number): void {
      const body = stanza.getChild('body');
      const rtt = stanza.getChild('rtt', NS_RTT);
      if (!body && !rtt) return;
      void serialize(String(ticketId), async () => {
        if (body || !rtt) return store.drafts.clear(ticketId);
        const before = await store.drafts.get(ticketId);
        const text = applyRtt(before?.text ?? '', rtt.attrs.event as string | undefined, actionsOf(rtt));
        await (text ? store.drafts.set(ticketId, { text, at: now }) : store.drafts.clear(ticketId));
      }).catch(failed);
    },
    /** The draft as it is now, whichever instance saw the customer type it. */
    draft: (ticketId: number) => serialize(String(ticketId), async () => undefined).then(() => store.drafts.get(ticketId)),
    clear: (ticketId: number) => void serialize(String(ticketId), () => store.drafts.clear(ticketId)).catch(failed),
  };
}
export type DraftBook = ReturnType<typeof createDraftBook>;
