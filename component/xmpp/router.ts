/**
 * The only place where stanza handlers are registered, and where they are wired to the services.
 * Classifies each stanza by kind and target (component domain, desk, masked customer), runs the
 * handler in order per sender (chat relays pipelined), senders taking turns (fair-scheduler.ts),
 * after the senders' rate limits (admission.ts), and turns failures into RFC 6120 §8.3 errors
 * through one boundary.
 */
import type { Logger } from 'pino';
import { isOperatorCommand } from '../../src/commands.js';
import { isDomainError } from '../../src/errors.js';
import { parseJid, bareJid } from '../../src/jid.js';
import { parseMaskedLocal } from '../../src/masked-jid.js';
import { customerName } from '../../src/texts.js';
import type { DeskStore } from '../store/desk-store.js';
import type { DeskMeter, Directory } from '../services/context.js';
import type { CommandRegistry } from '../services/commands/registry.js';
import type { Invocation } from '../services/commands/types.js';
import type { CustomerPresence } from '../services/customer-presence.js';
import type { CustomerRequests } from '../services/customer-requests.js';
import type { CustomerService } from '../services/customer-service.js';
import type { OperatorService } from '../services/operator-service.js';
import type { SubscriptionService } from '../services/subscription-service.js';
import type { Continuation } from '../lib/scheduling.js';
import { createFairScheduler } from '../lib/fair-scheduler.js';
import type { TooFastNotice } from '../services/too-fast-notice.js';
import type { Config } from '../../config/schema.js';
import { createAdmission } from './admission.js';
import { LIVENESS_ID_PREFIX, livenessRecheck } from '../services/liveness.js';
import { ERROR_TABLE } from '../protocol/error-table.js';
import { discoInfo, discoItems, type DiscoTarget } from './handlers/disco.js';
import { createAdhoc } from './handlers/adhoc.js';
import { createAdminAdhoc } from './handlers/admin-adhoc.js';
import type { AdminService } from '../services/admin/admin-types.js';
import { handleDeskRequest, identityOf } from './handlers/desk-protocol.js';
import { NS_COMMANDS, NS_DESK, NS_DISCO_INFO, NS_DISCO_ITEMS, NS_MAM, NS_PING, NS_VCARD } from '../protocol/namespaces.js';
import { handleMam } from './handlers/mam.js';
import { createMamService } from '../evidence/mam.js';
import type { Transcripts } from '../evidence/transcripts.js';
import { vcard } from './handlers/vcard.js';
import { errorCondition, errorReply, iqResult, StanzaFailure, type StanzaError } from '../protocol/stanzas.js';
import type { Element } from '../protocol/xml.js';

export interface RouterDeps {
  directory: Directory;
  store: Pick<DeskStore, 'sessions'>;
  customers: CustomerService;
  operators: OperatorService;
  subscriptions: SubscriptionService;
  /** The widget's requests to a desk (docs/widget-protocol.md). */
  customerRequests: CustomerRequests;
  /** The operators' commands, for XEP-0050. */
  commands: CommandRegistry;
  customerPresence: CustomerPresence;
  /** XEP-0313 archives come from the evidence log's transcripts (absent when the log is disabled). */
  transcripts?: Transcripts;
  send: (stanza: Element) => void;
  log: Logger;
  /** Replies to the component's own IQs (the evidence head witness): true when taken. */
  iqReply?: (stanza: Element) => boolean;
  /** Rate limits and the per-sender backlog bound (config `limits`). */
  limits: Config['limits'];
  /** Looks up and tells a customer's operator that the customer is over the rate limit. */
  tooFast: TooFastNotice;
  /** Relay latency for the metrics (component/metrics/). */
  meter?: DeskMeter;
  /** Who runs a command at the component's domain JID (console-session: operators and bootstrap admins). */
  domainInvoker?: (from: string) => Promise<Omit<Invocation, 'args'>>;
  /** The admin commands on the domain JID (issue 16): the AdminService, the secret sealing their session ids. */
  admin?: { service: AdminService; secret: string; now: () => number };
}

type Target = DiscoTarget | { kind: 'unknown' };

/** Conditions that mean "the address is gone", as opposed to "try later" (RFC 6120 §8.3.3). */
const GONE = new Set(['service-unavailable', 'item-not-found', 'recipient-unavailable', 'remote-server-not-found', 'gone']);

