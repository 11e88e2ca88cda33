/**
 * What an operator does: presence (DESIGN §2 "Operators"), replies to masked JIDs,
 * commands. Only configured operators reach any of it.
 */
import { bareJid, resourceOf } from '../../src/jid.js';
import { parseOperatorInput, type ParsedInput } from '../../src/commands.js';
import { DomainError, isDomainError } from '../../src/errors.js';
import { parseShow, takesNewCustomers } from '../../src/presence.js';
import { checkBodyLength } from '../../src/relay-policy.js';
import { texts } from '../../src/texts.js';
import type { OperatorConfig } from '../../config/schema.js';
import type { Ticket } from '../store/desk-store.js';
import { chat } from '../protocol/stanzas.js';
import { deskStatus } from '../protocol/desk-status.js';
import type { Element } from '../protocol/xml.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';
import type { Dispatcher } from './dispatcher.js';
import type { PositionNotifier } from './position-notifier.js';
import { relayCopy } from '../protocol/relay-copy.js';
import type { CommandRegistry } from './commands/registry.js';
import type { FirstResponseCounter } from './first-response.js';
import type { Invocation } from './commands/types.js';
import type { Continuation } from '../lib/scheduling.js';
import { createProbeAnswers } from './probe-answers.js';
import { createPresenceReport } from './report-facts.js';

/** How long operators' servers have to answer the desk's probes (loopback: milliseconds; s2s: a new connection). */
const PROBE_ANSWER_MS = 5000;

interface OwnChat {
  ticket: Ticket;
  monitors: string[];
}

