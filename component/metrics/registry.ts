/**
 * The component's Prometheus metrics (prom-client): default process metrics, the desks' gauges
 * read on scrape from the same desk snapshot /api/status uses (no second counting path), and
 * the counters and histograms fed where events happen (the send function, the services' meter,
 * the link and Redis). Labels are desks, operators, directions, presences and error conditions:
 * never customers or tickets, so the number of series stays bounded.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OperatorLoad } from '../../src/queue-policy.js';
import type { EvidenceTag } from '../evidence/recorder.js';
import { errorCondition } from '../protocol/stanzas.js';
import type { Element } from '../protocol/xml.js';
import type { DeskMeter } from '../services/context.js';

/** What the scrape reads, handed in by app.ts. */
export interface MetricSources {
  /** Each desk's snapshot (services/desk-snapshot.ts). */
  desks: () => Promise<{ desk: string; waiting: number; freeSlots: number; loads: readonly OperatorLoad[] }[]>;
  xmppUp: () => boolean;
  /** Another instance holds the component domain (hot standby): xmpp down is then expected. */
  standby?: () => boolean;
  redisUp: () => boolean;
  /** The evidence log's progress; undefined when the log is off. */
  evidence?: () => Promise<EvidenceProgress>;
  /** The mail queue's counters in this process (services/mail-sender.ts); undefined without config `mail`. */
  mail?: () => Readonly<Record<'sent' | 'retried' | 'gaveUp' | 'refused', number>>;
  /** Mails queued in Redis and not yet sent, refused or given up (store/mail-store.ts pending()); with config `mail`. */
  mailQueueDepth?: () => Promise<number>;
}

export interface EvidenceProgress {
  /** Records appended by this process. */
  appended: number;
  /** The newest appended seq, the newest checkpoint (seq, signing time in ms) and the newest mirrored seq. */
  headSeq?: number;
  checkpoint?: { seq: number; ts: number };
  mirroredSeq?: number;
}

const PRESENCES = ['chat', 'available', 'away', 'dnd', 'xa'] as const;

