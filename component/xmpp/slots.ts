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
import type { Element } from '../protocol/xml.js';
import type { SlotBook, SlotState } from '../store/slot-book.js';
import type { ComponentLink, ComponentLinkOptions } from './connection.js';
import { createSlotCheck } from './slot-check.js';

export interface SlotsOptions {
  book: SlotBook;
  log: Logger;
  domain: string;
  /** What every link's stanzas go to (the desk). */
  route: (stanza: Element) => void;
  /** One more link for the component's domain. */
  openLink: (hooks: Pick<ComponentLinkOptions, 'onClosed' | 'reconnect' | 'onOnline' | 'onStanza'>) => ComponentLink;
  /** The instance's own link (it sends the slot checks' probes; restarted when it holds no slot). */
  ownLink: () => ComponentLink | undefined;
}

/** How often each instance checks that its links hold slots, and how soon after a link came online. */
const CHECK_EVERY_MS = 10_000;
const CHECK_AFTER_ONLINE_MS = 1000;

export function createSlots(opts: SlotsOptions) {
  const { book, log } = opts;
  let own = false; // the own link holds a grant (connecting or online)
  const adopted: { id: string; link: ComponentLink }[] = [];
  let wanting = false;
  const count = () => (own ? 1 : 0) + adopted.length;
  let busy = false; // one adoption or hand-back at a time
  let seq = 0;
  const ownId = `${book.instance}#own`;
  const onlineAt = new Map<string, number>(); // link id → when it came online
  const check = createSlotCheck({ domain: opts.domain, book, send: (s) => opts.ownLink()?.send(s) });
  let checking = false;
  let lastCheck = 0;

  function adopt(): void {
    const id = `${book.instance}#a${++seq}`;
    const entry = {
      id,
      link: opts.openLink({
        reconnect: false,
        onStanza: check.inbound(id, opts.route),
        onClosed: () => {
          onlineAt.delete(id);
          const i = adopted.indexOf(entry);
          if (i >= 0) adopted.splice(i, 1);
        },
        onOnline: () => {
          onlineAt.set(id, Date.now());
          log.info({ links: count() }, 'adopted a vacant slot: one more link to the server');
        },
      }),
    };
    adopted.push(entry);
    void entry.link.start();
  }

  /**
   * Asks the server whether each link online for a while holds a slot (slot-check.ts). One that heard
   * none of the probes while the others heard them: an adopted one is closed, the own one reconnects.
   */
  async function verify(): Promise<void> {
    const started = Date.now();
    const probes = 16 * book.slots;
    const heard = await check.run(probes);
    const total = [...heard.values()].reduce((a, b) => a + b, 0);
    if (total < probes / 2) {
      lastCheck = Date.now() - CHECK_EVERY_MS + 2000; // the check itself went wrong (Redis, a peer busy or frozen): again in 2 s
      return;
    }
    for (const [id, since] of [...onlineAt]) {
      if (since > started - CHECK_AFTER_ONLINE_MS || (heard.get(id) ?? 0) > 0) continue;
      log.warn(
        { link: id, probes, heard: total },
        'this link holds no slot of the server (connected while every slot was held): reconnecting it',
      );
      onlineAt.delete(id);
      if (id === ownId) opts.ownLink()?.restart();
      else {
        const i = adopted.findIndex((a) => a.id === id);
        if (i >= 0) void (adopted.splice(i, 1)[0] as (typeof adopted)[number]).link.stop();
      }
    }
  }
  function maybeVerify(): void {
    const now = Date.now();
    const fresh = [...onlineAt.values()].some((t) => t > lastCheck && now - t >= CHECK_AFTER_ONLINE_MS);
    if (checking || onlineAt.size === 0 || !opts.ownLink()?.isOnline() || (!fresh && now - lastCheck < CHECK_EVERY_MS)) return;
    checking = true;
    lastCheck = now;
    void verify()
      .catch((err: Error) => log.warn({ err: err.message }, 'slot check failed'))
      .finally(() => {
        checking = false;
      });
  }

  return {
    /** The own link's stanza handler (slot checks' probes are counted, not routed). */
    ownInbound: () => check.inbound(ownId, opts.route),
    /** The own link is online / gone. */
    ownOnline(): void {
      onlineAt.set(ownId, Date.now());
    },
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
      onlineAt.delete(ownId);
    },
    /**
     * Each tick: renew this instance's entry; the leader adopts a vacant slot; an instance with an
     * adopted link hands one back when a live peer waits for a slot or the book counts too many.
     */
    async tick(leads: boolean): Promise<SlotState | undefined> {
      maybeVerify();
      if (busy) return undefined;
      busy = true;
      try {
        let r = await book.beat(count(), wanting);
        if (r.lapsed && count() > 0)
          log.warn({ links: count() }, 'this instance was taken for dead (a pause?): the book counts its links again');
        if (adopted.length > 0 && (r.wanting > 0 || r.held > book.slots)) {
          const { id, link } = adopted.pop() as (typeof adopted)[number];
          onlineAt.delete(id);
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
      await Promise.all(adopted.splice(0).map((a) => a.link.stop()));
    },
    /**
     * Last step, after the own link closed: this instance leaves the book. Not before: a peer seeing the
     * slot free in the book while ejabberd still has our link in it would connect into no slot at all.
     */
    leave: () => book.leave().then(() => undefined),
  };
}
export type Slots = ReturnType<typeof createSlots>;
