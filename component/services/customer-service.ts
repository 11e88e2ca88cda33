/**
 * What a customer does at a desk JID: join by writing, keep writing (buffered while
 * waiting, relayed once connected), leave. DESIGN §2 "Customers". Widget customers are known
 * by their token's key and get acks, reattach and sneak peek (docs/widget-protocol.md).
 */
import { parseJid } from '../../src/jid.js';
import { maskedLocal } from '../../src/masked-jid.js';
import { estimateWaitMs } from '../../src/estimate.js';
import { DomainError } from '../../src/errors.js';
import { checkBodyLength } from '../../src/relay-policy.js';
import { freeSlots, onlineCapacity } from '../../src/queue-policy.js';
import { texts } from '../../src/texts.js';
import { deskText } from '../../src/desk-texts.js';
import { chat, delay } from '../protocol/stanzas.js';
import { NS_DESK, NS_NICK, NS_RECEIPTS, NS_SID } from '../protocol/namespaces.js';
import { xml } from '../protocol/xml.js';
import { isTokenKey } from '../../src/customer/token.js';
import { formSummary, type PageView } from '../../src/customer/join-form.js';
import type { CustomerIdentity, RawIdentity } from './customer-identity.js';
import type { DraftBook } from './drafts.js';
import type { IdentityRecord } from '../store/customer-store.js';
import { createCustomerPresence } from './customer-presence.js';
import { deskStatus } from '../protocol/desk-status.js';
import type { Element } from '../protocol/xml.js';
import { createReportStamps } from './report-facts.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';
import { readDeskSnapshot } from './desk-snapshot.js';
import type { Dispatcher } from './dispatcher.js';
import type { MailNotices } from './mail-notices.js';
import { relayCopy } from '../protocol/relay-copy.js';
import type { Continuation } from '../lib/scheduling.js';
import type { SessionEnder } from './session-ender.js';
import { createClosedDesk } from './closed-desk.js';

const NICK_MAX = 64;
const FIRST_WORDS = 80;
/** How long a widget-like first message waits for a <session/> it may have overtaken (docs/widget-protocol.md §1). */
export const SESSION_WAIT_MS = 2_000;

export interface JoinDetails {
  customerKey: string;
  form?: Record<string, string>;
  pages?: readonly PageView[];
  /** The identity the site claimed (issue 20), kept for !info. */
  identity?: IdentityRecord;
}

export type JoinOutcome =
  | { kind: 'banned' }
  | { kind: 'queued' | 'existing'; ticketId: number; state: 'waiting' | 'active'; position: number; waitMs: number };

export interface CustomerServiceDeps {
  dispatcher: Dispatcher;
  presence: DeskPresence;
  endSession: SessionEnder;
  identity: CustomerIdentity;
  drafts: DraftBook;
  /** Mail to the desk's staff when a message is kept while the desk is closed (absent: no mail configured). */
  mail?: MailNotices;
}

