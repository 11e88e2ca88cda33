/**
 * The widget's requests to a desk (docs/widget-protocol.md): session (bind a token, reattach),
 * join with a form, status, page views, leave a message, transcript, rating, end. Every
 * request but `session` needs a bound token; tickets are answered for their owner only.
 */
import { DomainError } from '../../src/errors.js';
import { bareJid } from '../../src/jid.js';
import { estimateWaitMs } from '../../src/estimate.js';
import { freeSlots, onlineCapacity } from '../../src/queue-policy.js';
import { isTokenKey } from '../../src/customer/token.js';
import { cleanPageViews, validateJoinForm } from '../../src/customer/join-form.js';
import { texts } from '../../src/texts.js';
import { deskText } from '../../src/desk-texts.js';
import type { IdentityRecord, OfflineReply } from '../store/customer-store.js';
import type { IdentityCheck } from '../../src/customer/identity.js';
import type { Ticket } from '../store/desk-store.js';
import type { DeskStatus } from '../protocol/desk-status.js';
import { nick } from '../protocol/stanzas.js';
import { xml } from '../protocol/xml.js';
import { NS_SID } from '../protocol/namespaces.js';
import { createReportStamps } from './report-facts.js';
import type { ServiceContext } from './context.js';
import type { CustomerIdentity, RawIdentity } from './customer-identity.js';
import type { CustomerService } from './customer-service.js';
import { readDeskSnapshot } from './desk-snapshot.js';
import { createCustomerPresence } from './customer-presence.js';
import type { SessionEnder } from './session-ender.js';
import type { TranscriptLine, TranscriptSource } from './transcript-source.js';
import type { MailNotices } from './mail-notices.js';

/** The claim fills what the form left empty; a verified email replaces the form's. */
function withClaim(values: Record<string, string>, checked: IdentityCheck | undefined): Record<string, string> {
  if (!checked) return values;
  const { claim } = checked;
  const name = values.name?.trim() || claim.name || (checked.verified ? (claim.email ?? claim.userId) : undefined);
  const email = checked.verified ? (claim.email ?? values.email) : values.email?.trim() || claim.email;
  return { ...values, ...(name ? { name } : {}), ...(email ? { email } : {}) };
}

const identityRecord = (checked: IdentityCheck): IdentityRecord => ({
  verified: checked.verified,
  ...(checked.verified ? {} : { reason: checked.reason }),
  userId: checked.claim.userId,
  ...(checked.claim.name ? { name: checked.claim.name } : {}),
  ...(checked.claim.email ? { email: checked.claim.email } : {}),
});

export interface RawPage {
  url: string;
  title: string;
  at: string;
}

const MAX_COMMENT = 1000;
const QUESTION_ID = /^[\w.:-]{1,128}$/;
/** Bounds on "leave a message": a looping or hostile page must not fill Redis. */
const MAX_OFFLINE_PER_CUSTOMER = 20;
const MAX_OPEN_OFFLINE_PER_DESK = 10_000;

export interface CustomerRequestDeps {
  identity: CustomerIdentity;
  customers: CustomerService;
  endSession: SessionEnder;
  transcripts: () => TranscriptSource | undefined;
  /** Mail about left messages (issue 17); absent in tests that do not need it. */
  mail?: MailNotices;
}