const isRedisOutage = (err: unknown) =>
  err instanceof Error &&
  /Connection is closed|Stream isn't writeable|MaxRetriesPerRequest|ECONNREFUSED|enableOfflineQueue/i.test(err.message);

/** Handlers running at once over all senders; beyond it senders take turns (fair-scheduler.ts). */
const MAX_RUNNING = 256;

export function createRouter(deps: RouterDeps) {
  const { directory, customers, operators, subscriptions, send, log } = deps;
  const { sessions } = deps.store;
  const lanes = createFairScheduler({ maxRunning: MAX_RUNNING, maxInFlightPerKey: 32, maxQueuedPerKey: deps.limits.senderBacklog });
  /**
   * Operators' stanzas have lanes of their own: an operator's `!end` frees capacity and must not
   * wait for a turn behind a burst of customers' joins, which only wait (BENCHMARKS.md F26).
   * Configured operators are few, so their own bound of running handlers is never the limit.
   */
  const operatorLanes = createFairScheduler({ maxRunning: MAX_RUNNING, maxInFlightPerKey: 32, maxQueuedPerKey: deps.limits.senderBacklog });
  const lanesOf = (senderBare: string) => (directory.operator(senderBare) ? operatorLanes : lanes);
  const admission = createAdmission({ directory, limits: deps.limits, lanes, tooFast: deps.tooFast, send, log });
  const adhoc = createAdhoc(deps.commands, (from, target) =>
    deps.domainInvoker && 'desk' in target && target.desk === '' ? deps.domainInvoker(from) : operators.invocationFor(from, target),
  );
  const adminAdhoc = deps.admin && createAdminAdhoc({ ...deps.admin, admin: deps.admin.service, domain: directory.domain });
  const mam =
    deps.transcripts &&
    createMamService({
      transcripts: deps.transcripts,
      domain: directory.domain,
      operator: directory.operator,
      maskedJid: directory.maskedJid,
    });
  /** The display name of a live masked JID, for its vCard; undefined if no such chat. */
  const maskedNameOf = async (local: string) => {
    const t = await sessions.ticketByMasked(local);
    return t && t.state !== 'ended' ? customerName(t) : undefined;
  };
  /** A presence probe to a masked JID (RFC 6121 §4.3), answered to the chat's operator only. */
  const probeCustomer = async (masked: string, prober: string) =>
    deps.customerPresence.answerProbe(await sessions.ticketByMasked(masked), prober);

  function targetOf(to: string): Target {
    const jid = parseJid(to);
    if (jid.domain !== directory.domain) return { kind: 'unknown' };
    if (!jid.local) return { kind: 'domain' };
    if (directory.desk(jid.local)) return { kind: 'desk', desk: jid.local };
    if (parseMaskedLocal(jid.local)) return { kind: 'masked', name: jid.local };
    return { kind: 'unknown' };
  }

  async function onMessage(stanza: Element, target: Target): Promise<void> {
    if (stanza.attrs.type === 'groupchat')
      throw new StanzaFailure({ type: 'cancel', condition: 'service-unavailable', text: 'A desk is not a chat room' });
    if (stanza.attrs.type === 'headline') return void log.debug({ from: stanza.attrs.from }, 'headline dropped');
    const from = String(stanza.attrs.from);
    switch (target.kind) {
      case 'desk':
        if (directory.operator(bareJid(from))) return operators.onMessageToDesk(target.desk, stanza);
        return customers.onMessage(target.desk, stanza);
      case 'masked':
        return operators.onMessageToCustomer(target.name, stanza);
      case 'domain':
        throw new StanzaFailure({
          type: 'cancel',
          condition: 'service-unavailable',
          text: `Write to a desk, e.g. ${directory.deskJid(directory.desks()[0]?.id ?? 'support')}`,
        });
      default:
        throw new StanzaFailure({ type: 'cancel', condition: 'item-not-found', text: 'No such desk or chat' });
    }
  }

  async function onPresence(stanza: Element, target: Target): Promise<void> {
    if (target.kind === 'masked' && stanza.attrs.type === 'probe') return probeCustomer(target.name, bareJid(String(stanza.attrs.from)));
    if (target.kind !== 'desk') return void log.debug({ to: stanza.attrs.to, type: stanza.attrs.type }, 'presence to non-desk ignored');
    const from = String(stanza.attrs.from);
    const type = stanza.attrs.type;
    const isOperator = directory.operator(bareJid(from)) !== undefined;
    switch (type) {
      case 'subscribe':
      case 'subscribed':
      case 'unsubscribe':
      case 'unsubscribed':
      case 'probe':
        return subscriptions.on(target.desk, from, type);
      case undefined:
      case 'unavailable':
        if (isOperator) return operators.onPresence(from, stanza.getChildText('show') ?? undefined, type === undefined);
        return customers.onPresence(target.desk, from, type === undefined);
      default:
        return void log.debug({ type }, 'presence type ignored');
    }
  }

  async function onIq(stanza: Element, target: Target): Promise<void> {
    if (stanza.attrs.type !== 'get' && stanza.attrs.type !== 'set') return; // results need no answer
    const payload = stanza.getChildElements()[0];
    const ns = payload?.attrs.xmlns;
    const from = String(stanza.attrs.from);
    // XEP-0313 archives outlive the chat: answered before the live-chat check below.
    if (ns === NS_MAM && payload?.name === 'query' && mam && (target.kind === 'desk' || target.kind === 'masked')) {
      for (const reply of await handleMam(mam, stanza, target.kind === 'desk' ? { desk: target.desk } : { masked: target.name }))
        send(reply);
      return;
    }
    let maskedName: string | undefined;
    if (target.kind === 'masked') {
      maskedName = await maskedNameOf(target.name);
      if (maskedName === undefined) throw new StanzaFailure({ type: 'cancel', condition: 'item-not-found', text: 'No such chat' });
    }
    const scope = target.kind === 'desk' ? { desk: target.desk } : target.kind === 'masked' ? { masked: target.name } : undefined;
    if (target.kind !== 'unknown' && payload) {
      const node = payload.attrs.node;
      const get = stanza.attrs.type === 'get';
      // XEP-0050 at the component's domain JID: the admin commands (issue 16) own its `admin-*` nodes;
      // console-session is an ordinary command there (the desk '' stands for the domain).
      const commandScope = scope ?? (target.kind === 'domain' ? { desk: '' } : undefined);
      if (target.kind === 'domain' && adminAdhoc) {
        if (get && ns === NS_DISCO_ITEMS && node === NS_COMMANDS) {
          const list = adminAdhoc.items(from);
          for (const item of (await adhoc.items(directory.domain, from, { desk: '' })).getChildren('item')) list.append(item);
          return void send(iqResult(stanza, list));
        }
        if (get && ns === NS_DISCO_INFO && adminAdhoc.owns(node)) return void send(iqResult(stanza, adminAdhoc.info(from, String(node))));
        if (!get && ns === NS_COMMANDS && payload.name === 'command' && adminAdhoc.owns(payload.attrs.node))
          return void send(iqResult(stanza, await adminAdhoc.execute(stanza)));
      }
      if (get && ns === NS_DISCO_ITEMS && node === NS_COMMANDS && commandScope) {
        return void send(iqResult(stanza, await adhoc.items(String(stanza.attrs.to).split('/')[0] as string, from, commandScope)));
      }
      if (get && ns === NS_DISCO_INFO) return void send(iqResult(stanza, discoInfo(target, directory, node, mam !== undefined)));
      if (get && ns === NS_DISCO_ITEMS) return void send(iqResult(stanza, discoItems(target, directory, node)));
      if (get && ns === NS_PING) return void send(iqResult(stanza));
      if (get && ns === NS_VCARD && scope) {
        if ('masked' in scope) await operators.invocationFor(from, scope); // the assigned operator only
        const name = maskedName ?? directory.desk(target.kind === 'desk' ? target.desk : '')?.name ?? 'Madoguchi';
        return void send(iqResult(stanza, vcard(name)));
      }
      if (!get && ns === NS_COMMANDS && payload.name === 'command' && commandScope)
        return void send(iqResult(stanza, await adhoc.execute(stanza, commandScope)));
      if (ns === NS_DESK && target.kind === 'desk')
        return void send(iqResult(stanza, await handleDeskRequest(deps.customerRequests, target.desk, stanza)));
    }
    const condition = target.kind === 'unknown' ? 'item-not-found' : 'service-unavailable';
    send(errorReply(stanza, { type: 'cancel', condition }));
  }

  function reportFailure(stanza: Element, err: unknown): void {
    let error: StanzaError;
    if (err instanceof StanzaFailure) error = err.error;
    else if (isDomainError(err)) error = { ...ERROR_TABLE[err.code], text: err.message };
    else if (isRedisOutage(err))
      error = { type: 'wait', condition: 'service-unavailable', text: 'The desk is briefly unavailable; please retry' };
    else {
      log.error({ err, stanza: stanza.toString().slice(0, 500) }, 'unexpected failure handling stanza');
      error = { type: 'cancel', condition: 'internal-server-error' };
    }
    if (!(err instanceof StanzaFailure) && !isDomainError(err))
      log.warn({ condition: error.condition, from: stanza.attrs.from }, 'stanza failed');
    // RFC 6120 §8.3.1: presence errors are not returned for these; messages and IQs get one.
    if (stanza.name === 'presence') return;
    send(errorReply(stanza, error));
  }

  /** A bounce from a customer's address that means the customer is gone. */
  async function onErrorStanza(stanza: Element, target: Target): Promise<void> {
    const cond = errorCondition(stanza);
    log.debug({ from: stanza.attrs.from, to: stanza.attrs.to, cond }, 'error stanza received');
    if (target.kind !== 'desk' || stanza.name === 'presence' || !cond) return;
    if (stanza.name === 'iq' && !String(stanza.attrs.id ?? '').startsWith(LIVENESS_ID_PREFIX)) return;
    if (cond.type === 'wait' || !GONE.has(cond.condition)) return;
    const recheck = livenessRecheck(stanza, cond.condition); // XEP-0199 §4.1: maybe alive without ping
    if (recheck) return void send(recheck);
    await customers.onLeft(target.desk, String(stanza.attrs.from));
  }

  /**
   * A chat message between a customer and an operator: its lookup may overlap the sender's
   * previous ones (the pipelined lane); undefined for everything else. Operator commands are
   * not relays: `!end` must take effect before the next message is looked up.
   */
  function relayStart(stanza: Element, target: Target): (() => Promise<Continuation>) | undefined {
    const type = stanza.attrs.type;
    if (stanza.name !== 'message' || type === 'error' || type === 'groupchat' || type === 'headline') return undefined;
    if (target.kind === 'desk' && !directory.operator(bareJid(String(stanza.attrs.from))))
      return () => customers.startMessage(target.desk, stanza);
    if (target.kind === 'masked' && !isOperatorCommand(stanza.getChildText('body') ?? ''))
      return () => operators.startMessageToCustomer(target.name, stanza);
    return undefined;
  }

  return function route(stanza: Element): void {
    const to = stanza.attrs.to;
    const from = stanza.attrs.from;
    if (!to || !from) return void log.warn({ name: stanza.name }, 'stanza without to/from dropped');
    if (stanza.name === 'iq' && (stanza.attrs.type === 'result' || stanza.attrs.type === 'error') && deps.iqReply?.(stanza)) return;
    const target = targetOf(to);
    const key = bareJid(from);
    if (!admission.admitted(stanza, target.kind === 'desk' ? target.desk : undefined, key)) return;
    const session =
      target.kind === 'desk' && stanza.name === 'iq' && stanza.attrs.type === 'set' ? stanza.getChild('session', NS_DESK) : undefined;
    if (session && target.kind === 'desk')
      customers.sessionArriving(from, String(session.attrs.token ?? ''), target.desk, identityOf(session)); // a message may be waiting for it
    const start = relayStart(stanza, target);
    if (start) {
      const arrived = performance.now();
      const side = target.kind === 'desk' ? 'customer' : 'operator';
      admission.refuseIfFull(
        stanza,
        lanesOf(key).pipelined(key, async () => {
          try {
            const finish = await start();
            return () =>
              finish().then(
                () => deps.meter?.relayed(side, (performance.now() - arrived) / 1000),
                (err: unknown) => reportFailure(stanza, err),
              );
          } catch (err) {
            return async () => reportFailure(stanza, err);
          }
        }),
      );
      return;
    }
    admission.refuseIfFull(
      stanza,
      lanesOf(key).barrier(key, async () => {
        try {
          if (stanza.attrs.type === 'error') return await onErrorStanza(stanza, target); // never answer errors (loops)
          if (stanza.name === 'message') return await onMessage(stanza, target);
          if (stanza.name === 'presence') return await onPresence(stanza, target);
          if (stanza.name === 'iq') return await onIq(stanza, target);
        } catch (err) {
          if (stanza.attrs.type !== 'error') reportFailure(stanza, err);
        }
      }),
    );
  };
}
