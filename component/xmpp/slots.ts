/**
 * Slot adoption (issue 19 §3; docs/architecture.md "Slot adoption"): with several active instances on
 * ejabberd, together they hold every one of the domain's `component_number` slots, so no sender's
 * stanzas are hashed to a slot nobody serves. ejabberd 23.01 (src/ejabberd_router_mnesia.erl):
 * a new connection takes the first vacant slot, a connection that finds none is accepted and gets
 * no slot (nothing is routed to it), and a closed connection's slot stays vacant (what is hashed to
 * it is dropped) until another connection comes. So:
 * - an instance's own link connects only with a grant from the slot book (`claim`); a returning
 *   instance whose slot a peer adopted waits, marked as wanting one;
 * - the leader, seeing fewer links than slots in the book (a peer's entry ran out: killed), opens
 *   one more XEP-0114 connection for the domain, which ejabberd puts into the vacant slot. Its
 *   stanzas go to the same handler as the own link's; replies leave by the own link;
 * - an instance holding an adopted link gives it back when a live peer wants a slot (or the book
 *   counts more links than slots): it closes the link (stanzas routed to it before ejabberd reads
 *   the stream's end still arrive and are handled), and the peer's next claim takes the freed slot.
 */
import type { Logger } from 'pino';
import type { SlotBook, SlotState } from '../store/slot-book.js';
import type { ComponentLink, ComponentLinkOptions } from './connection.js';

export interface SlotsOptions {
  book: SlotBook;
  log: Logger;
  /** One more link for the component's domain, with the own link's handlers. */
  openLink: (hooks: Pick<ComponentLinkOptions, 'onClosed' | 'reconnect' | 'onOnline'>) => ComponentLink;
}

export function createSlots(opts: SlotsOptions) {
  const { book, log } = opts;
  let own = false; // the own link holds a grant (connecting or online)
  const adopted: ComponentLink[] = [];
  let wanting = false;
  const count = () => (own ? 1 : 0) + adopted.length;
  let busy = false; // one adoption or hand-back at a time

  function adopt(): void {
    let link: ComponentLink | undefined;
    const closed = () => {
      const i = link ? adopted.indexOf(link) : -1;
      if (i >= 0) adopted.splice(i, 1);
    };
    link = opts.openLink({
      reconnect: false,
      onClosed: closed,
      onOnline: () => log.info({ links: count() }, 'adopted a vacant slot: one more link to the server'),
    });
    adopted.push(link);
    void link.start();
  }

  return {
    /** Own links and adopted ones (metrics, tests). */
    links: count,
    adopted: () => adopted.length,
    /** The own link's claim, before each connection attempt. */
    async claim(): Promise<boolean> {
      if (own) return true;
      const r = await book.claim(count());
      own = r.granted;
      if (!own && !wanting) log.info({ held: r.held, slots: book.slots }, 'every slot is held (a peer adopted ours): waiting for it back');
      wanting = !own;
      return own;
    },
    /** The own link's stream is gone: ejabberd has freed its slot. */
    ownClosed(): void {
      own = false;
    },
    /**
     * Each tick: renew this instance's entry; the leader adopts a vacant slot; an instance with an
     * adopted link hands one back when a live peer waits for a slot or the book counts too many.
     */
    async tick(leads: boolean): Promise<SlotState | undefined> {
      if (busy) return undefined;
      busy = true;
      try {
        let r = await book.beat(count(), wanting);
        if (r.lapsed && count() > 0)
          log.warn({ links: count() }, 'this instance was taken for dead (a pause?): the book counts its links again');
        if (adopted.length > 0 && (r.wanting > 0 || r.held > book.slots)) {
          const link = adopted.pop() as ComponentLink;
          const began = Date.now();
          log.info({ wanting: r.wanting, held: r.held }, 'handing an adopted slot back');
          await link.stop(); // stanzas ejabberd routed to it before reading our </stream> still arrive and are handled
          r = await book.beat(count(), wanting); // the freed slot is visible at once
          log.info({ ms: Date.now() - began }, 'adopted slot handed back');
        } else if (leads && r.held + r.wanting < book.slots && (own || !wanting)) {
          const a = await book.adopt(count());
          if (a.granted) adopt();
          r = a;
        }
        return r;
      } finally {
        busy = false;
      }
    },
    /** A clean stop, first step: the adopted links close (their slots are free once ejabberd read their end). */
    async stop(): Promise<void> {
      await Promise.all(adopted.splice(0).map((l) => l.stop()));
    },
    /**
     * Last step, after the own link closed: this instance leaves the book. Not before: a peer seeing the
     * slot free in the book while ejabberd still has our link in it would connect into no slot at all.
     */
    leave: () => book.leave().then(() => undefined),
  };
}
export type Slots = ReturnType<typeof createSlots>;
