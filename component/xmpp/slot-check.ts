/**
 * The slot check (issue 19 §3; docs/architecture.md "Slot adoption"): does each of this instance's
 * links hold one of ejabberd's balancing slots? The slot book counts what the instances believe;
 * a link that connected while ejabberd still had every slot held (a peer taken for dead while it
 * only paused) was accepted and given no slot, and ejabberd never gives it one later. So the
 * instance asks the server itself: it sends probes from several bare JIDs of the component's own
 * domain to `slot-check@<domain>`; ejabberd hashes each sender to a slot and hands the probe to
 * the link holding it, whichever instance that is, and that instance counts it in Redis per link.
 * A link of this instance that heard none of `probes` (each slot gets probes/N on average; the
 * chance that a slot gets none of 8·N is about e^-8) holds no slot.
 */
import { randomUUID } from 'node:crypto';
import { xml, type Element } from '../protocol/xml.js';
import type { SlotBook } from '../store/slot-book.js';

const CHECK_LOCAL = 'slot-check';
/** How long the probes may take through the server before the tally is read. */
const SETTLE_MS = 1000;

export interface SlotCheckOptions {
  domain: string;
  book: Pick<SlotBook, 'heard' | 'tally'>;
  /** Sends a probe (by any online link of this instance). */
  send: (stanza: Element) => void;
}

export function createSlotCheck(opts: SlotCheckOptions) {
  const target = `${CHECK_LOCAL}@${opts.domain}`;
  const prefix = `${CHECK_LOCAL}-`;
  return {
    /** A link's stanza handler: probes are counted for this link, everything else goes on to `route`. */
    inbound(link: string, route: (stanza: Element) => void): (stanza: Element) => void {
      return (stanza) => {
        const from = String(stanza.attrs.from ?? '');
        if (stanza.name === 'message' && stanza.attrs.to === target && from.startsWith(prefix)) {
          const nonce = from.slice(prefix.length).split('@')[0]?.replace(/-\d+$/, '') ?? '';
          void opts.book.heard(nonce, link).catch(() => undefined);
          return;
        }
        route(stanza);
      };
    },
    /** Sends `probes` probes; resolves to how many each link (of any instance) heard. */
    async run(probes: number): Promise<Map<string, number>> {
      const nonce = randomUUID().replace(/-/g, '').slice(0, 16);
      for (let k = 0; k < probes; k++)
        opts.send(xml('message', { from: `${prefix}${nonce}-${k}@${opts.domain}`, to: target, type: 'headline', id: `${nonce}-${k}` }));
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      return opts.book.tally(nonce);
    },
  };
}
export type SlotCheck = ReturnType<typeof createSlotCheck>;
