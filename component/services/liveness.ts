/**
 * Notices customers who went offline without telling the desk. A customer who only wrote
 * a message (no directed presence) produces no unavailable presence when it disconnects,
 * so the desk pings each waiting or connected customer's full JID (XEP-0199) now and then;
 * an error of type cancel/auth means the address is gone (RFC 6120 §8.3.3) → the customer left.
 * A round's pings are spread over the first half of its interval.
 */
import { xml, type Element } from '../xmpp/xml.js';
import { NS_PING } from '../xmpp/namespaces.js';
import type { ServiceContext } from './context.js';

export const LIVENESS_ID_PREFIX = 'live-';

export function createLiveness(ctx: ServiceContext<'operators' | 'queue' | 'sessions'>) {
  const { store, directory, send, config } = ctx;
  let lastRun = 0;
  /** Pings not sent yet: a round is spread over the ticks of its interval, not sent in one burst. */
  let pending: Element[] = [];
  let perTick = 0;

  async function collect(now: number): Promise<Element[]> {
    const ids = new Set<number>();
    const operators = [...new Set(directory.desks().flatMap((d) => directory.operatorsOfDesk(d.id)))];
    const lists = await Promise.all([
      ...directory.desks().map((desk) => store.queue.queue(desk.id)),
      ...operators.map((op) => store.operators.operatorTickets(op)),
    ]);
    for (const list of lists) for (const id of list) ids.add(id);
    const list = [...ids];
    const [customers, desks] = await Promise.all([store.sessions.customersOf(list), store.sessions.desksOf(list)]);
    const pings: Element[] = [];
    list.forEach((id, i) => {
      const to = customers[i];
      const desk = desks[i];
      if (to && desk) pings.push(xml('iq', { type: 'get', from: directory.deskJid(desk), to, id: `${LIVENESS_ID_PREFIX}${id}-${now}` }, xml('ping', { xmlns: NS_PING })));
    });
    return pings;
  }

  return {
    /** Called every routing.tickMs: starts a round every livenessSeconds, sends a share of it each tick. */
    async maybePing(): Promise<void> {
      const now = ctx.now();
      const intervalMs = config.routing.livenessSeconds * 1000;
      if (now - lastRun >= intervalMs) {
        lastRun = now;
        pending = await collect(now);
        // 10,000 pings at once would stall Prosody (and every chat behind them) for a moment.
        perTick = Math.ceil(pending.length / Math.max(1, Math.floor(intervalMs / (2 * config.routing.tickMs))));
      }
      for (const ping of pending.splice(0, perTick)) send(ping);
    },
  };
}
