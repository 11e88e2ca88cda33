/**
 * The desk in-process: every service and the router (component/desk.ts) over a real Redis, with a
 * fake send that collects what the desk sends. No XMPP server and no process: a failing test here
 * points at the router or a service, where an end-to-end failure points at the whole stack.
 */
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { xml, type Element } from '../../component/protocol/xml.js';
import { parseConfig } from '../../config/load.js';
import { createDesk, type Desk } from '../../component/desk.js';
import { createDeskStore, type DeskStore } from '../../component/store/desk-store.js';
import { createDirectory } from '../../component/services/context.js';
import { createLiveOrg } from '../../component/services/admin/live-org.js';
import { createOrgAudit } from '../../component/services/admin/org-audit.js';
import { orgFromConfig } from '../../config/org-settings.js';
import { createEvidenceRecorder } from '../../component/evidence/recorder.js';
import type { EvidenceLog } from '../../component/evidence/evidence-log.js';
import { createRecordingSend } from '../../component/evidence/recording-send.js';
import { connectRedis, createRedis } from '../../component/store/redis-client.js';
import { freshPrefix, startTestRedis, type TestRedis } from '../support/redis.js';
import { createLeaderLease } from '../../component/store/leader-lease.js';
import { createDeskSignals } from '../../component/store/desk-signals.js';

export const DOMAIN = 'support.localhost';
export const SUPPORT = `support@${DOMAIN}`;
export const ALICE = 'alice@localhost/desk';
export const CUSTOMER = 'yuki@example.org/phone';

export interface DeskUnderTest {
  desk: Desk;
  store: DeskStore;
  /** Every stanza the desk sent, in order. */
  sent: Element[];
  /** A stanza arriving from the server. */
  receive(stanza: Element): void;
  /** The next sent stanza matching, taken from `sent` (waits up to 2 s). */
  next(match: (el: Element) => boolean, what: string): Promise<Element>;
  stop(): void;
  /** With `instance`: resolves once this desk hears the other instances. */
  listening: Promise<void>;
}

const log = pino({ level: process.env.SERVICE_LOG_LEVEL ?? 'silent' });

/** One redis-server for the file; a fresh desk (and key prefix) per `open()`. */
/** Test-only wiring: an injected clock, when what was sent reaches the socket (default: after this turn; a test may hold it back, as a crash before the write would), a real evidence log (built on the desk's Redis and key prefix). */
export interface DeskExtras {
  now?: () => number;
  whenWritten?: (fn: () => void) => void;
  evidence?: (redis: Redis, prefix: string) => EvidenceLog;
  /**
   * Several active instances (issue 19 §3): this desk shares the key prefix with the others opened
   * with it, holds the leader lease (as app.ts wires it) and hears the others' signals.
   */
  instance?: { prefix: string; leaseMs?: number };
}

export function useDesk(): { open(config?: Record<string, unknown>, extras?: DeskExtras): DeskUnderTest } {
  let server: TestRedis | undefined;
  let redis: Redis | undefined;
  const opened: DeskUnderTest[] = [];
  beforeAll(async () => {
    server = await startTestRedis();
    redis = createRedis(server.url, log);
    await connectRedis(redis);
  });
  afterEach(() => {
    for (const d of opened.splice(0)) d.stop();
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });
  return {
    open(overrides = {}, extras: DeskExtras = {}) {
      const config = parseConfig({
        component: { service: 'xmpp://127.0.0.1:1', domain: DOMAIN, secret: 'test' },
        redis: { url: 'redis://127.0.0.1:1' }, // unused: the store below is on the test's Redis
        evidence: { enabled: false },
        routing: { positionUpdateMs: 20 },
        desks: [
          { id: 'support', name: 'Support' },
          { id: 'sales', name: 'Sales' },
        ],
        operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], maxChats: 2, role: 'operator' }],
        ...overrides,
      });
      const prefix = extras.instance?.prefix ?? freshPrefix();
      const store = createDeskStore(redis as Redis, prefix, {
        endedRetentionSeconds: 60,
        defaultAvgHandleMs: 120_000,
        maxBufferedMessages: 20,
      });
      const sent: Element[] = [];
      const waiters = new Set<() => void>();
      const recorder = createEvidenceRecorder(extras.evidence?.(redis as Redis, prefix), {
        maskedJid: (l) => `${l}@${DOMAIN}`,
        onError: () => undefined,
      });
      const sink = {
        send: (stanza: Element) => {
          sent.push(stanza);
          for (const w of [...waiters]) w();
        },
      };
      const now = extras.now ?? Date.now;
      const org = createLiveOrg({
        store: store.org,
        seed: orgFromConfig(config),
        audit: createOrgAudit({ evidence: recorder, org: store.org, now }),
        log,
      });
      const lease = extras.instance && createLeaderLease(redis as Redis, store.keys, { lengthMs: extras.instance.leaseMs ?? 3000, now });
      const signals = extras.instance && createDeskSignals(redis as Redis, store.keys.deskChanged(), log);
      const desk = createDesk({
        lease,
        signals,
        config,
        directory: createDirectory(config, org.current),
        org,
        store,
        log,
        recorder,
        transcripts: () => undefined,
        now: extras.now,
        whenWritten: extras.whenWritten,
        send: createRecordingSend(recorder, () => sink), // as app.ts: tagged stanzas are recorded (when a log is given)
      });
      const d: DeskUnderTest = {
        desk,
        store,
        sent,
        receive: (stanza) => desk.route(stanza),
        next(match, what) {
          return new Promise((resolve, reject) => {
            const check = () => {
              const i = sent.findIndex(match);
              if (i === -1) return;
              waiters.delete(check);
              clearTimeout(timer);
              resolve(sent.splice(i, 1)[0] as Element);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              reject(new Error(`timed out waiting for ${what}; sent:\n${sent.map(String).join('\n')}`));
            }, 2000);
            waiters.add(check);
            check();
          });
        },
        stop: () => {
          desk.stop();
          signals?.stop();
        },
        listening: signals ? signals.start() : Promise.resolve(),
      };
      opened.push(d);
      return d;
    },
  };
}

export const message = (from: string, to: string, body: string, id = `m${Math.random().toString(36).slice(2)}`) =>
  xml('message', { from, to, type: 'chat', id }, xml('body', {}, body));
export const presence = (from: string, to: string, attrs: Record<string, string> = {}, show?: string) =>
  xml('presence', { from, to, ...attrs }, ...(show ? [xml('show', {}, show)] : []));
export const bodyOf = (el: Element) => el.getChildText('body') ?? '';
export const isTo = (to: string, body?: RegExp) => (el: Element) =>
  el.attrs.to === to && el.name === 'message' && (body === undefined || body.test(bodyOf(el)));
