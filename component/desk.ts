/**
 * The desk's behaviour wired together: every service, the command registry and the router, over
 * a store and a send function, with no I/O of its own. app.ts connects it to the XMPP link,
 * Redis and the portal; in-process tests (test/service/) drive it with a fake send.
 */
import type { Logger } from 'pino';
import type { Config, OperatorConfig } from '../config/schema.js';
import { bareJid } from '../src/jid.js';
import { DomainError } from '../src/errors.js';
import type { DeskStore } from './store/desk-store.js';
import type { Send } from './evidence/recording-send.js';
import type { Element } from './protocol/xml.js';
import type { EvidenceRecorder } from './evidence/recorder.js';
import type { Transcripts } from './evidence/transcripts.js';
import type { DeskMeter, Directory, ServiceContext } from './services/context.js';
import { createCustomerService } from './services/customer-service.js';
import { createCustomerIdentity } from './services/customer-identity.js';
import { createCustomerRequests } from './services/customer-requests.js';
import { createCustomerPresence } from './services/customer-presence.js';
import { createDraftBook } from './services/drafts.js';
import { createHandoverContext } from './services/handover-context.js';
import { createFirstResponseCounter } from './services/first-response.js';
import { createReports } from './services/reports.js';
import { createDeskPresence } from './services/desk-presence.js';
import { createDeskStatusFeed } from './services/desk-status-feed.js';
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
import { createHoursCommands } from './services/commands/hours-commands.js';
import { createClosedSwitch } from './services/closed-switch.js';
import { createConsoleCommands } from './services/commands/console-commands.js';
import { createConsoleSessions } from './services/admin/console-sessions.js';
import { createLiveView } from './services/admin/live-view.js';
import { createAdminCommands } from './services/commands/admin-commands.js';
import { createStickerCommands } from './services/commands/sticker-commands.js';
import { createStickerCatalog, stickerBaseUrl } from '../src/stickers.js';
import { createPositionNotifier } from './services/position-notifier.js';
import { createSessionEnder } from './services/session-ender.js';
import { createSubscriptionService } from './services/subscription-service.js';
import { createTooFastNotice } from './services/too-fast-notice.js';
import { createHoursClock } from './services/hours-clock.js';
import { createClosingTime } from './services/closing-time.js';
import { createImpressions } from './services/impressions.js';
import { createRouter } from './xmpp/router.js';
import { createMailNotices } from './services/mail-notices.js';
import { createMailSender, type MailTransport } from './services/mail-sender.js';
import type { LiveOrg } from './services/admin/live-org.js';
import { createAdminService } from './services/admin/admin-service.js';
import { createOrgAudit } from './services/admin/org-audit.js';
import { createOrgReconcile } from './services/admin/org-reconcile.js';
import { createDeskUsage } from './services/admin/desk-usage.js';
import { createUnansweredSweep } from './services/unanswered-sweep.js';
import type { LeaderLease } from './store/leader-lease.js';
import type { DeskSignals } from './store/desk-signals.js';
import { createLeaderGate } from './services/leadership.js';

/** Several instances: an assignment not announced after this long was another instance's that died (or lost its link). */
const STALE_ANNOUNCEMENT_MS = 15_000;

export interface DeskDeps {
  config: Config;
  directory: Directory;
  store: DeskStore;
  log: Logger;
  /** Where stanzas go; recording-send.ts decides what is recorded on the way. */
  send: Send;
  recorder: EvidenceRecorder;
  /** Transcripts from the evidence log (handover context, widget transcripts, MAM); absent when the log is off. */
  transcripts: () => Transcripts | undefined;
  now?: () => number;
  /** Runs `fn` once what was sent so far has reached the socket (ServiceContext.whenWritten). */
  whenWritten?: (fn: () => void) => void;
  /** Timings for the metrics (component/metrics/); absent in in-process tests. */
  meter?: DeskMeter;
  /** Replies to the component's own IQs outside the desk (the evidence head witness): true when taken. */
  iqReply?: (stanza: Element) => boolean;
  /** SMTP for the mail queue (config `mail`, issue 17); absent: mails stay queued. */
  mailTransport?: MailTransport;
  /** The live organisational settings (issue 16) the directory reads; the admin service changes them. */
  org: LiveOrg;
  /**
   * Several active instances over one Redis (issue 19 §3): the leader lease (the time-driven work,
   * the desks' presence and position updates run in its holder) and the signals between instances.
   * Absent: this instance is the only one and always leads.
   */
  lease?: LeaderLease;
  signals?: Pick<DeskSignals, 'announce' | 'listen'>;
}