export function createCustomerRequests(
  ctx: ServiceContext<'customers' | 'queue' | 'reports' | 'sessions' | 'hours'>,
  deps: CustomerRequestDeps,
) {
  const reportStamps = createReportStamps(ctx);
  const { store, directory, log } = ctx;
  const { identity, customers, endSession } = deps;
  const customerPresence = createCustomerPresence(ctx);

  async function requireSession(from: string): Promise<string> {
    const key = await identity.keyOf(from);
    if (!isTokenKey(key)) throw new DomainError('no-customer-session', 'Send <session token/> first');
    return key;
  }

  async function waitingStatus(ticketId: number, queueDesk: string, position: number): Promise<DeskStatus> {
    const snap = await readDeskSnapshot(ctx, queueDesk);
    const waitMs = estimateWaitMs({
      position,
      avgHandleMs: snap.avgHandleMs,
      onlineCapacity: onlineCapacity(snap.loads),
      freeSlots: freeSlots(snap.loads),
    });
    return { ticket: ticketId, state: 'waiting', position, waitMs };
  }

  async function statusOf(t: Ticket): Promise<DeskStatus> {
    if (t.state === 'active') return { ticket: t.id, state: 'active', operator: directory.operator(t.operator)?.name ?? 'An operator' };
    const queueDesk = t.queueDesk || t.desk;
    return waitingStatus(t.id, queueDesk, (await store.queue.queue(queueDesk)).indexOf(t.id) + 1);
  }

  async function liveTicket(desk: string, key: string): Promise<Ticket> {
    const id = await store.sessions.ticketIdOfCustomer(desk, key);
    const t = id === undefined ? undefined : await store.sessions.ticket(id);
    if (!t || (t.state !== 'waiting' && t.state !== 'active')) throw new DomainError('unknown-ticket', 'No live ticket at this desk');
    return t;
  }

  async function ownTicket(from: string, ticketId: number): Promise<Ticket> {
    const key = await requireSession(from);
    const t = Number.isSafeInteger(ticketId) ? await store.sessions.ticket(ticketId) : undefined;
    if (!t || t.customerKey !== key) throw new DomainError('unknown-ticket', `No ticket #${ticketId} of yours`);
    return t;
  }

  /** The desk's form with nothing required but the question: what a verified customer is asked. */
  const questionOnly = (desk: string) => directory.form(desk).map((f) => (f.var === 'question' ? f : { ...f, required: false }));

  const isBanned = async (key: string) => (await store.customers.bannedAmong([key])).size > 0;

  return {
    /** §1: binds the token; reattaches its live ticket; returns the answers to its offline messages. */
    async session(
      desk: string,
      from: string,
      token: string,
      claimed?: RawIdentity,
    ): Promise<{ status?: DeskStatus; replies: OfflineReply[]; identity?: 'verified' | 'unverified' }> {
      // Issue 20: a signed identity binds the user id's key; an unsigned or wrong one stays the token's.
      const checked = claimed ? identity.check(desk, claimed) : undefined;
      if (checked && !checked.verified) log.info({ desk, reason: checked.reason }, 'identity not verified');
      const key = await identity.bind(from, token, checked?.verified ? checked.key : undefined);
      if (await isBanned(key)) {
        // The desk must look closed to this customer's new address as well (its presence).
        await store.customers.ban(bareJid(from), { by: 'desk', reason: 'blacklisted customer token', at: ctx.now(), ticket: 0 });
      }
      const attached = await store.customers.attach(desk, key, from);
      let status: DeskStatus | undefined;
      if (attached) {
        status =
          attached.state === 'active'
            ? { ticket: attached.ticketId, state: 'active', operator: directory.operator(attached.operator)?.name ?? 'An operator' }
            : await waitingStatus(attached.ticketId, attached.queueDesk, attached.position);
        if (attached.state === 'active') {
          const ticket = await store.sessions.ticket(attached.ticketId);
          if (ticket) customerPresence.here(ticket);
        }
        void ctx.evidence.record({
          kind: 'reattach',
          direction: 'customer->desk',
          ticket: { id: attached.ticketId, desk, customer: from },
        });
        log.info({ ticket: attached.ticketId, desk }, 'widget customer reattached');
      }
      const replies = await store.customers.repliesFor(key);
      return {
        status,
        replies: deps.mail ? await deps.mail.unmailed(replies) : replies,
        ...(checked ? { identity: checked.verified ? ('verified' as const) : ('unverified' as const) } : {}),
      };
    },

    /** §2: queue with the pre-chat form; idempotent while a ticket is live. */
    async join(
      desk: string,
      from: string,
      values: Record<string, string>,
      rawPages: readonly RawPage[],
      questionId = '',
      claimed?: RawIdentity,
    ): Promise<DeskStatus> {
      let key = await requireSession(from);
      const checked = claimed ? identity.check(desk, claimed) : undefined;
      // A verified customer skips the form (issue 20): the site vouches for who they are.
      if (checked?.verified && key !== checked.key) key = await identity.bindKey(from, checked.key);
      const form = validateJoinForm(withClaim(values, checked), checked?.verified ? questionOnly(desk) : directory.form(desk));
      const pages = cleanPageViews(rawPages, ctx.now());
      const first = xml('message', { from, to: directory.deskJid(desk), type: 'chat' });
      if (form.question) first.append(xml('body', {}, form.question));
      // XEP-0359: the widget's id of the question, so its transcript line matches what it shows.
      if (form.question && QUESTION_ID.test(questionId)) first.append(xml('origin-id', { xmlns: NS_SID, id: questionId }));
      if (form.name) first.append(nick(form.name));
      // Outside business hours the widget leaves a message instead (§6); its presence said closed.
      // A customer still waiting from before closing keeps the live ticket (served to the end).
      const { closure } = await readDeskSnapshot(ctx, desk);
      if (closure && !(await liveTicket(desk, key).catch(() => undefined))) {
        const deskName = directory.desk(desk)?.name ?? desk;
        const closed = deskText(directory.desk(desk)?.texts, 'closed', form.language, deskName);
        throw new DomainError('desk-closed', texts.closedLeaveMessage(deskName, closure.status, closed));
      }
      const joined = await customers.join(desk, from, first, {
        customerKey: key,
        form,
        pages,
        ...(checked ? { identity: identityRecord(checked) } : {}),
      });
      if (joined.kind === 'banned') throw new DomainError('desk-closed', texts.closedForCustomer());
      if (joined.kind === 'existing') return statusOf(await liveTicket(desk, key));
      return { ticket: joined.ticketId, state: 'waiting', position: joined.position, waitMs: joined.waitMs };
    },

    async status(desk: string, from: string): Promise<DeskStatus> {
      return statusOf(await liveTicket(desk, await requireSession(from)));
    },

    /** §5 */
    async page(desk: string, from: string, raw: RawPage): Promise<void> {
      const t = await liveTicket(desk, await requireSession(from));
      const [page] = cleanPageViews([raw], ctx.now());
      if (!page) throw new DomainError('bad-request', 'A page view needs an http(s) url');
      await store.customers.addPage(t.id, page);
    },

    /** §6: a message for later, when nobody is there. */
    async leaveMessage(desk: string, from: string, values: Record<string, string>, rawPages: readonly RawPage[]): Promise<number> {
      const key = await requireSession(from);
      if (await isBanned(key)) throw new DomainError('desk-closed', texts.closedForCustomer());
      const form = validateJoinForm(values, directory.form(desk));
      if (!form.question) throw new DomainError('invalid-form', 'Field "question" is required for a message');
      const counts = await store.customers.offlineCounts(desk, key);
      if (counts.ofCustomer >= MAX_OFFLINE_PER_CUSTOMER || counts.openAtDesk >= MAX_OPEN_OFFLINE_PER_DESK) {
        throw new DomainError('limit-reached', 'Too many messages are waiting for an answer; please try again later');
      }
      const now = ctx.now();
      const id = await store.customers.createOffline({
        desk,
        customer: from,
        customerKey: key,
        name: form.name ?? '',
        message: form.question,
        form,
        pages: cleanPageViews(rawPages, now),
        now,
        report: reportStamps.offline(desk, now), // requested and offline, counted with the ticket
      });
      const stanza = xml('message', { from, to: directory.deskJid(desk), type: 'chat' }, xml('body', {}, form.question));
      void ctx.evidence.record(
        { kind: 'offline', direction: 'customer->desk', ticket: { id, desk, customer: from }, data: { form, createdAt: now } },
        stanza,
      );
      log.info({ ticket: id, desk }, 'offline message left');
      await deps.mail?.messageLeft({ ticket: id, desk, customerKey: key, form, pages: cleanPageViews(rawPages, now) });
      return id;
    },

    /** §7: the customer's own ticket only; the log is the source. */
    async transcript(from: string, ticketId: number): Promise<{ ticket: Ticket; lines: TranscriptLine[] }> {
      const ticket = await ownTicket(from, ticketId);
      const source = deps.transcripts();
      if (!source) throw new DomainError('not-implemented', 'Transcripts need the evidence log, which is disabled here');
      return { ticket, lines: await source.forTicket(ticket.id, { audience: 'customer' }) };
    },

    /** §7: the transcript by email to the address the customer gave (issue 17). */
    async emailTranscript(from: string, ticketId: number): Promise<void> {
      const ticket = await ownTicket(from, ticketId);
      const source = deps.transcripts();
      if (!deps.mail || !source) throw new DomainError('not-implemented', 'This desk does not mail transcripts');
      if (ticket.state !== 'ended') throw new DomainError('bad-request', 'The transcript is mailed once the chat has ended');
      const lines = await source.forTicket(ticket.id, { audience: 'customer' });
      if (!(await deps.mail.transcript(ticket, lines))) throw new DomainError('bad-request', 'No email address was given for this chat');
      log.info({ ticket: ticket.id }, 'transcript mail queued');
    },

    /** §8 */
    async rate(from: string, ticketId: number, score: number, comment: string): Promise<void> {
      if (!Number.isInteger(score) || score < 1 || score > 5)
        throw new DomainError('bad-request', 'The score is a whole number from 1 to 5');
      if (comment.length > MAX_COMMENT) throw new DomainError('bad-request', `The comment is at most ${MAX_COMMENT} characters`);
      const ticket = await ownTicket(from, ticketId);
      if (ticket.state === 'offline' || !ticket.operator) throw new DomainError('unknown-ticket', `Ticket #${ticketId} was not a chat`);
      const now = ctx.now();
      const rated = { ticket: ticket.id, desk: ticket.desk, operator: ticket.operator, createdAt: ticket.createdAt };
      const before = await store.customers.rate(ticket.id, { score, comment: comment.trim() }, now, (replaces) =>
        reportStamps.fact({ ...rated, kind: 'rating', score, comment: comment.trim(), replaces: replaces?.score ?? null }),
      );
      void ctx.evidence.record({
        kind: 'rating',
        direction: 'customer->desk',
        ticket,
        data: { score, comment: comment.trim(), replaces: before?.score ?? null },
      });
    },

    /** The customer closes the chat (the widget's "End chat"). */
    async end(desk: string, from: string): Promise<DeskStatus> {
      const t = await liveTicket(desk, await requireSession(from));
      await endSession(t.id, desk, 'customer-ended');
      return { ticket: t.id, state: 'ended', reason: 'customer' };
    },
  };
}
export type CustomerRequests = ReturnType<typeof createCustomerRequests>;
