/**
 * Witnesses the evidence log's signed heads on an XEP-0060 PubSub node, outside the files and
 * outside Redis: each checkpoint's head becomes an item (id = seq) that the service keeps
 * (max_items) and pushes to every subscriber, so an auditor holds its own copy and sees any
 * retraction or purge. Fire and forget: publishing never waits on, or fails, relaying; a
 * refused publish is logged. At most one head per `minIntervalMs` (the newest: a head vouches
 * for every record before it), as each publish costs the server a write of the node's items.
 * Trust model: component/evidence/README.md.
 * References: https://xmpp.org/extensions/xep-0060.html (§8.1 create and configure, §7.1 publish)
 */
import type { Logger } from 'pino';
import { headJson, type SignedHead } from '../../src/evidence/head.js';
import { xml, type Element } from '../protocol/xml.js';

export const NS_PUBSUB = 'http://jabber.org/protocol/pubsub'; // XEP-0060
export const NS_PUBSUB_OWNER = 'http://jabber.org/protocol/pubsub#owner';
/** The item payload: the head's canonical JSON (src/evidence/head.ts) as text. */
export const NS_EVIDENCE_HEAD = 'urn:madoguchi:evidence-head:0';
const ID_PREFIX = 'evh-';
const MAX_PENDING = 1000;

export interface PubsubWitnessOptions {
  /** The PubSub service, e.g. pubsub.localhost. */
  service: string;
  node: string;
  /** The component's domain: the publisher. */
  domain: string;
  send: (stanza: Element) => void;
  log: Logger;
  /** Publish at most one head this often (default 1000 ms); the newest waiting one goes next. */
  minIntervalMs?: number;
}

const field = (v: string, value: string) => xml('field', { var: v }, xml('value', {}, value));

export function createPubsubWitness(opts: PubsubWitnessOptions) {
  const { service, node, domain, log } = opts;
  const pending = new Map<string, { what: string; seq?: number }>(); // IQ id → what it was
  let counter = 0;
  const minIntervalMs = opts.minIntervalMs ?? 1000;
  let lastSent = -Infinity;
  let waiting: SignedHead | undefined;
  let timer: NodeJS.Timeout | undefined;

  function sendIq(payload: Element, what: string, seq?: number): void {
    const id = `${ID_PREFIX}${(++counter).toString(36)}`;
    if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string); // unanswered: forget the oldest
    pending.set(id, { what, seq });
    try {
      opts.send(xml('iq', { type: 'set', id, from: domain, to: service }, payload));
    } catch (err) {
      pending.delete(id);
      log.warn({ err: (err as Error).message, what, seq }, 'evidence head witness: send failed');
    }
  }

  return {
    /**
     * Creates the node if it is missing (a `conflict` reply means it exists). Open access for
     * auditors, items kept up to the service's maximum, the newest sent on subscription.
     */
    ensureNode(): void {
      sendIq(
        xml(
          'pubsub',
          { xmlns: NS_PUBSUB },
          xml('create', { node }),
          xml(
            'configure',
            {},
            xml(
              'x',
              { xmlns: 'jabber:x:data', type: 'submit' },
              field('FORM_TYPE', `${NS_PUBSUB}#node_config`),
              field('pubsub#title', 'Madoguchi evidence log: signed heads'),
              field('pubsub#access_model', 'open'),
              field('pubsub#persist_items', '1'),
              field('pubsub#max_items', 'max'),
              field('pubsub#send_last_published_item', 'on_sub'),
              field('pubsub#notify_retract', '1'),
              field('pubsub#notify_delete', '1'),
            ),
          ),
        ),
        'create',
      );
    },

    /** Publishes a head now, or as the newest of the next interval; returns at once. */
    publish(head: SignedHead): void {
      if (waiting && waiting.seq > head.seq) return;
      waiting = head;
      if (timer) return;
      const flush = () => {
        timer = undefined;
        const h = waiting as SignedHead;
        waiting = undefined;
        lastSent = Date.now();
        sendIq(
          xml(
            'pubsub',
            { xmlns: NS_PUBSUB },
            xml('publish', { node }, xml('item', { id: String(h.seq) }, xml('head', { xmlns: NS_EVIDENCE_HEAD }, headJson(h)))),
          ),
          'publish',
          h.seq,
        );
      };
      const wait = lastSent + minIntervalMs - Date.now();
      if (wait <= 0) return flush();
      timer = setTimeout(flush, wait);
      timer.unref();
    },

    /** The router's hook for IQ results and errors: true when the reply was one of ours. */
    onReply(stanza: Element): boolean {
      const id = String(stanza.attrs.id ?? '');
      if (!id.startsWith(ID_PREFIX) || stanza.attrs.from !== service) return false; // replies come from the service only
      const sent = pending.get(id);
      pending.delete(id);
      if (stanza.attrs.type !== 'error' || !sent) return true;
      const condition = stanza.getChild('error')?.getChildElements()[0]?.name;
      if (sent.what === 'create' && condition === 'conflict') return true; // the node exists
      log.warn({ service, node, what: sent.what, seq: sent.seq, condition }, 'evidence head witness: refused');
      return true;
    },
  };
}
export type PubsubWitness = ReturnType<typeof createPubsubWitness>;
