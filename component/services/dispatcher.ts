/**
 * Connects the head of a desk's queue to a free operator, repeatedly, until nobody
 * waits or nobody has room. Each round trip is one Lua transition (assign-ready-3.lua) that gives
 * up to BATCH heads of the line, each to the operator the desk's ready set ranks first (src/queue-policy.ts's order) and re-checks
 * the operator's hash, so racing dispatchers (two instances) never assign twice or overfill.
 * Requests for a desk coalesce: while a run is queued, more requests join it (a burst of
 * joins costs one run, not one run per join).
 */
import { customerName, texts } from '../../src/texts.js';
import type { Ticket } from '../store/desk-store.js';
import { chat, nick } from '../protocol/stanzas.js';
import { deskStatus } from '../protocol/desk-status.js';
import { parseXml } from '../protocol/xml.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';
import type { PositionNotifier } from './position-notifier.js';
import { readdress } from '../protocol/relay-copy.js';
import { createPrioritySerializer } from '../lib/priority-serializer.js';
import type { HandoverContext } from './handover-context.js';
import { createCustomerPresence } from './customer-presence.js';

const MAX_ASSIGNMENTS = 10_000;
/** Assignments per round trip (assign-ready-3.lua): a burst of freed slots costs a few round trips. */
const BATCH = 32;
/**
 * Joins of one desk run together, this many at once (their round trips overlap); a dispatch run
 * waits for at most one such batch (BENCHMARKS.md F26: it used to wait behind every join queued).
 */
const JOIN_BATCH = 64;