export function createCustomerService(
  ctx: ServiceContext<'audiences' | 'customers' | 'queue' | 'reports' | 'sessions' | 'hours'>,
  deps: CustomerServiceDeps,
) {
  const reportStamps = createReportStamps(ctx);
  const { store, directory, send, log, config } = ctx;
  const { dispatcher, presence, endSession, identity, drafts } = deps;
  const customerPresence = createCustomerPresence(ctx);
  const originIdOf = (stanza: Element) => String(stanza.getChild('origin-id', NS_SID)?.attrs.id ?? '').slice(0, 128);
  const closedDesk = createClosedDesk(ctx, deps.mail);
  /** docs/widget-protocol.md §4: the desk has stored or relayed this message. */
  const ack = (desk: string, to: string, id: string) =>
    send(xml('message', { from: directory.deskJid(desk), to }, xml('ack', { xmlns: NS_DESK, id })));

  /**
   * XEP-0184 receipts from the desk (README "Acks and receipts"). The customer writes to the desk
   * JID, so the desk is the intended recipient (XEP-0184 §7): it answers a <request/> itself, once
   * the message is stored in Redis (waiting) or relayed to the operator, and again for a resend
   * (§4: senders expect several acks). The request is stripped from the operator's copy, so the
   * operator's client never answers too: one receipt, and it means "the desk has it".
   */
  const receipt = (desk: string, to: string, stanza: Element) => {
    const id = stanza.attrs.id;
    if (id && stanza.getChild('request', NS_RECEIPTS)) {
      send(xml('message', { from: directory.deskJid(desk), to, type: 'chat' }, xml('received', { xmlns: NS_RECEIPTS, id: String(id) })));
    }
  };
  /** The customer's message as the operator gets it: allowlisted payload, no receipt request. */
  const customerCopy = (stanza: Element, from?: string, to?: string, extra: Element[] = []) =>
    relayCopy(stanza, from, to, extra).remove('request', NS_RECEIPTS);

  /** The stanza as it will be stored while waiting: allowlisted payload, stamped (XEP-0203). */
  const forBuffer = (stanza: Element) => customerCopy(stanza, undefined, undefined, [delay(directory.domain, ctx.now())]).toString();

  /**
   * Queues the customer with `stanza` as the first message (or finds the live ticket), then
   * dispatches. The enqueue, the join record and the welcome run while the desk dispatches nothing,
   * so they come before the ticket's assignment, as they happened (an operator's presence handled in
   * between used to assign first: "has joined", then "you are number 1", in the log too).
   */
  async function join(desk: string, from: string, stanza: Element, details: JoinDetails): Promise<JoinOutcome> {
    const joined = await dispatcher.exclusive(desk, () => enqueue(desk, from, stanza, details));
    if (joined.kind === 'queued') await dispatcher.dispatch(desk);
    return joined;
  }

  async function enqueue(desk: string, from: string, stanza: Element, details: JoinDetails): Promise<JoinOutcome> {
    const name = (details.form?.name ?? stanza.getChildText('nick', NS_NICK) ?? '').trim().slice(0, NICK_MAX);
    const firstMessage = stanza.getChild('body') ? forBuffer(stanza) : ''; // a form without a question
    const joinedAt = ctx.now();
    const joined = await store.sessions.enqueue({
      desk,
      customer: from,
      customerKey: details.customerKey,
      name,
      now: joinedAt,
      maskedSuffix: maskedLocal(0).slice(-4),
      firstMessage,
      firstWords: (stanza.getChildText('body') ?? '').slice(0, FIRST_WORDS),
      originId: originIdOf(stanza),
      summary: details.form ? formSummary(details.form) : '',
      report: reportStamps.stamp(desk, joinedAt), // counted as requested by the join itself
    });
    if (joined.state === 'banned') {
      log.info({ desk }, 'blacklisted customer refused');
      return { kind: 'banned' };
    }
    if (joined.state !== 'waiting' && joined.state !== 'active') throw new Error(`enqueue returned state ${joined.state}`);
    if (!joined.created)
      return { kind: 'existing', ticketId: joined.ticketId, state: joined.state, position: joined.position, waitMs: Number.NaN };
    const [, snap] = await Promise.all([
      store.customers.saveJoinDetails(joined.ticketId, details.customerKey, details.form ?? {}, details.pages ?? []),
      readDeskSnapshot(ctx, desk),
    ]);
    if (details.identity) await store.customers.saveIdentity(joined.ticketId, details.identity);
    const waitMs = estimateWaitMs({
      position: joined.position,
      avgHandleMs: snap.avgHandleMs,
      onlineCapacity: onlineCapacity(snap.loads),
      freeSlots: freeSlots(snap.loads),
    });
    const deskName = directory.desk(desk)?.name ?? desk;
    const lang = details.form?.language ?? stanza.attrs['xml:lang'];
    const greeting = deskText(directory.desk(desk)?.texts, snap.state.mode === 'busy' ? 'busy' : 'welcome', lang, deskName);
    const ticket = { id: joined.ticketId, desk, customer: from };
    // createdAt: the ticket's own time (the record's ts is a few round trips later), so a rebuild files and times it alike.
    const data = { position: joined.position, createdAt: joinedAt };
    void ctx.evidence.record({ kind: 'join', direction: 'customer->desk', ticket, data }, firstMessage);
    send(
      chat(directory.deskJid(desk), from, texts.queued(deskName, joined.ticketId, joined.position, waitMs, greeting), [
        deskStatus({ ticket: joined.ticketId, state: 'waiting', position: joined.position, waitMs }),
      ]),
      { kind: 'system', direction: 'desk->customer', ticket },
    );
    log.info({ ticket: joined.ticketId, desk, position: joined.position }, 'customer queued');
    return { kind: 'queued', ticketId: joined.ticketId, state: 'waiting', position: joined.position, waitMs };
  }

  /** A plain chat message that finds no live ticket (DESIGN §2: writing to the desk joins it). */
  async function joinByMessage(desk: string, from: string, stanza: Element, customerKey: string): Promise<void> {
    // Outside business hours nothing joins the queue: the message is left for later (issue 17).
    const name = (stanza.getChildText('nick', NS_NICK) ?? '').trim().slice(0, NICK_MAX);
    if (stanza.getChild('body') && (await closedDesk.takeMessage(desk, from, stanza, customerKey, name)))
      return receipt(desk, from, stanza);
    const joined = await join(desk, from, stanza, { customerKey });
    if (joined.kind === 'banned') {
      // CHATS' blacklist: the desk simply looks closed to this customer; nothing is queued.
      send(chat(directory.deskJid(desk), from, texts.closedForCustomer()), {
        kind: 'ban',
        direction: 'desk->customer',
        ticket: null,
        desk,
        data: { refused: true },
      });
      return;
    }
    if (joined.kind === 'existing') return forward(desk, from, stanza); // lost a race with our own earlier message
    const originId = originIdOf(stanza);
    if (originId && isTokenKey(customerKey)) ack(desk, from, originId);
    receipt(desk, from, stanza);
  }

  /** A full JID on the widget's anonymous domain: it may be about to bind a token. */
  const mayBeWidget = (from: string) => {
    const jid = parseJid(from);
    return jid.resource !== '' && jid.domain === config.widget.guestDomain;
  };

  /** One round trip on the hot path; a second, with the stored copy, only while waiting. */
  async function forward(desk: string, from: string, stanza: Element): Promise<void> {
    return (await lookUp(desk, from, stanza))();
  }

  /**
   * The first part of forwarding: where the message goes. It changes nothing but the origin-id
   * dedup, so the router may run it while the sender's previous message is still being settled
   * (fair-scheduler.ts, pipelined tasks); what it found is acted on in order.
   */
  async function lookUp(desk: string, from: string, stanza: Element): Promise<Continuation> {
    const hasBody = stanza.getChild('body') !== undefined;
    let customerKey = await identity.keyOf(from);
    const originId = originIdOf(stanza);
    let routed = await store.sessions.customerMessage(desk, customerKey, '', hasBody, originId);
    if (routed.state === 'missing' && hasBody && originId && !isTokenKey(customerKey) && mayBeWidget(from)) {
      // It would open a ticket, but a reconnected widget's message can overtake its <session/>
      // (the router binds a <session/> as soon as it arrives): wait briefly for it.
      const bound = await identity.boundWithin(from, SESSION_WAIT_MS);
      if (bound) {
        customerKey = bound;
        routed = await store.sessions.customerMessage(desk, customerKey, '', hasBody, originId);
      }
    }
    return () => settle(desk, from, stanza, { customerKey, originId, hasBody }, routed);
  }

  async function settle(
    desk: string,
    from: string,
    stanza: Element,
    { customerKey, originId, hasBody }: { customerKey: string; originId: string; hasBody: boolean },
    found: Awaited<ReturnType<typeof store.sessions.customerMessage>>,
  ): Promise<void> {
    let routed = found;
    let payload = '';
    if (routed.state === 'needs-payload') {
      payload = forBuffer(stanza);
      routed = await store.sessions.customerMessage(desk, customerKey, payload, true, originId);
    }
    const acked = originId !== '' && isTokenKey(customerKey);
    switch (routed.state) {
      case 'duplicate':
        log.debug({ ticket: routed.ticketId }, 'resent message not relayed again');
        if (acked) ack(desk, from, originId);
        receipt(desk, from, stanza);
        return;
      case 'active': {
        const masked = directory.maskedJid(routed.masked);
        const ticket = { id: routed.ticketId, desk, customer: from, masked: routed.masked, operator: routed.operator };
        send(customerCopy(stanza, masked, routed.operator), { kind: 'message', direction: 'customer->operator', ticket });
        // Remember the origin-id only once the copy has reached the socket (a congested link
        // keeps it in memory for a while): a crash before that gets the resend relayed, not
        // dropped as a duplicate (the fault suite lost such messages under load).
        if (originId) (ctx.whenWritten ?? setImmediate)(() => store.sessions.relayed(desk, customerKey, routed.ticketId, originId));
        if (acked) ack(desk, from, originId);
        receipt(desk, from, stanza);
        drafts.observe(routed.ticketId, stanza, ctx.now());
        const body = stanza.getChildText('body');
        if (body !== null) for (const s of routed.monitors) send(chat(masked, s, texts.monitorCopy(routed.ticketId, 'customer', body)));
        return;
      }
      case 'full':
        throw new DomainError('body-too-long', 'Too many messages while waiting; please wait for the operator');
      case 'missing':
        if (hasBody && stanza.getChildText('body')?.trim()) return joinByMessage(desk, from, stanza, customerKey);
        return; // typing before writing: nothing to queue
      case 'buffered':
        void ctx.evidence.record(
          { kind: 'message', direction: 'customer->desk', ticket: { id: routed.ticketId, desk, customer: from } },
          payload,
        );
        if (acked) ack(desk, from, originId);
        receipt(desk, from, stanza);
        return;
      default: // dropped: a chat state while waiting; in-flight: a resend of a copy still on its way (no ack yet)
        return;
    }
  }

  return {
    join,

    async onMessage(desk: string, stanza: Element): Promise<void> {
      return (await this.startMessage(desk, stanza))();
    },

    /** onMessage in two parts for the router's pipelined lane: the lookup, then the rest in order. */
    async startMessage(desk: string, stanza: Element): Promise<Continuation> {
      const body = stanza.getChildText('body') ?? undefined;
      checkBodyLength(body, config.limits.maxBodyChars);
      // The receipt of a live !reply (issue 17: shown once across widget and mail) is the desk's, not relayed.
      const shown = body === undefined ? stanza.getChild('received', NS_RECEIPTS)?.attrs.id : undefined;
      if (typeof shown === 'string' && deps.mail && (await deps.mail.shownLive(shown, await identity.keyOf(String(stanza.attrs.from)))))
        return async () => {};
      return lookUp(desk, String(stanza.attrs.from), stanza);
    },

    /** Unavailable presence to the desk, or a bounce from the customer's address. */
    async onLeft(desk: string, from: string): Promise<void> {
      const customerKey = await identity.keyOf(from);
      const otherTabs = isTokenKey(customerKey) && from.includes('/') ? await store.customers.unbindJid(customerKey, from) : [];
      const ticketId = await store.sessions.ticketIdOfCustomer(desk, customerKey);
      if (ticketId === undefined) return;
      const ticket = await store.sessions.ticket(ticketId);
      // Another resource of the same account (or the widget's next page) may be chatting.
      if (!ticket || (from.includes('/') && ticket.customer !== from)) return;
      if (ticket.state !== 'waiting' && ticket.state !== 'active') return;
      const nextTab = otherTabs[0];
      if (nextTab && (await store.customers.attach(desk, customerKey, nextTab))) {
        // The same browser still has the shop open in another tab: the chat continues there.
        log.info({ ticket: ticketId, desk }, 'widget customer continues in another tab');
        return;
      }
      if (isTokenKey(customerKey) && directory.routing().customerGraceSeconds > 0) {
        // docs/widget-protocol.md §1: the widget's next page reattaches within the grace period.
        await store.customers.detach(ticketId, ctx.now());
        if (ticket.state === 'active') customerPresence.reconnecting(ticket);
        log.info({ ticket: ticketId, desk }, 'widget customer detached');
        return;
      }
      await endSession(ticketId, desk, 'customer-left');
    },

    /** Widget customers who did not come back within routing.customerGraceSeconds. */
    async sweepDetached(): Promise<void> {
      for (const id of await store.customers.detachedSince(ctx.now() - directory.routing().customerGraceSeconds * 1000)) {
        const ticket = await store.sessions.ticket(id);
        await store.customers.forgetDetached(id);
        if (!ticket?.detachedAt || (ticket.state !== 'waiting' && ticket.state !== 'active')) continue;
        await endSession(id, ticket.desk, 'customer-left').catch((err: Error) =>
          log.warn({ err: err.message, ticket: id }, 'detached ticket not ended'),
        );
        drafts.clear(id);
      }
    },

    /** A <session/> arrived (the router calls this before queueing it): bind at once, for messages it overtook. */
    sessionArriving(from: string, token: string, desk?: string, claimed?: RawIdentity): void {
      // The same key the <session/> will bind: a verified identity's, else the token's (issue 20).
      let verified: string | undefined;
      try {
        const checked = desk && claimed ? identity.check(desk, claimed) : undefined;
        if (checked?.verified) verified = checked.key;
      } catch {
        /* a malformed identity is answered by the <session/> itself */
      }
      identity.bind(from, token, verified).catch(() => undefined); // a bad token is answered by the <session/> itself
    },

    async onPresence(desk: string, from: string, available: boolean): Promise<void> {
      if (available) {
        await store.audiences.addWatcher(desk, from);
        await presence.sendTo(desk, from);
      } else {
        await store.audiences.removeWatcher(desk, from);
        await this.onLeft(desk, from);
        identity.forget(from);
      }
    },
  };
}
export type CustomerService = ReturnType<typeof createCustomerService>;
