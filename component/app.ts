/**
 * Composition root: builds every piece from the config and wires them. main.ts runs it.
 */
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { createDeskStore } from './store/desk-store.js';
import { connectRedis, createRedis } from './store/redis-client.js';
import { createRouteCache } from './store/route-cache.js';
import { createRouteSync } from './store/route-sync.js';
import { createDirectory, type ServiceContext } from './services/context.js';
import { createCustomerService } from './services/customer-service.js';
import { createCustomerIdentity } from './services/customer-identity.js';
import { createCustomerRequests } from './services/customer-requests.js';
import { createDraftBook } from './services/drafts.js';
import { createHandoverContext } from './services/handover-context.js';
import { createFirstResponseCounter } from './services/first-response.js';
import { createCustomerPresence } from './services/customer-presence.js';
import { handleDeskRequest } from './xmpp/handlers/desk-protocol.js';
import { createDeskPresence } from './services/desk-presence.js';
import { readDeskSnapshot } from './services/desk-snapshot.js';
import { createDispatcher } from './services/dispatcher.js';
import { createLiveness } from './services/liveness.js';
import { createOperatorService } from './services/operator-service.js';
import { createCommandRegistry } from './services/commands/registry.js';
import { createScope } from './services/commands/scope.js';
import { createDeskCommands } from './services/commands/desk-commands.js';
import { createChatCommands } from './services/commands/chat-commands.js';
import { createModerationCommands } from './services/commands/moderation-commands.js';
import { createCustomerCommands } from './services/commands/customer-commands.js';
import { createOfflineCommands } from './services/commands/offline-commands.js';
import { createPositionNotifier } from './services/position-notifier.js';
import { createSessionEnder } from './services/session-ender.js';
import { createSubscriptionService } from './services/subscription-service.js';
import { createTooFastNotice } from './services/too-fast-notice.js';
import { createComponentLink, type ComponentLink } from './xmpp/connection.js';
import { createRouter } from './xmpp/router.js';
import { createAdhoc } from './xmpp/handlers/adhoc.js';
import { createPubsubWitness } from './xmpp/pubsub-witness.js';
import type { Element } from './xmpp/xml.js';
import { createPortalApp } from './http/app.js';
import { createEvidence } from './evidence/setup.js';
import { createMamService } from './evidence/mam.js';
import type { EvidenceTag } from './evidence/recorder.js';
import { close, listen } from './http/server.js';

/** Relayed this recently before the link to the server dropped: maybe never routed (a server shutting down). */
const RECENT_RELAY_MS = 1000;

export interface App {
  start(): Promise<{ httpPort: number }>;
  stop(): Promise<void>;
}

