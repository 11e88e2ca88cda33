/**
 * What a customer does at a desk JID: join by writing, keep writing (buffered while
 * waiting, relayed once connected), leave. DESIGN §2 "Customers".
 */
import { bareJid } from '../../src/jid.js';
import { maskedLocal } from '../../src/masked-jid.js';
import { estimateWaitMs } from '../../src/estimate.js';
import { DomainError } from '../../src/errors.js';
import { checkBodyLength } from '../../src/relay-policy.js';
import { freeSlots, onlineCapacity } from '../../src/queue-policy.js';
import { texts } from '../../src/texts.js';
import { chat, delay } from '../xmpp/stanzas.js';
import { NS_NICK } from '../xmpp/namespaces.js';
import { deskStatus } from '../xmpp/desk-status.js';
import type { Element } from '../xmpp/xml.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';
import { readDeskSnapshot } from './desk-snapshot.js';
import type { Dispatcher } from './dispatcher.js';
import { relayCopy } from './relay.js';
import type { SessionEnder } from './session-ender.js';

const NICK_MAX = 64;
const FIRST_WORDS = 80;

export function createCustomerService(ctx: ServiceContext, dispatcher: Dispatcher, presence: DeskPresence, endSession: SessionEnder) {
  const { store, directory, send, log, config } = ctx;

  /** The stanza as it will be stored while waiting: allowlisted payload, stamped (XEP-0203). */
  const forBuffer = (stanza: Element) => relayCopy(stanza, undefined, undefined, [delay(directory.domain, ctx.now())]).toString();

  async function join(desk: string, from: string, stanza: Element): Promise<void> {
    const name = (stanza.getChildText('nick', NS_NICK) ?? '').trim().slice(0, NICK_MAX);
    const firstMessage = forBuffer(stanza);
    const joined = await store.enqueue({
      desk, customer: from, customerBare: bareJid(from), name, now: ctx.now(),
      maskedSuffix: maskedLocal(0).slice(-4), firstMessage,
      firstWords: (stanza.getChildText('body') ?? '').slice(0, FIRST_WORDS),
    });
    if (joined.state === 'banned') {
      // CHATS' blacklist: the desk simply looks closed to this customer; nothing is queued.
      send(chat(directory.deskJid(desk), from, texts.closedForCustomer()), { kind: 'ban', direction: 'desk->customer', ticket: null, desk, data: { refused: true } });
      log.info({ desk }, 'blacklisted customer refused');
      return;
    }
    if (!joined.created) return forward(desk, from, stanza); // lost a race with our own earlier message
    const snap = await readDeskSnapshot(ctx, desk);
    const waitMs = estimateWaitMs({
      position: joined.position, avgHandleMs: snap.avgHandleMs,
      onlineCapacity: onlineCapacity(snap.loads), freeSlots: freeSlots(snap.loads),
    });
    const deskName = directory.desk(desk)?.name ?? desk;
    const ticket = { id: joined.ticketId, desk, customer: from };
    void ctx.evidence.record({ kind: 'join', direction: 'customer->desk', ticket, data: { position: joined.position } }, firstMessage);
    send(chat(directory.deskJid(desk), from, texts.queued(deskName, joined.ticketId, joined.position, waitMs),
      [deskStatus({ ticket: joined.ticketId, state: 'waiting', position: joined.position, waitMs })]), { kind: 'system', direction: 'desk->customer', ticket });
    log.info({ ticket: joined.ticketId, desk, position: joined.position }, 'customer queued');
    await dispatcher.dispatch(desk);
  }

  /** One round trip on the hot path; a second, with the stored copy, only while waiting. */
  async function forward(desk: string, from: string, stanza: Element): Promise<void> {
    const hasBody = stanza.getChild('body') !== undefined;
    let routed = await store.customerMessage(desk, bareJid(from), '', hasBody);
    let payload = '';
    if (routed.state === 'needs-payload') {
      payload = forBuffer(stanza);
      routed = await store.customerMessage(desk, bareJid(from), payload, true);
    }
    switch (routed.state) {
      case 'active': {
        const masked = directory.maskedJid(routed.masked);
        const ticket = { id: routed.ticketId, desk, customer: from, masked: routed.masked, operator: routed.operator };
        send(relayCopy(stanza, masked, routed.operator), { kind: 'message', direction: 'customer->operator', ticket });
        const body = stanza.getChildText('body');
        if (body !== null) for (const s of routed.monitors) send(chat(masked, s, texts.monitorCopy(routed.ticketId, 'customer', body)));
        return;
      }
      case 'full':
        throw new DomainError('body-too-long', 'Too many messages while waiting; please wait for the operator');
      case 'missing':
        if (hasBody && stanza.getChildText('body')?.trim()) return join(desk, from, stanza);
        return; // typing before writing: nothing to queue
      case 'buffered':
        void ctx.evidence.record({ kind: 'message', direction: 'customer->desk', ticket: { id: routed.ticketId, desk, customer: from } }, payload);
        return;
      default: // dropped: a chat state while waiting
        return;
    }
  }

  return {
    async onMessage(desk: string, stanza: Element): Promise<void> {
      const from = String(stanza.attrs.from);
      const body = stanza.getChildText('body') ?? undefined;
      checkBodyLength(body, config.limits.maxBodyChars);
      return forward(desk, from, stanza);
    },

    /** Unavailable presence to the desk, or a bounce from the customer's address. */
    async onLeft(desk: string, from: string): Promise<void> {
      const ticketId = await store.ticketIdOfCustomer(desk, bareJid(from));
      if (ticketId === undefined) return;
      const ticket = await store.ticket(ticketId);
      // Another resource of the same account may still be chatting.
      if (!ticket || (from.includes('/') && ticket.customer !== from)) return;
      await endSession(ticketId, desk, 'customer-left');
    },

    async onPresence(desk: string, from: string, available: boolean): Promise<void> {
      if (available) {
        await store.addWatcher(desk, from);
        await presence.sendTo(desk, from);
      } else {
        await store.removeWatcher(desk, from);
        await this.onLeft(desk, from);
      }
    },
  };
}
export type CustomerService = ReturnType<typeof createCustomerService>;