export function createOperatorService(
  ctx: ServiceContext<'operators' | 'sessions' | 'reports'>,
  dispatcher: Dispatcher,
  presence: DeskPresence,
  positions: PositionNotifier,
  commands: CommandRegistry,
  firstResponse: FirstResponseCounter,
) {
  const { store, directory, send, log, config } = ctx;
  const probeAnswers = createProbeAnswers(PROBE_ANSWER_MS);
  const presenceChanged = createPresenceReport(ctx);

  /** Runs a text command; refusals are answered in the chat, where every client shows them. */
  async function runCommand(input: ParsedInput, inv: Omit<Invocation, 'args'>, replyFrom: string, to: string): Promise<void> {
    let reply: string;
    if (input.kind === 'unknown-command') reply = texts.notAvailableCommand(input.name);
    else if (input.kind !== 'command') return;
    else {
      try {
        reply = await commands.execute(input.name, { ...inv, args: input.args });
      } catch (err) {
        if (!isDomainError(err)) throw err;
        reply = `⚠ ${err.message}`;
      }
    }
    if (reply) send(chat(replyFrom, to, reply));
  }

  function requireOperator(from: string) {
    const op = directory.operator(bareJid(from));
    if (!op) throw new DomainError('not-an-operator', "Only the desk's operators may do this");
    return op;
  }

  async function ownChat(local: string, from: string): Promise<OwnChat> {
    const found = await store.sessions.chatByMasked(local);
    if (!found) throw new DomainError('unknown-session', 'No such chat');
    const { ticket } = found;
    if (ticket.operator !== bareJid(from) || ticket.state === 'waiting') {
      throw new DomainError('not-your-session', 'This chat is not assigned to you');
    }
    if (ticket.state === 'ended') throw new DomainError('unknown-session', `Chat #${ticket.id} has ended`);
    return found;
  }

  async function relayToCustomer(op: OperatorConfig, from: string, { ticket, monitors }: OwnChat, stanza: Element): Promise<void> {
    const body = stanza.getChildText('body') ?? undefined;
    checkBodyLength(body, config.limits.maxBodyChars);
    const input = body === undefined ? { kind: 'text' as const, body: '' } : parseOperatorInput(body);
    if (input.kind !== 'text') {
      return runCommand(input, { operator: op, bare: bareJid(from), ticket, desk: ticket.desk }, directory.maskedJid(ticket.masked), from);
    }
    const copy = relayCopy(stanza, directory.deskJid(ticket.desk, op.name), ticket.customer);
    const bodyEl = copy.getChild('body');
    if (bodyEl && input.body !== body) bodyEl.children = [input.body]; // `!!text` → `!text`
    send(copy, { kind: 'message', direction: 'operator->customer', ticket });
    if (body !== undefined) {
      firstResponse(ticket);
      for (const s of monitors) send(chat(directory.maskedJid(ticket.masked), s, texts.monitorCopy(ticket.id, op.name, input.body)));
    }
  }

  return {
    /** Who is acting and where, for commands that arrive as XEP-0050 ad-hoc requests. */
    async invocationFor(from: string, target: { desk: string } | { masked: string }): Promise<Omit<Invocation, 'args'>> {
      const op = requireOperator(from);
      if ('desk' in target) return { operator: op, bare: bareJid(from), desk: target.desk };
      const { ticket } = await ownChat(target.masked, from);
      return { operator: op, bare: bareJid(from), ticket, desk: ticket.desk };
    },

    async onPresence(from: string, show: string | undefined, available: boolean): Promise<void> {
      const bare = bareJid(from);
      const op = directory.operator(bare);
      if (!op) return;
      probeAnswers.heard(bare);
      const now = ctx.now();
      const change = await store.operators.operatorPresence(
        bare,
        resourceOf(from),
        available ? parseShow(show) : '',
        now,
        directory.routing().graceSeconds * 1000,
        directory.maxChatsOf(bare),
        op.desks, // desks: heals a Redis that lost its data
      );
      if (change.previous === change.current) return;
      log.info({ operator: bare, from: change.previous, to: change.current, active: change.active }, 'operator presence');
      presenceChanged({
        operator: bare,
        desks: op.desks,
        previous: change.previous,
        current: change.current,
        since: change.since,
        at: now,
      });
      for (const desk of op.desks) {
        if (takesNewCustomers(change.current)) await dispatcher.dispatch(desk);
        else presence.refresh(desk);
        positions.schedule(desk);
      }
    },

    /** A message from an operator to a masked customer JID. */
    async onMessageToCustomer(local: string, stanza: Element): Promise<void> {
      return (await this.startMessageToCustomer(local, stanza))();
    },

    /**
     * onMessageToCustomer in two parts for the router's pipelined lane: the chat lookup (read
     * only), then the relay, in order. The router runs commands (`!…`) as barriers instead:
     * they change what the next message's lookup would find.
     */
    async startMessageToCustomer(local: string, stanza: Element): Promise<Continuation> {
      const from = String(stanza.attrs.from);
      const op = requireOperator(from);
      const found = await ownChat(local, from);
      return () => relayToCustomer(op, from, found, stanza);
    },

    /** Desk-wide commands: an operator writing to the desk JID. */
    async onMessageToDesk(desk: string, stanza: Element): Promise<void> {
      const from = String(stanza.attrs.from);
      const op = requireOperator(from);
      const body = stanza.getChildText('body');
      if (body === null) return;
      const input = parseOperatorInput(body);
      const command: ParsedInput = input.kind === 'text' ? { kind: 'command', name: 'help', args: '' } : input;
      await runCommand(command, { operator: op, bare: bareJid(from), desk }, directory.deskJid(desk), from);
    },

    /** The desk probed these subscribed operators just now (after a (re)connection). */
    probed(operators: Iterable<string>): void {
      probeAnswers.expect(operators, ctx.now());
    },

    /** Operators whose server never answered the probe are offline (probe-answers.ts: ejabberd). */
    async sweepProbes(): Promise<void> {
      for (const bare of probeAnswers.unanswered(ctx.now())) {
        log.info({ operator: bare }, 'no answer to the presence probe: offline');
        await this.onPresence(bare, undefined, false);
      }
    },

    /** Operators offline past the grace period: their customers go back to the head of the queue. */
    async sweepGrace(): Promise<void> {
      for (const jid of await store.operators.operatorsPastGrace(ctx.now())) {
        const requeued = await store.operators.requeueOperator(jid, ctx.now());
        for (const { ticketId, desk } of requeued) {
          const ticket = await store.sessions.ticket(ticketId);
          if (ticket) {
            const tag = { kind: 'requeue', ticket: { ...ticket, operator: jid } } as const;
            send(
              chat(directory.deskJid(desk), ticket.customer, texts.requeued(ticketId), [
                deskStatus({ ticket: ticketId, state: 'waiting', position: 1, waitMs: Number.POSITIVE_INFINITY }),
              ]),
              { ...tag, direction: 'desk->customer' },
            );
            send(chat(directory.maskedJid(ticket.masked), jid, texts.requeuedOperator(ticketId)), { ...tag, direction: 'desk->operator' });
          }
          log.info({ ticket: ticketId, desk, operator: jid }, 'session requeued after grace');
        }
        for (const desk of new Set(requeued.map((r) => r.desk))) {
          await dispatcher.dispatch(desk);
          positions.schedule(desk);
        }
      }
    },
  };
}
export type OperatorService = ReturnType<typeof createOperatorService>;