export function createApp(config: Config, log: Logger): App {
  const redis = createRedis(config.redis.url, log);
  const routeCache = config.routing.routeCache ? createRouteCache() : undefined;
  const routeSync = routeCache && createRouteSync(redis, config.redis.prefix, routeCache, log);
  const store = createDeskStore(redis, config.redis.prefix, {
    endedRetentionSeconds: 7 * 24 * 3600,
    defaultAvgHandleMs: config.routing.avgHandleSeconds * 1000,
    maxBufferedMessages: 200,
    routes: routeCache && routeSync ? { cache: routeCache, announce: routeSync.announce } : undefined,
  });
  const directory = createDirectory(config);
  let link: ComponentLink | undefined;
  const witnessService = config.evidence.enabled ? config.evidence.witness.pubsubService : undefined;
  const witness = witnessService ? createPubsubWitness({
    service: witnessService, node: config.evidence.witness.pubsubNode, domain: config.component.domain, log,
    send: (s) => { if (link?.isOnline()) link.send(s); }, // offline: the next head (or reconnect) is published instead
  }) : undefined;
  const evidence = createEvidence(config, redis, directory.maskedJid, log, witness?.publish);
  const ctx: ServiceContext = {
    config, directory, store, log, now: Date.now, evidence: evidence.recorder,
    send: (s: Element, tag?: EvidenceTag) => {
      if (!tag || !evidence.recorder.enabled) return link?.send(s);
      const serialized = s.toString(); // once, for the record and for the socket
      void evidence.recorder.record(tag, serialized); // queued in send order; failures are logged
      link?.send(s, serialized);
    },
    whenWritten: (fn: () => void) => link?.whenWritten(fn),
  };

  const deskPresence = createDeskPresence(ctx);
  const positions = createPositionNotifier(ctx);
  const handover = createHandoverContext(ctx, () => evidence.transcripts);
  const dispatcher = createDispatcher(ctx, deskPresence, positions, handover);
  const endSession = createSessionEnder(ctx, dispatcher, deskPresence, positions);
  const identity = createCustomerIdentity(store);
  const drafts = createDraftBook();
  const customers = createCustomerService(ctx, { dispatcher, presence: deskPresence, endSession, identity, drafts });
  const customerRequests = createCustomerRequests(ctx, { identity, customers, endSession, transcripts: () => evidence.transcripts });
  const firstResponse = createFirstResponseCounter(ctx);
  const scope = createScope({ ticket: (id) => store.ticket(id), deskName: (d) => directory.desk(d)?.name ?? d });
  const commands = createCommandRegistry([], scope);
  commands.register([
    ...createDeskCommands(ctx, dispatcher, commands.helpText),
    ...createChatCommands(ctx, { dispatcher, endSession, handover, firstResponse }),
    ...createModerationCommands(ctx, endSession, handover, scope),
    ...createCustomerCommands(ctx, drafts),
    ...createOfflineCommands(ctx),
  ]);
  const operators = createOperatorService(ctx, dispatcher, deskPresence, positions, commands, firstResponse);
  const subscriptions = createSubscriptionService(ctx, deskPresence);
  const liveness = createLiveness(ctx);
  const adhoc = createAdhoc(commands, operators.invocationFor);
  const maskedName = async (local: string) => {
    const t = await store.ticketByMasked(local);
    return t && t.state !== 'ended' ? t.name || `Customer #${t.id}` : undefined;
  };
  const deskRequest = (desk: string, iq: Element) => handleDeskRequest(customerRequests, desk, iq);
  const mam = evidence.transcripts && createMamService({
    transcripts: evidence.transcripts, domain: config.component.domain, operator: directory.operator, maskedJid: directory.maskedJid,
  });
  const customerPresence = createCustomerPresence(ctx);
  const probeCustomer = async (masked: string, prober: string) => customerPresence.answerProbe(await store.ticketByMasked(masked), prober);
  const route = createRouter({
    directory, customers, operators, subscriptions, adhoc, maskedName, deskRequest, probeCustomer, send: ctx.send, log, mam,
    iqReply: witness?.onReply, limits: config.limits, tooFast: createTooFastNotice(ctx, identity),
  });

  let ticker: NodeJS.Timeout | undefined;
  let server: Server | undefined;

  async function onOnline(): Promise<void> {
    subscriptions.probeOperators();
    if (witness && evidence.log) { // the node, then the newest head (e.g. signed at the last stop) so the witness catches up
      witness.ensureNode();
      void evidence.log.latestHead().then((head) => head && witness.publish(head), () => undefined);
    }
    await dispatcher.resumeAnnouncements();
    await deskPresence.publishAll(true);
    await dispatcher.dispatchAll();
  }

  async function tick(): Promise<void> {
    if (!link?.isOnline() || redis.status !== 'ready') return;
    await operators.sweepGrace();
    await customers.sweepDetached();
    await liveness.maybePing();
  }

  return {
    async start() {
      await connectRedis(redis);
      void routeSync?.start().then(() => log.debug('route cache on'));
      if (evidence.log) log.info({ keyId: evidence.log.keyId, ...(await evidence.log.open()) }, 'evidence log ready');
      for (const op of config.operators) {
        const jid = op.jid.toLowerCase();
        await store.syncOperator(jid, directory.maxChatsOf(jid), op.desks); // the desks' aggregates follow config
      }
      link = createComponentLink({
        service: config.component.service, domain: config.component.domain, secret: config.component.secret, log,
        onStanza: route,
        onOnline: () => void onOnline().catch((err: Error) => log.warn({ err: err.message }, 'resync after connect failed')),
        // A server going down drops what it had not routed yet: relay those messages' resends again.
        onOffline: () => void store.forgetRecentlyRelayed(RECENT_RELAY_MS)
          .then((n) => { if (n) log.warn({ n }, 'link lost: recently relayed messages will be relayed again if resent'); })
          .catch((err: Error) => log.warn({ err: err.message }, 'recent origin-ids not forgotten')),
      });
      await link.start();
      ticker = setInterval(() => void tick().catch((err: Error) => log.warn({ err: err.message }, 'tick failed')), config.routing.tickMs);
      const app = createPortalApp({
        deskStates: () => Promise.all(directory.desks().map(async (d) => ({
          ...(await readDeskSnapshot(ctx, d.id)).state, name: d.name, jid: directory.deskJid(d.id),
        }))),
        health: async () => ({ redis: redis.status === 'ready', xmpp: link?.isOnline() ?? false }),
        widget: { ...config.widget, componentDomain: config.component.domain },
        evidencePublicKey: evidence.log ? () => (evidence.log as NonNullable<typeof evidence.log>).publicKeyPem() : undefined,
        evidenceHead: evidence.log ? () => (evidence.log as NonNullable<typeof evidence.log>).latestHead() : undefined,
        transcripts: { transcripts: evidence.transcripts, adminTokens: config.http.adminTokens },
      });
      server = await listen(app, config.http.host, config.http.port);
      const address = server.address();
      const httpPort = typeof address === 'object' && address ? address.port : config.http.port;
      log.info({ http: `http://${config.http.host}:${httpPort}`, component: config.component.domain }, 'madoguchi started');
      return { httpPort };
    },
    async stop() {
      clearInterval(ticker);
      deskPresence.stop();
      positions.stop();
      if (server) await close(server);
      await link?.stop();
      await evidence.log?.close().catch((err: Error) => log.warn({ err: err.message }, 'evidence close failed'));
      routeSync?.stop();
      redis.disconnect();
    },
  };
}