export function createDispatcher(
  ctx: ServiceContext<'queue' | 'reports' | 'sessions'>,
  presence: DeskPresence,
  positions: PositionNotifier,
  handover?: HandoverContext,
) {
  const { store, directory, send, log } = ctx;
  /** Per desk: dispatch runs and picks (`first`) overtake the joins waiting (`batched`), never overlapping them. */
  const lanes = createPrioritySerializer({ batch: JOIN_BATCH });
  const customerPresence = createCustomerPresence(ctx);
  /** The run queued behind the running one, per desk: later requests share it. */
  const queued = new Map<string, Promise<void>>();

  /** Sends the operator the intro and the buffered messages, the customer the "has joined". */
  function announce(ticket: Ticket, buffered: readonly string[]): void {
    const op = directory.operator(ticket.operator);
    const deskName = directory.desk(ticket.desk)?.name ?? ticket.desk;
    const masked = directory.maskedJid(ticket.masked);
    const name = customerName(ticket);
    const messages = buffered.map((raw) => parseXml(raw));
    // A requeued or transferred ticket has no buffer left: its first words were kept.
    const first = messages.find((m) => m.getChildText('body'))?.getChildText('body') ?? (ticket.firstWords || undefined);
    const intro = texts.assignmentIntro({
      ticket: ticket.id,
      deskName,
      customerName: name,
      waitedMs: ticket.assignedAt - ticket.createdAt,
      firstMessage: first ?? undefined,
      summary: ticket.summary,
    });
    send(chat(masked, ticket.operator, intro, [nick(name)]), {
      kind: 'assign',
      direction: 'desk->operator',
      ticket,
      data: { waitedMs: ticket.assignedAt - ticket.createdAt },
    });
    if (ticket.detachedAt) customerPresence.reconnecting(ticket);
    else customerPresence.here(ticket);
    for (const m of messages) send(readdress(m, masked, ticket.operator), { kind: 'message', direction: 'customer->operator', ticket });
    const opName = op?.name ?? 'An operator';
    send(
      chat(directory.deskJid(ticket.desk, opName), ticket.customer, texts.operatorJoined(opName), [
        deskStatus({ ticket: ticket.id, state: 'active', operator: opName }),
      ]),
      { kind: 'system', direction: 'desk->customer', ticket },
    );
    log.info(
      { ticket: ticket.id, desk: ticket.desk, operator: ticket.operator, waitedMs: ticket.assignedAt - ticket.createdAt },
      'session assigned',
    );
    // Back from a transfer to the desk or a requeue: the new operator gets the chat so far.
    if (messages.length === 0 && handover)
      void handover(ticket, ticket.operator).catch((err: Error) => log.warn({ err: err.message }, 'handover context not sent'));
  }

  /**
   * The crash-recovery mark of an announced assignment (pending-announce, and the buffer the
   * operator was handed) is cleared only once the intro and the buffered messages are on the
   * socket: cleared before, a kill -9 in between lost the customer's messages (the fault suite's
   * reviewer found the window). A link that drops first never clears it, so the next connection
   * announces again (resumeAnnouncements): at least once, never lost.
   */
  function markAnnouncedWhenWritten(ticketId: number): void {
    (ctx.whenWritten ?? setImmediate)(() => {
      store.sessions
        .markAnnounced(ticketId)
        .catch((err: Error) => log.warn({ err: err.message, ticket: ticketId }, 'announcement not marked'));
    });
  }

  async function dispatchNow(desk: string): Promise<void> {
    let assigned = 0;
    while (assigned < MAX_ASSIGNMENTS) {
      const { assigned: batch, stop } = await store.queue.assignReady(desk, ctx.now(), BATCH);
      // Synchronous: nothing relayed can overtake the intros; then the crash-recovery marks, once written.
      for (const a of batch) {
        announce(a.ticket, a.buffered);
        markAnnouncedWhenWritten(a.ticket.id);
      }
      assigned += batch.length;
      if (stop !== 'limit') break; // nobody waits, or nobody has room
    }
    if (assigned > 0) positions.schedule(desk);
    presence.refresh(desk);
  }

  /** An operator's manual pick of one waiting ticket (operator !pick). */
  async function pickNow(desk: string, ticketId: number, operator: string) {
    const outcome = await store.sessions.assignNext(desk, ticketId, operator, ctx.now(), 'pick');
    if (outcome.ok) {
      announce(outcome.ticket, outcome.buffered);
      markAnnouncedWhenWritten(outcome.ticket.id);
      positions.schedule(desk);
      presence.refresh(desk);
    }
    return outcome;
  }

  /** Joins the queued run if there is one (it has not looked at the queue yet), else queues one. */
  function dispatch(desk: string): Promise<void> {
    const pending = queued.get(desk);
    if (pending) return pending;
    const requested = performance.now();
    const run = lanes.first(desk, () => {
      queued.delete(desk);
      return dispatchNow(desk);
    });
    queued.set(desk, run);
    if (ctx.meter)
      void run.then(
        () => ctx.meter?.dispatched((performance.now() - requested) / 1000),
        () => undefined,
      );
    return run;
  }

  return {
    dispatch,
    /**
     * Runs `task` while no dispatch of the desk runs (in this process): a join's enqueue and welcome,
     * so an assignment of the new ticket never overtakes the welcome (customer and evidence log alike).
     * Joins waiting run together in bounded batches, after the dispatch runs requested meanwhile.
     */
    exclusive<T>(desk: string, task: () => Promise<T>): Promise<T> {
      let result: T | undefined;
      return lanes
        .batched(desk, async () => {
          result = await task();
        })
        .then(() => result as T);
    },
    pick: (desk: string, ticketId: number, operator: string) => {
      let result: Awaited<ReturnType<typeof pickNow>> | undefined;
      return lanes
        .first(desk, async () => {
          result = await pickNow(desk, ticketId, operator);
        })
        .then(() => result as Awaited<ReturnType<typeof pickNow>>);
    },
    dispatchAll: () => Promise.all(directory.desks().map((d) => dispatch(d.id))),
    /** After a crash between assignment and announcement (startup; the leader's tick: those older than `olderThanMs`). */
    async resumeAnnouncements(olderThanMs = 0): Promise<void> {
      const cutoff = ctx.now() - olderThanMs;
      for (const id of await store.sessions.pendingAnnouncements()) {
        const ticket = await store.sessions.ticket(id);
        // Several instances: one assigned a moment ago is another live instance's, on its way to the socket.
        if (olderThanMs > 0 && ticket?.state === 'active' && ticket.assignedAt > cutoff) continue;
        if (ticket?.state === 'active') announce(ticket, await store.sessions.buffered(id));
        markAnnouncedWhenWritten(id);
      }
    },
  };
}
export type Dispatcher = ReturnType<typeof createDispatcher>;
