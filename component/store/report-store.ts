/**
 * Report rollups (docs/reports.md): per desk and per operator, one hash of counters (also per
 * hour of day, `<field>@<hh>`) and bounded sample lists per day in the desk's time zone. The
 * transitions that change a chat's state count their facts themselves (lua/includes/report-count.lua,
 * under the ticket's stamp()); the other facts go through report-fact-1.lua. Either way each fact
 * of a ticket counts once, so a retry, a second instance or a rebuild over live data cannot count twice.
 */
import {
  chatFields,
  type DayRollup,
  type FactEffect,
  factIncrements,
  localBucket,
  type ReportFact,
  SAMPLE_LISTS,
} from '../../src/report-figures.js';
import { presencePieces, type PresenceFact } from '../../src/report-presence.js';
import type { Impressions } from '../../src/widget-impressions.js';
import { storeScript, type StorePartContext, type StoreScript } from './store-scripts.js';

const reportFact = storeScript('report-fact-1.lua', { changesRoutes: false }, (r) => r === 1);
const reportPresence = storeScript('report-presence-1.lua', { changesRoutes: false }, (r) => r === 1);

export interface ReportOptions {
  retentionDays: number;
  /** Samples kept per list, scope and day (percentiles are exact below this many). */
  samplesPerDay: number;
}
export const DEFAULT_REPORT_OPTIONS: ReportOptions = { retentionDays: 400, samplesPerDay: 5000 };

/** report-fact-1.lua with its keys and arguments, not yet run. */
export interface ReportFactCall {
  script: StoreScript<boolean>;
  keys: string[];
  args: (string | number)[];
}

export interface ChatRow {
  ticket: number;
  desk: string;
  /** The day it was requested, in the desk's time zone. */
  day: string;
  fields: Record<string, string>;
}

export type ReportScope = { desk: string } | { operator: string };
const scopeName = (s: ReportScope) => ('desk' in s ? `desk:${s.desk}` : `op:${s.operator}`);

