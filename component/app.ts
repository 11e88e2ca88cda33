/**
 * Composition root: the infrastructure (Redis, the XEP-0114 link, the evidence log, the portal)
 * and its lifecycle, around the desk's behaviour wired in desk.ts. main.ts runs it.
 */
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { createDeskStore } from './store/desk-store.js';
import { connectRedis, createRedis } from './store/redis-client.js';
import { createRouteCache } from './store/route-cache.js';
import { createRouteSync } from './store/route-sync.js';
import { createComponentLink, type ComponentLink } from './xmpp/connection.js';
import { createDesk } from './desk.js';
import { createDirectory } from './services/context.js';
import { createRecordingSend } from './evidence/recording-send.js';
import { createPubsubWitness } from './xmpp/pubsub-witness.js';
import { createPortalApp } from './http/app.js';
import { createEvidence, type Evidence } from './evidence/setup.js';
import { close, listen } from './http/server.js';
import { createMetrics } from './metrics/registry.js';
import { createSmtpTransport } from './services/mail-transport.js';
import { createOrgSync } from './store/org-sync.js';
import { createLiveOrg, type LiveOrg } from './services/admin/live-org.js';
import { createOrgAudit } from './services/admin/org-audit.js';
import { orgFromConfig } from '../config/org-settings.js';
import { createLeaderLease } from './store/leader-lease.js';
import { createDeskSignals } from './store/desk-signals.js';
import { redisDurability } from '../config/redis-settings.js';
import { createDurability } from './store/durability.js';
import { createDurableSink } from './xmpp/durable-sink.js';
import { createSlotBook } from './store/slot-book.js';
import { createSlots, type Slots } from './xmpp/slots.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

/** Relayed this recently before the link to the server dropped: maybe never routed (a server shutting down). */
const RECENT_RELAY_MS = 1000;

export interface App {
  start(): Promise<{ httpPort: number }>;
  stop(): Promise<void>;
}

