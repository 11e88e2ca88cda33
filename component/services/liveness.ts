/**
 * Notices customers who went offline without telling the desk. A customer who only wrote
 * a message (no directed presence) produces no unavailable presence when it disconnects,
 * so the desk pings each waiting or connected customer's full JID (XEP-0199) now and then;
 * an error of type cancel/auth means the address is gone (RFC 6120 §8.3.3) → the customer left.
 * A round's pings are spread over the first half of its interval.
 *
 * `service-unavailable` is ambiguous: a client without ping support answers it itself, alive
 * (XEP-0199 §4.1), and the server answers it for a resource that is not there (RFC 6121
 * §8.5.3.2.3), from the same full JID and with the same error. So it gets a second question
 * that clients do answer, disco#info (XEP-0030, which every common client implements): a result
 * means the client is there; an error (the server's service-unavailable again) means it is gone.
 */
import { xml, type Element } from '../protocol/xml.js';
import { NS_DISCO_INFO, NS_PING } from '../protocol/namespaces.js';
import type { ServiceContext } from './context.js';

export const LIVENESS_ID_PREFIX = 'live-';
/** The disco#info follow-up of an ambiguous ping error (its error, if any, is final). */
const RECHECK_ID_PREFIX = `${LIVENESS_ID_PREFIX}disco-`;

/**
 * For an error answering a liveness ping with `service-unavailable`: the disco#info question
 * that tells a live client without ping support from an absent resource. Undefined otherwise.
 */
export function livenessRecheck(error: Element, condition: string): Element | undefined {
  const id = String(error.attrs.id ?? '');
  if (error.name !== 'iq' || condition !== 'service-unavailable' || !id.startsWith(LIVENESS_ID_PREFIX) || id.startsWith(RECHECK_ID_PREFIX))
    return undefined;
  return xml(
    'iq',
    { type: 'get', from: error.attrs.to, to: error.attrs.from, id: `${RECHECK_ID_PREFIX}${id.slice(LIVENESS_ID_PREFIX.length)}` },
    xml('query', { xmlns: NS_DISCO_INFO }),
  );
}

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
      if (to && desk)
        pings.push(
          xml(
            'iq',
            { type: 'get', from: directory.deskJid(desk), to, id: `${LIVENESS_ID_PREFIX}${id}-${now}` },
            xml('ping', { xmlns: NS_PING }),
          ),
        );
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