export function createMetrics(sources: MetricSources, now: () => number = Date.now) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[], collect?: (g: Gauge) => Promise<void> | void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      ...(collect && {
        collect: function (this: Gauge) {
          return collect(this);
        },
      }),
    });

  // The desks: one read per desk per scrape, shared by all the desk gauges.
  let deskRead: Promise<Awaited<ReturnType<MetricSources['desks']>>> | undefined;
  // Redis down: the desks' gauges are left out of this scrape (madoguchi_redis_up says why).
  const desks = () =>
    (deskRead ??= sources
      .desks()
      .catch(() => [])
      .finally(() => setImmediate(() => (deskRead = undefined))));
  gauge('madoguchi_waiting_customers', 'Customers waiting in the queue, per desk', ['desk'], async (g) => {
    g.reset();
    for (const d of await desks()) g.set({ desk: d.desk }, d.waiting);
  });
  gauge(
    'madoguchi_operators_online',
    'Operators online at the desk, by presence (chat, available, away, dnd, xa)',
    ['desk', 'presence'],
    async (g) => {
      g.reset();
      for (const d of await desks())
        for (const p of PRESENCES) g.set({ desk: d.desk, presence: p }, d.loads.filter((op) => op.status === p).length);
    },
  );
  gauge('madoguchi_free_slots', 'Chats the desk could take now (operators with room)', ['desk'], async (g) => {
    g.reset();
    for (const d of await desks()) g.set({ desk: d.desk }, d.freeSlots);
  });
  gauge('madoguchi_operator_active_chats', 'Chats an operator has now (over all their desks)', ['operator'], async (g) => {
    g.reset();
    const active = new Map<string, number>();
    for (const d of await desks()) for (const op of d.loads) active.set(op.jid, op.active);
    for (const [operator, n] of active) g.set({ operator }, n);
  });
  gauge('madoguchi_active_chats', 'Chats assigned to an operator now, over all desks', [], async (g) => {
    const active = new Map<string, number>();
    for (const d of await desks()) for (const op of d.loads) active.set(op.jid, op.active);
    g.set([...active.values()].reduce((a, b) => a + b, 0));
  });

  // Connections.
  gauge('madoguchi_xmpp_up', '1 when the XEP-0114 stream to the server is open', [], (g) => void g.set(sources.xmppUp() ? 1 : 0));
  gauge(
    'madoguchi_standby',
    '1 while the server refuses this instance because another one holds the component domain (hot standby)',
    [],
    (g) => void g.set(sources.standby?.() ? 1 : 0),
  );
  gauge('madoguchi_redis_up', '1 when Redis is ready', [], (g) => void g.set(sources.redisUp() ? 1 : 0));
  const reconnects = new Counter({
    name: 'madoguchi_reconnects_total',
    help: 'Reconnections after a lost connection',
    labelNames: ['link'],
    registers,
  });
  for (const link of ['xmpp', 'redis']) reconnects.inc({ link }, 0);

  // Stanzas. Relayed messages are tallied in plain numbers and handed to prom-client on scrape:
  // its inc() hashes the label object on every call, a per-message cost (BENCHMARKS F23).
  const relayedTally = { 'customer->operator': 0, 'operator->customer': 0 };
  const relayedSeen = { ...relayedTally };
  new Counter({
    name: 'madoguchi_stanzas_relayed_total',
    help: 'Chat messages relayed between customers and operators',
    labelNames: ['direction'],
    registers,
    collect() {
      for (const direction of ['customer->operator', 'operator->customer'] as const) {
        this.inc({ direction }, relayedTally[direction] - relayedSeen[direction]);
        relayedSeen[direction] = relayedTally[direction];
      }
    },
  });
  const rejected = new Counter({
    name: 'madoguchi_stanzas_rejected_total',
    help: 'Stanzas answered with an error, by RFC 6120 condition',
    labelNames: ['reason'],
    registers,
  });
  const relayLatency = new Histogram({
    name: 'madoguchi_relay_latency_seconds',
    help: 'From a chat message arriving to its copy handed to the link, inside the component',
    labelNames: ['from'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  });
  const dispatchLatency = new Histogram({
    name: 'madoguchi_dispatch_latency_seconds',
    help: 'From a dispatch request (a join, a freed slot) to the end of its run',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });

  // The mail queue (issue 17): outcomes of send attempts, read from the sender's counters on scrape.
  if (sources.mail) {
    const read = sources.mail;
    const seen: Record<string, number> = {};
    const outcomes = { sent: 'sent', retried: 'retried', gaveUp: 'given_up', refused: 'refused' } as const;
    new Counter({
      name: 'madoguchi_mail_total',
      help: 'Mail send outcomes in this process: sent, retried (temporary failure), given_up (too long), refused (5xx)',
      labelNames: ['outcome'],
      registers,
      collect() {
        const now = read();
        for (const [key, outcome] of Object.entries(outcomes)) {
          const value = now[key as keyof typeof outcomes];
          this.inc({ outcome }, Math.max(0, value - (seen[key] ?? 0)));
          seen[key] = Math.max(seen[key] ?? 0, value);
        }
      },
    });
  }

  // Issue 18's "mail queue depth": the whole deployment's queue (it lives in Redis), not this process's.
  if (sources.mailQueueDepth) {
    const read = sources.mailQueueDepth;
    gauge('madoguchi_mail_queue_depth', 'Mails queued in Redis, not yet sent, refused or given up', [], async (g) => {
      try {
        g.set(await read());
      } catch {
        g.reset(); // Redis down: no value (madoguchi_redis_up says why)
      }
    });
  }

  // The evidence log.
  if (sources.evidence) {
    const read = sources.evidence;
    let seen = 0;
    let progress: Promise<EvidenceProgress> | undefined;
    const evidence = () =>
      (progress ??= read()
        .catch((): EvidenceProgress => ({ appended: seen }))
        .finally(() => setImmediate(() => (progress = undefined))));
    new Counter({
      name: 'madoguchi_evidence_appends_total',
      help: 'Records appended to the evidence log by this process',
      registers,
      async collect() {
        const { appended } = await evidence();
        this.inc(Math.max(0, appended - seen));
        seen = Math.max(seen, appended);
      },
    });
    gauge('madoguchi_evidence_checkpoint_age_seconds', 'Age of the newest signed checkpoint (absent before the first)', [], async (g) => {
      g.reset();
      const { checkpoint } = await evidence();
      if (checkpoint) g.set(Math.max(0, (now() - checkpoint.ts) / 1000));
    });
    gauge('madoguchi_evidence_unsigned_records', 'Records appended after the newest checkpoint (not signed yet)', [], async (g) => {
      const p = await evidence();
      g.set(p.headSeq !== undefined ? p.headSeq - (p.checkpoint?.seq ?? 0) : 0);
    });
    gauge('madoguchi_evidence_mirror_lag_records', 'Records appended but not yet written to the JSONL mirror', [], async (g) => {
      g.reset();
      const p = await evidence();
      if (p.mirroredSeq !== undefined && p.headSeq !== undefined) g.set(Math.max(0, p.headSeq - p.mirroredSeq));
    });
  }

  const meter: DeskMeter = {
    dispatched: (seconds) => dispatchLatency.observe(seconds),
    relayed: (from, seconds) => relayLatency.observe({ from }, seconds),
  };

  return {
    registry,
    meter,
    /** Wraps the send function: relayed messages and error replies are counted as they leave. */
    countSend(send: (stanza: Element, tag?: EvidenceTag) => void): (stanza: Element, tag?: EvidenceTag) => void {
      return (stanza, tag) => {
        if (tag?.kind === 'message' && (tag.direction === 'customer->operator' || tag.direction === 'operator->customer'))
          relayedTally[tag.direction]++;
        else if (stanza.attrs.type === 'error') rejected.inc({ reason: errorCondition(stanza)?.condition ?? 'undefined-condition' });
        send(stanza, tag);
      };
    },
    reconnected: (link: 'xmpp' | 'redis') => reconnects.inc({ link }),
    contentType: registry.contentType,
    text: () => registry.metrics(),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
