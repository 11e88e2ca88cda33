/**
 * Notices customers who went offline without telling the desk. A customer who only wrote
 * a message (no directed presence) produces no unavailable presence when it disconnects,
 * so the desk pings each waiting or connected customer's full JID (XEP-0199) now and then;
 * an error of type cancel/auth means the address is gone (RFC 6120 §8.3.3) → the customer left.
 */
import { xml } from '../xmpp/xml.js';
import { NS_PING } from '../xmpp/namespaces.js';
import type { ServiceContext } from './context.js';

export const LIVENESS_ID_PREFIX = 'live-';

export function createLiveness(ctx: ServiceContext) {
  const { store, directory, send, config } = ctx;
  let lastRun = 0;

  return {
    async maybePing(): Promise<void> {
      const now = ctx.now();
      if (now - lastRun < config.routing.livenessSeconds * 1000) return;
      lastRun = now;
      const ids = new Set<number>();
      const operators = [...new Set(directory.desks().flatMap((d) => directory.operatorsOfDesk(d.id)))];
      const lists = await Promise.all([
        ...directory.desks().map((desk) => store.queue(desk.id)),
        ...operators.map((op) => store.operatorTickets(op)),
      ]);
      for (const list of lists) for (const id of list) ids.add(id);
      const list = [...ids];
      const [customers, desks] = await Promise.all([store.customersOf(list), store.desksOf(list)]);
      list.forEach((id, i) => {
        const to = customers[i];
        const desk = desks[i];
        if (!to || !desk) return;
        send(xml('iq', { type: 'get', from: directory.deskJid(desk), to, id: `${LIVENESS_ID_PREFIX}${id}-${now}` }, xml('ping', { xmlns: NS_PING })));
      });
    },
  };
}