export function createApp(config: Config, log: Logger): App {
  const redis = createRedis(config.redis, log);
  const routeCache = config.routing.routeCache ? createRouteCache() : undefined;
  const routeSync = routeCache && createRouteSync(redis, config.redis.prefix, routeCache, log);
  const store = createDeskStore(redis, config.redis.prefix, {
    endedRetentionSeconds: 7 * 24 * 3600,
    defaultAvgHandleMs: config.routing.avgHandleSeconds * 1000,
    maxBufferedMessages: 200,
    reports: config.reports,
    routes: routeCache && routeSync ? { cache: routeCache, announce: routeSync.announce } : undefined,
  });
  let link: ComponentLink | undefined;
  // Several active instances (issue 19 §3): one leader runs the timers and broadcasts; the others signal it.
  const lease = createLeaderLease(redis, store.keys, { lengthMs: config.routing.leaseMs, now: Date.now });
  const signals = createDeskSignals(redis, store.keys.deskChanged(), log);
  // redis.waitReplicas (issue 19 §4): stanzas leave once replicas have the state they report.
  const durability = createDurability(redis, redisDurability(config.redis), log);
  const durable = durability.replicas > 0 ? createDurableSink(() => link, durability.sync, log) : undefined;
  let org: LiveOrg | undefined; // built below, once the evidence recorder exists (the seed is recorded)
  const directory = createDirectory(config, () => (org as LiveOrg).current());
  const witnessService = config.evidence.enabled ? config.evidence.witness.pubsubService : undefined;
  const witness = witnessService
    ? createPubsubWitness({
        service: witnessService,
        node: config.evidence.witness.pubsubNode,
        domain: config.component.domain,
        log,
        send: (s) => {
          if (link?.isOnline()) link.send(s);
        }, // offline: the next head (or reconnect) is published instead
      })
    : undefined;
  const evidence = createEvidence(config, redis, directory.maskedJid, log, witness?.publish, directory.operators);
  const liveOrg = createLiveOrg({
    store: store.org,
    seed: orgFromConfig(config),
    audit: createOrgAudit({ evidence: evidence.recorder, org: store.org, now: Date.now }),
    log,
  });
  org = liveOrg;
  // Every instance sharing the Redis reloads its snapshot when a change is announced (issue 16).
  const orgSync = createOrgSync(
    redis,
    store.org.channel,
    () => void liveOrg.reload().catch((err: Error) => log.warn({ err: err.message }, 'settings reload failed')),
    log,
  );
  let routesReady = !routeSync; // readiness: the route cache follows the other instances (when on)
  let connections = 0;
  const metrics = createMetrics({
    desks: async () =>
      (await desk.deskSnapshots()).map((s) => ({ desk: s.desk, waiting: s.waiting, freeSlots: s.state.freeSlots, loads: s.loads })),
    xmppUp: () => link?.isOnline() ?? false,
    standby: () => link?.isStandby() ?? false,
    redisUp: () => redis.status === 'ready',
    evidence: evidence.log && evidenceProgress(evidence.log),
    mail: config.mail && (() => desk.mailCounters() ?? { sent: 0, retried: 0, gaveUp: 0, refused: 0 }),
    mailQueueDepth: config.mail && (() => store.mail.pending()),
  });
  redis.on('reconnecting', () => metrics.reconnected('redis'));
  const mailTransport = config.mail && createSmtpTransport(config.mail);
  const desk = createDesk({
    config,
    directory,
    store,
    log,
    recorder: evidence.recorder,
    transcripts: () => evidence.transcripts,
    send: metrics.countSend(createRecordingSend(evidence.recorder, () => durable ?? link)),
    meter: metrics.meter,
    iqReply: witness?.onReply,
    whenWritten: (fn) => (durable ?? link)?.whenWritten(fn),
    mailTransport,
    org: liveOrg,
    lease,
    signals,
  });

  let ticker: NodeJS.Timeout | undefined;
  // Several active instances on ejabberd (issue 19 §3): every slot of the domain held, a dead peer's adopted.
  // The book names this instance by host and portal port, so a restarted one replaces its old entry at once.
  const slotBook =
    config.routing.componentSlots > 1
      ? createSlotBook(redis, store.keys, {
          slots: config.routing.componentSlots,
          instance: config.http.port ? `${hostname()}:${config.http.port}` : randomUUID(),
          lifetimeMs: config.routing.leaseMs,
          now: Date.now,
        })
      : undefined;
  let slots: Slots | undefined;
  let server: Server | undefined;

  async function onOnline(): Promise<void> {
    if (connections++ > 0) metrics.reconnected('xmpp');
    if (witness && evidence.log) {
      // the node, then the newest head (e.g. signed at the last stop) so the witness catches up
      witness.ensureNode();
      void evidence.log.latestHead().then(
        (head) => head && witness.publish(head),
        () => undefined,
      );
    }
    await desk.onOnline();
  }

  async function tick(): Promise<void> {
    // Not awaited: a hand-back waits for the server to close the adopted stream; the timers must not (one at a time: slots.ts).
    if (slots && redis.status === 'ready')
      void slots.tick(lease.leads()).catch((err: Error) => log.warn({ err: err.message }, 'slot book'));
    if (!link?.isOnline() || redis.status !== 'ready') {
      await desk.resign(); // a standby, or an instance cut off from the server, holds no lease (a no-op when none is held)
      return;
    }
    await desk.tick();
  }

  return {
    async start() {
      await connectRedis(redis);
      void routeSync?.start().then(() => {
        routesReady = true;
        log.debug('route cache on');
      });
      if (evidence.log) log.info({ keyId: evidence.log.keyId, ...(await evidence.log.open()) }, 'evidence log ready');
      await liveOrg.ready(); // first start: the config file's organisational part seeds Redis
      orgSync.start();
      void signals.start();
      for (const op of directory.operators()) {
        const jid = op.jid.toLowerCase();
        await store.operators.syncOperator(jid, directory.maxChatsOf(jid), op.desks); // the desks' aggregates follow the settings
      }
      const linkTo = { service: config.component.service, domain: config.component.domain, secret: config.component.secret, log };
      slots =
        slotBook &&
        createSlots({
          book: slotBook,
          log,
          domain: config.component.domain,
          route: desk.route,
          openLink: (hooks) => createComponentLink({ ...linkTo, ...hooks }),
          ownLink: () => link,
        });
      link = createComponentLink({
        ...linkTo,
        ...(slots ? { claim: slots.claim, onClosed: slots.ownClosed } : {}),
        onStanza: slots ? slots.ownInbound() : desk.route,
        onOnline: () => {
          slots?.ownOnline();
          void onOnline().catch((err: Error) => log.warn({ err: err.message }, 'resync after connect failed'));
        },
        // A server going down drops what it had not routed yet: relay those messages' resends again.
        onOffline: () =>
          void store.sessions
            .forgetRecentlyRelayed(RECENT_RELAY_MS)
            .then((n) => {
              if (n) log.warn({ n }, 'link lost: recently relayed messages will be relayed again if resent');
            })
            .catch((err: Error) => log.warn({ err: err.message }, 'recent origin-ids not forgotten')),
      });
      await link.start();
      ticker = setInterval(() => void tick().catch((err: Error) => log.warn({ err: err.message }, 'tick failed')), config.routing.tickMs);
      const app = createPortalApp({
        deskStates: desk.deskStates,
        statusFeed: desk.statusFeed,
        // A hot standby (issue 19) is alive but not ready: the server gives the domain to the active instance.
        health: async () => ({
          redis: redis.status === 'ready',
          xmpp: link?.isOnline() ?? false,
          routes: routesReady,
          ...(link?.isStandby() ? { standby: true } : {}),
          ...(slots ? { links: slots.links() } : {}), // its own link and adopted ones (slot adoption)
        }),
        metrics: { text: metrics.text, contentType: metrics.contentType, access: config.http.metrics },
        widget: {
          ...config.widget,
          componentDomain: config.component.domain,
          formOf: directory.form,
          look: directory.widget,
        },
        admin: { admin: desk.admin, liveView: desk.liveView, sessions: desk.consoleSessions },
        console: {
          websocketUrl: config.widget.websocketUrl,
          guestDomain: config.widget.guestDomain,
          componentDomain: config.component.domain,
        },
        stickers: { catalog: desk.stickers, ...(config.stickers.dir ? { dir: config.stickers.dir } : {}) },
        evidencePublicKey: evidence.log ? () => (evidence.log as NonNullable<typeof evidence.log>).publicKeyPem() : undefined,
        evidenceHead: evidence.log ? () => (evidence.log as NonNullable<typeof evidence.log>).latestHead() : undefined,
        transcripts: { transcripts: evidence.transcripts, adminTokens: config.http.adminTokens, eraseMail: desk.eraseMail },
        reports: {
          adminTokens: config.http.adminTokens,
          report: (q, viewer) => desk.reports.report(viewer, q),
          chats: (q, viewer) => desk.reports.chats(viewer, q),
          sessionViewer: async (token) => {
            const actor = await desk.consoleSessions.actorOf(token);
            return actor && desk.viewerOf(actor.jid);
          },
        },
        devMailDir: process.env.MADOGUCHI_DEV_MAIL_DIR || undefined, // set by scripts/stack.ts with its SMTP catcher
        impressions: (i) => desk.impressions.record(i),
      });
      server = await listen(app, config.http.host, config.http.port);
      const address = server.address();
      const httpPort = typeof address === 'object' && address ? address.port : config.http.port;
      log.info({ http: `http://${config.http.host}:${httpPort}`, component: config.component.domain }, 'madoguchi started');
      return { httpPort };
    },
    async stop() {
      clearInterval(ticker);
      await desk.resign().catch((err: Error) => log.warn({ err: err.message }, 'leader lease not released'));
      desk.stop();
      mailTransport?.close();
      if (server) await close(server);
      await durable?.drain(); // what waits for the replicas still leaves before </stream>
      await slots?.stop();
      await link?.stop();
      await slots?.leave().catch((err: Error) => log.warn({ err: err.message }, 'slot book not left')); // after the link: slots.ts
      await evidence.log?.close().catch((err: Error) => log.warn({ err: err.message }, 'evidence close failed'));
      routeSync?.stop();
      orgSync.stop();
      signals.stop();
      redis.disconnect();
    },
  };
}

/** What the metrics read from the evidence log on scrape (component/metrics/registry.ts). */
function evidenceProgress(log: NonNullable<Evidence['log']>) {
  return async () => {
    const [head, checkpoint] = await Promise.all([log.store.head(), log.latestHead()]);
    return {
      appended: log.stats().records,
      headSeq: head.seq || undefined,
      checkpoint: checkpoint && { seq: checkpoint.seq, ts: checkpoint.ts },
      mirroredSeq: log.mirroredSeq(),
    };
  };
}