export function createDesk(deps: DeskDeps) {
  const { config, directory, store, log } = deps;
  const ctx: ServiceContext = {
    config,
    directory,
    store,
    log,
    now: deps.now ?? Date.now,
    evidence: deps.recorder,
    send: deps.send,
    whenWritten: deps.whenWritten,
    meter: deps.meter,
  };

  const statusFeed = createDeskStatusFeed(ctx);
  const gate = createLeaderGate(deps.lease, deps.signals);
  const deskPresence = createDeskPresence(ctx, statusFeed, gate);
  const positions = createPositionNotifier(ctx, gate);
  const handover = createHandoverContext(ctx, deps.transcripts);
  const dispatcher = createDispatcher(ctx, deskPresence, positions, handover);
  const endSession = createSessionEnder(ctx, dispatcher, deskPresence, positions);
  const identity = createCustomerIdentity(store, config.identity);
  const drafts = createDraftBook(ctx);
  const mail = createMailNotices(ctx);
  const customers = createCustomerService(ctx, {
    dispatcher,
    presence: deskPresence,
    endSession,
    identity,
    drafts,
    mail: mail.enabled ? mail : undefined,
  });
  const mailSender = deps.mailTransport && createMailSender(ctx, deps.mailTransport);
  const customerRequests = createCustomerRequests(ctx, {
    identity,
    customers,
    endSession,
    transcripts: deps.transcripts,
    mail: mail.enabled ? mail : undefined,
  });
  const firstResponse = createFirstResponseCounter(ctx);
  const stickers = createStickerCatalog(config.stickers.packs, stickerBaseUrl(config.stickers.baseUrl, config.http.host, config.http.port));
  const scope = createScope({ ticket: (id) => store.sessions.ticket(id), deskName: (d) => directory.desk(d)?.name ?? d });
  const commands = createCommandRegistry([], scope);
  // The console (issue 16): sessions issued over XMPP, the live page; roles looked up live on each call.
  const roleOf = (jid: string) => admin.roleOf({ jid: jid.toLowerCase() });
  const consoleSessions = createConsoleSessions({ store: store.consoleSessions, roleOf, now: ctx.now });
  const closedSwitch = createClosedSwitch(ctx, deskPresence);
  const liveView = createLiveView(ctx, { roleOf, closedSwitch });
  commands.register([
    ...createDeskCommands(ctx, dispatcher, commands.helpText),
    ...createChatCommands(ctx, { dispatcher, endSession, handover, firstResponse }),
    ...createModerationCommands(ctx, endSession, handover, scope),
    ...createCustomerCommands(ctx, drafts),
    ...createOfflineCommands(ctx, mail.enabled ? mail : undefined),
    ...createHoursCommands(closedSwitch),
    ...createConsoleCommands(consoleSessions),
    ...createStickerCommands(ctx, stickers, firstResponse),
  ]);
  const operators = createOperatorService(ctx, dispatcher, deskPresence, positions, commands, firstResponse);
  const subscriptions = createSubscriptionService(ctx, deskPresence);
  const liveness = createLiveness(ctx);
  const closingTime = createClosingTime(ctx, deskPresence, positions, mail.enabled ? mail : undefined);
  const hoursClock = createHoursClock(ctx, deskPresence, dispatcher, closingTime);
  const sweepUnanswered = createUnansweredSweep(ctx, dispatcher, positions);
  const orgReconcile = createOrgReconcile(ctx, { presence: deskPresence, dispatcher, positions });
  deps.signals?.listen(
    (kind, desk) => (kind === 'presence' ? deskPresence.refresh(desk, true) : positions.schedule(desk, true)),
    // Signals sent while this subscription was down are lost: the leader looks at every desk again.
    () => {
      if (gate.leads()) void catchUp(false).catch((err: Error) => log.warn({ err: err.message }, 'leader catch-up failed'));
    },
  );

  /** Takes or renews the lease (no lease: this instance leads); a new leader catches up on what a dead one left. */
  async function holdLease(take: boolean): Promise<{ leads: boolean; gained: boolean }> {
    if (!deps.lease) return { leads: true, gained: false };
    const held = await deps.lease.hold(take);
    if (held.gained) log.info({ token: deps.lease.token() }, 'leader lease taken: this instance runs the timers and broadcasts');
    return held;
  }

  /** What the leader does when it starts leading: finish interrupted assignments, publish, tell places. */
  async function catchUp(force: boolean): Promise<void> {
    // Behind a balancing server another live instance may be announcing right now: only stale ones.
    await dispatcher.resumeAnnouncements(force && !config.routing.balancedDomain ? 0 : STALE_ANNOUNCEMENT_MS);
    await orgReconcile.catchUp(); // settings changed while no instance ran (issue 16)
    await deskPresence.publishAll(force);
    // A position update coalescing in a process that died (kill -9, standby takeover) is not lost:
    // each desk's line is compared with what its customers were last told (stored), told once.
    for (const d of directory.desks()) positions.schedule(d.id);
  }

  deps.org.onChange(orgReconcile.reconcile);
  const admin = createAdminService({
    live: deps.org,
    org: store.org,
    customers: store.customers,
    audit: createOrgAudit({ evidence: deps.recorder, org: store.org, now: ctx.now }),
    bootstrapAdmins: config.bootstrapAdmins,
    deskBusy: createDeskUsage(store, directory.operators),
    log,
  });
  commands.register(createAdminCommands(admin)); // the admin actions that are a chat line (issue 16)
  const route = createRouter({
    directory,
    store,
    customers,
    operators,
    subscriptions,
    customerRequests,
    commands,
    customerPresence: createCustomerPresence(ctx),
    transcripts: deps.transcripts(),
    send: deps.send,
    log,
    iqReply: deps.iqReply,
    limits: config.limits,
    tooFast: createTooFastNotice(ctx, identity),
    meter: deps.meter,
    domainInvoker: async (from) => {
      // console-session at the domain JID: any configured operator, and the bootstrap admins
      // (config bootstrapAdmins), so a fresh install is never locked out of the console.
      const bare = bareJid(from).toLowerCase();
      const role = roleOf(bare);
      if (!role) throw new DomainError('not-an-operator', "Only the desk's operators may do this");
      const op = directory.operator(bare) ?? { jid: bare, name: bare, desks: [] };
      return { operator: { ...op, role } as OperatorConfig, bare, desk: '' };
    },
    admin: { service: admin, secret: config.component.secret, now: ctx.now },
  });

  return {
    directory,
    /** The sticker packs (issue 20): the portal serves them, `!sticker` sends them. */
    stickers,
    /** The administration service (issue 16): both front doors (XEP-0050, the console's API) call it. */
    admin,
    /** Report queries (docs/reports.md), role-scoped. */
    reports: createReports(ctx),
    /** Widget impressions from the loader's beacon (POST /api/widget/impressions). */
    impressions: createImpressions(ctx),
    /** The web console's bearer sessions and its live page (issue 16). */
    consoleSessions,
    liveView,
    /** Who a console session's JID is for the role-scoped reports; undefined for a stranger. */
    viewerOf(jid: string) {
      const bare = jid.toLowerCase();
      const role = roleOf(bare);
      return role && { jid: bare, role, desks: directory.operator(bare)?.desks ?? [] };
    },
    /** Handles one stanza from the server (XEP-0114 link). */
    route,

    /** After every (re)connection: probe operators, finish interrupted assignments, publish, dispatch. */
    async onOnline(): Promise<void> {
      operators.probed(await subscriptions.probeOperators());
      // A server that gives the domain to one connection (Prosody) gave it to this instance: the lease is ours at once.
      const { leads } = await holdLease(!config.routing.balancedDomain);
      if (leads) await catchUp(true);
      await dispatcher.dispatchAll();
    },

    /**
     * Every routing.tickMs, in the leader only (several instances: issue 19 §3): grace periods, detached
     * widget customers, liveness pings, unanswered chats, business hours, the mail queue.
     */
    async tick(): Promise<void> {
      const { leads, gained } = await holdLease(false);
      if (!leads) return;
      if (gained) await catchUp(true);
      else await dispatcher.resumeAnnouncements(STALE_ANNOUNCEMENT_MS);
      void mailSender?.tick(); // its own pace: a slow SMTP server must not hold the other timers
      await operators.sweepGrace();
      // Behind a balancing server a probe's answer may reach another instance: unanswered proves nothing there.
      if (!config.routing.balancedDomain) await operators.sweepProbes();
      await customers.sweepDetached();
      await liveness.maybePing();
      await sweepUnanswered();
      await hoursClock.check();
    },

    /** The desks' states as they change, for GET /api/status/stream (fed by the presence above). */
    statusFeed,

    /** Each desk's state as /api/status shows it. */
    deskStates() {
      return Promise.all(
        directory.desks().map(async (d) => ({
          ...(await readDeskSnapshot(ctx, d.id)).state,
          name: d.name,
          jid: directory.deskJid(d.id),
        })),
      );
    },

    /** Each desk's snapshot (waiting, free slots, operators' loads), for the metrics' scrape. */
    deskSnapshots() {
      return Promise.all(directory.desks().map(async (d) => ({ desk: d.id, ...(await readDeskSnapshot(ctx, d.id)) })));
    },

    /** Erasure of a ticket's customer: their queued mail goes too. */
    async eraseMail(ticketId: number): Promise<number> {
      const t = await store.sessions.ticket(ticketId);
      return t?.customerKey ? mail.erase(t.customerKey) : 0;
    },

    /** The mail queue's counters in this process (sent, retried, given up, refused). */
    mailCounters: () => mailSender?.counters(),

    /** Gives the leader lease up (the link to the server is down: a standby holds none; a clean stop). */
    resign: async (): Promise<void> => deps.lease?.release(),

    /** True while this instance runs the timers and broadcasts. */
    leads: () => gate.leads(),

    stop(): void {
      deskPresence.stop();
      statusFeed.stop();
      positions.stop();
    },
  };
}
export type Desk = ReturnType<typeof createDesk>;