export function createReportStore({ redis, keys, run }: StorePartContext, opts: ReportOptions = DEFAULT_REPORT_OPTIONS) {
  function apply(fact: ReportFact, effect: FactEffect, zone: string): ReportFactCall {
    const { day, hour } = localBucket(fact.createdAt, zone);
    const scopes = [
      ...(effect.operatorOnly ? [] : [keys.reportDay(`desk:${fact.desk}`, day)]),
      ...(effect.operator ? [keys.reportDay(`op:${effect.operator}`, day)] : []),
    ];
    const fields = Object.entries(effect.fields);
    const chat = chatFields(fact);
    const args: (string | number)[] = [
      effect.once,
      opts.retentionDays * 86_400,
      opts.samplesPerDay,
      String(hour).padStart(2, '0'),
      scopes.length,
      ...scopes,
      fields.length,
      ...fields.flat(),
      effect.samples.length,
      ...effect.samples.flatMap((s) => [s.list, Math.max(0, Math.round(s.ms))]),
      effect.comment ? JSON.stringify(effect.comment) : '',
      Object.keys(chat).length,
      ...Object.entries(chat).flat(),
      fact.kind === 'requested' || fact.kind === 'offline' ? fact.ticket : '',
    ];
    return { script: reportFact, keys: [keys.reportMarks(fact.ticket)], args };
  }
  return {
    /**
     * A chat's report stamp, kept on its ticket from its request: the day and hour of the request
     * in the desk's zone, the retention and the samples kept. The transitions that change the
     * chat's state count its facts under it, in the same script (lua/includes/report-count.lua).
     */
    stamp(createdAt: number, zone: string): string {
      const { day, hour } = localBucket(createdAt, zone);
      return `${day}|${String(hour).padStart(2, '0')}|${opts.retentionDays * 86_400}|${opts.samplesPerDay}`;
    },

    /** A fact as a script call, for a caller that queues it in the MULTI of its transition. */
    factCall: (fact: ReportFact, zone: string): ReportFactCall => apply(fact, factIncrements(fact), zone),

    /** Adds a fact to the rollups of the day the chat was requested (in `zone`); false if counted before. */
    record(fact: ReportFact, zone: string): Promise<boolean> {
      const call = apply(fact, factIncrements(fact), zone);
      return run(call.script, call.keys, call.args);
    },

    /**
     * An operator's time in one status, cut at the hours of each scope's zone (the operator's:
     * their first desk's), added to the operator's and their desks' rollups; false if counted before.
     */
    recordPresence(fact: PresenceFact, zoneOf: (desk: string) => string): Promise<boolean> {
      const scopes: [string, string][] = [
        [`op:${fact.operator}`, zoneOf(fact.desks[0] ?? '')],
        ...fact.desks.map((d): [string, string] => [`desk:${d}`, zoneOf(d)]),
      ];
      const pieces = scopes.flatMap(([scope, zone]) =>
        presencePieces(fact.status, fact.since, fact.at, zone).flatMap((p) => [
          keys.reportDay(scope, p.day),
          p.hour,
          p.onlineMs,
          p.availableMs,
        ]),
      );
      if (pieces.length === 0) return Promise.resolve(false);
      const endDay = new Date(fact.at).toISOString().slice(0, 10);
      return run(
        reportPresence,
        [keys.reportPresenceMarks(fact.operator, endDay)],
        [fact.since, opts.retentionDays * 86_400, pieces.length / 4, ...pieces],
      );
    },

    /** A widget beacon's counts, filed under the desk's day and hour (in `zone`) it arrived. */
    async addImpressions(i: Impressions, zone: string, now: number): Promise<void> {
      const { day, hour } = localBucket(now, zone);
      const key = keys.reportImpressions(i.desk, day);
      const hh = String(hour).padStart(2, '0');
      const counts = { shownOpen: i.shown.open, shownBusy: i.shown.busy, shownClosed: i.shown.closed, opened: i.opened };
      const m = redis.multi();
      for (const [field, n] of Object.entries(counts)) if (n > 0) m.hincrby(key, field, n).hincrby(key, `${field}@${hh}`, n);
      await m.expire(key, opts.retentionDays * 86_400).exec();
    },

    /** The stored rollups of one scope for the given days (empty days included; a desk's with its impressions). */
    async days(scope: ReportScope, days: readonly string[]): Promise<DayRollup[]> {
      const pipe = redis.pipeline();
      for (const day of days) {
        const key = keys.reportDay(scopeName(scope), day);
        pipe.hgetall(key);
        for (const l of SAMPLE_LISTS) pipe.lrange(`${key}:${l}`, 0, -1);
        pipe.lrange(`${key}:comments`, 0, -1);
        if ('desk' in scope) pipe.hgetall(keys.reportImpressions(scope.desk, day));
      }
      const replies = ((await pipe.exec()) ?? []).map(([err, v]) => {
        if (err) throw err;
        return v;
      });
      const lists = SAMPLE_LISTS.length + 2;
      const per = lists + ('desk' in scope ? 1 : 0);
      return days.map((day, i) => {
        const r = replies.slice(i * per, (i + 1) * per);
        const h = { ...(r[0] as Record<string, string>), ...((r[lists] as Record<string, string> | undefined) ?? {}) };
        return {
          day,
          fields: Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)])),
          samples: Object.fromEntries(SAMPLE_LISTS.map((l, j) => [l, r[j + 1] as string[]])) as DayRollup['samples'],
          comments: (r[lists - 1] as string[]).map((c) => JSON.parse(c) as DayRollup['comments'][number]),
        };
      });
    },

    /** One row per chat requested at the desk on these days: the ticket and its `c.*` fields. */
    async chats(desk: string, days: readonly string[]): Promise<ChatRow[]> {
      const rows: ChatRow[] = [];
      for (const day of days) {
        const ids = (await redis.smembers(`${keys.reportDay(`desk:${desk}`, day)}:tickets`)).map(Number).sort((a, b) => a - b);
        const pipe = redis.pipeline();
        for (const id of ids) pipe.hgetall(keys.reportMarks(id));
        const replies = (await pipe.exec()) ?? [];
        ids.forEach((ticket, j) => {
          const h = (replies[j]?.[1] ?? {}) as Record<string, string>;
          const fields = Object.fromEntries(Object.entries(h).flatMap(([k, v]) => (k.startsWith('c.') ? [[k.slice(2), v]] : [])));
          rows.push({ ticket, desk, day, fields });
        });
      }
      return rows;
    },

    /** Deletes every rollup and mark under this prefix (before a rebuild). */
    async clear(): Promise<number> {
      let n = 0;
      for (const pattern of [`${keys.prefix}report:*`, `${keys.prefix}report-marks:*`]) {
        const stream = redis.scanStream({ match: pattern, count: 500 });
        for await (const batch of stream) {
          const ks = batch as string[];
          if (ks.length) n += await redis.unlink(...ks);
        }
      }
      return n;
    },
  };
}
export type ReportStore = ReturnType<typeof createReportStore>;
