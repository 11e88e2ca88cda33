/**
 * Report figures (docs/reports.md): the facts the desk's transitions emit, what each adds to the
 * day's rollup, and how a range of day rollups becomes the figures. Pure: the live store and the
 * rebuild from the evidence log both go through `factIncrements`, so they cannot count differently.
 *
 * Every fact of a chat is filed under the day and hour (in the desk's time zone) the chat was
 * REQUESTED, so each period reconciles: requested = served + abandoned + offline + still waiting.
 */
import { wallParts } from './wall-clock.js';

export type ReportFact =
  | { kind: 'requested'; ticket: number; desk: string; createdAt: number }
  | { kind: 'offline'; ticket: number; desk: string; createdAt: number }
  | { kind: 'served'; ticket: number; desk: string; operator: string; createdAt: number; waitMs: number }
  | { kind: 'abandoned'; ticket: number; desk: string; createdAt: number; waitMs: number }
  | { kind: 'firstResponse'; ticket: number; desk: string; operator: string; createdAt: number; ms: number }
  | { kind: 'ended'; ticket: number; desk: string; operator: string; createdAt: number; handleMs: number; responded: boolean }
  | { kind: 'transfer'; ticket: number; desk: string; operator: string; createdAt: number; at: number }
  | {
      kind: 'rating';
      ticket: number;
      desk: string;
      operator: string;
      createdAt: number;
      score: number;
      comment: string;
      replaces: number | null;
    }
  | { kind: 'offlineReplied'; ticket: number; desk: string; operator: string; createdAt: number; ms: number }
  /** The chat was taken from its operator, unanswered, by routing.reassignUnansweredSeconds (issue 16). */
  | { kind: 'unanswered'; ticket: number; desk: string; operator: string; createdAt: number; at: number };

/** Sample lists kept per scope and day (bounded; see docs/reports.md). */
export const SAMPLE_LISTS = ['wait', 'abandonWait', 'first', 'handle', 'offlineReply'] as const;
export type SampleList = (typeof SAMPLE_LISTS)[number];

export interface FactEffect {
  /** The fact counts once per ticket under this name (a transfer: once per transfer time). */
  once: string;
  /** Counter increments; each is also kept per hour as `<field>@<hh>`. */
  fields: Record<string, number>;
  samples: { list: SampleList; ms: number }[];
  comment?: { ticket: number; score: number; comment: string };
  /** Whether the operator's scope gets it too (facts without an operator are the desk's only). */
  operator?: string;
  /** The operator's scope only (the desk counts the chat when it ends). */
  operatorOnly?: boolean;
}

export function factIncrements(f: ReportFact): FactEffect {
  switch (f.kind) {
    case 'requested':
      return { once: 'requested', fields: { requested: 1 }, samples: [] };
    case 'offline':
      return { once: 'requested', fields: { requested: 1, offline: 1 }, samples: [] };
    case 'served':
      return {
        once: 'served',
        fields: { served: 1, waitMsSum: f.waitMs },
        samples: [{ list: 'wait', ms: f.waitMs }],
        operator: f.operator,
      };
    case 'abandoned':
      return { once: 'abandoned', fields: { abandoned: 1 }, samples: [{ list: 'abandonWait', ms: f.waitMs }] };
    case 'firstResponse':
      return { once: 'first', fields: { responded: 1 }, samples: [{ list: 'first', ms: f.ms }], operator: f.operator };
    case 'ended':
      return {
        once: `ended:${f.operator}`,
        fields: { ended: 1, handleMsSum: f.handleMs, ...(f.responded ? {} : { missed: 1 }) },
        samples: [{ list: 'handle', ms: f.handleMs }],
        operator: f.operator,
      };
    case 'transfer':
      return { once: `transfer:${f.at}`, fields: { transfers: 1 }, samples: [], operator: f.operator };
    case 'rating': {
      const fields: Record<string, number> = { ratingSum: f.score - (f.replaces ?? 0), [`rating${f.score}`]: 1 };
      if (f.replaces === null) fields.ratings = 1;
      else fields[`rating${f.replaces}`] = (fields[`rating${f.replaces}`] ?? 0) - 1;
      return {
        once: `rating:${f.score}:${f.replaces ?? 0}:${f.comment}`,
        fields,
        samples: [],
        comment: { ticket: f.ticket, score: f.score, comment: f.comment },
        operator: f.operator,
      };
    }
    case 'unanswered':
      return { once: `unanswered:${f.at}`, fields: { missed: 1 }, samples: [], operator: f.operator, operatorOnly: true };
    case 'offlineReplied':
      return { once: 'offlineReplied', fields: { offlineReplied: 1 }, samples: [{ list: 'offlineReply', ms: f.ms }], operator: f.operator };
  }
}

/** What a fact writes on its chat's row (`/api/reports/chats.csv`); a `+name` field is added to. */
export function chatFields(f: ReportFact): Record<string, string | number> {
  switch (f.kind) {
    case 'requested':
      return { outcome: 'waiting', requestedAt: f.createdAt };
    case 'offline':
      return { outcome: 'offline', requestedAt: f.createdAt };
    case 'served':
      return { outcome: 'served', operator: f.operator, waitMs: f.waitMs };
    case 'abandoned':
      return { outcome: 'abandoned', waitMs: f.waitMs };
    case 'firstResponse':
      return { firstResponseMs: f.ms };
    case 'ended':
      return { operator: f.operator, handleMs: f.handleMs, missed: f.responded ? 0 : 1 };
    case 'transfer':
      return { '+transfers': 1 };
    case 'rating':
      return { rating: f.score, comment: f.comment };
    case 'offlineReplied':
      return { operator: f.operator, offlineReplyMs: f.ms };
    case 'unanswered':
      return {}; // the chat's row says `missed` when it ends unanswered
  }
}

const DOW: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The day (YYYY-MM-DD), hour (0–23) and weekday (0 = Sunday) of a time in an IANA time zone. */
export function localBucket(ms: number, zone: string): { day: string; hour: number; dow: number } {
  const p = wallParts(ms, zone);
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), dow: DOW[p.weekday] ?? 0 };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const isDay = (s: string): boolean => DAY.test(s) && !Number.isNaN(dayMs(s)) && new Date(dayMs(s)).toISOString().startsWith(s);

/** The days from `from` to `to`, both included (at most `max`). */
export function daysBetween(from: string, to: string, max = 366): string[] {
  const out: string[] = [];
  for (let t = dayMs(from); t <= dayMs(to) && out.length < max; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** `!stats` periods: today, yesterday, 7d, 30d (ending today) or FROM..TO. */
export function parsePeriod(arg: string, today: string): { from: string; to: string } | undefined {
  const a = arg.trim() || 'today';
  const back = (n: number) => new Date(dayMs(today) - n * 86_400_000).toISOString().slice(0, 10);
  if (a === 'today') return { from: today, to: today };
  if (a === 'yesterday') return { from: back(1), to: back(1) };
  const m = /^(\d+)d$/.exec(a);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 366) return { from: back(Number(m[1]) - 1), to: today };
  const r = /^(\S+)\.\.(\S+)$/.exec(a);
  if (r?.[1] && r[2] && isDay(r[1]) && isDay(r[2]) && r[1] <= r[2] && daysBetween(r[1], r[2]).length < 366) return { from: r[1], to: r[2] };
  if (isDay(a)) return { from: a, to: a };
  return undefined;
}

/** One day's rollup of one scope as stored: counters and the samples as `<hh>:<ms>`. */
export interface DayRollup {
  day: string;
  fields: Record<string, number>;
  samples: Record<SampleList, string[]>;
  comments: { ticket: number; score: number; comment: string }[];
  /** The first-response target of the rollup's desk (set by the reader; default 60 s). */
  slaMs?: number;
}

/** Nearest-rank percentile (the value at rank ceil(p·n)); undefined without samples. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

export interface Figures {
  period: string;
  requested: number;
  served: number;
  abandoned: number;
  offline: number;
  stillWaiting: number;
  missed: number;
  transfers: number;
  ended: number;
  waitP50Ms?: number;
  waitP90Ms?: number;
  waitMaxMs?: number;
  abandonWaitP50Ms?: number;
  firstResponseP50Ms?: number;
  firstResponseP90Ms?: number;
  withinSla?: number;
  handleAvgMs?: number;
  ratings: number;
  ratingAvg?: number;
  ratingDistribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  offlineReplied: number;
  offlineReplyP50Ms?: number;
  /** Widget impressions (desk scope): the button shown, per state, and the panel opened. */
  shown: number;
  shownOpen: number;
  shownBusy: number;
  shownClosed: number;
  opened: number;
  /** opened / shown, and requested / shown (absent without impressions). */
  openedRate?: number;
  requestedPerShown?: number;
  /** Operators' time online (any status but offline) and available (taking customers), src/report-presence.ts. */
  onlineMs: number;
  availableMs: number;
  /** served per hour online (absent without online time). */
  servedPerOnlineHour?: number;
}

const sortedMs = (xs: readonly string[], hour?: number): number[] =>
  xs
    .map((s) => s.split(':').map(Number) as [number, number])
    .filter(([h]) => hour === undefined || h === hour)
    .map(([, ms]) => ms)
    .sort((a, b) => a - b);

/** The figures of some day rollups (a period), or of one hour of day across them. */
export function figuresOf(period: string, days: readonly DayRollup[], hour?: number): Figures {
  const n = (f: string) => days.reduce((s, d) => s + (d.fields[hour === undefined ? f : `${f}@${String(hour).padStart(2, '0')}`] ?? 0), 0);
  const list = (l: SampleList) =>
    sortedMs(
      days.flatMap((d) => d.samples[l]),
      hour,
    );
  const wait = list('wait');
  const first = list('first');
  const handle = list('handle');
  const requested = n('requested');
  const served = n('served');
  const abandoned = n('abandoned');
  const offline = n('offline');
  const ratings = n('ratings');
  const shown = n('shownOpen') + n('shownBusy') + n('shownClosed');
  const onlineMs = n('onlineMs');
  const dist = { '1': n('rating1'), '2': n('rating2'), '3': n('rating3'), '4': n('rating4'), '5': n('rating5') };
  return {
    period,
    requested,
    served,
    abandoned,
    offline,
    stillWaiting: Math.max(0, requested - served - abandoned - offline),
    missed: n('missed'),
    transfers: n('transfers'),
    ended: n('ended'),
    waitP50Ms: percentile(wait, 0.5),
    waitP90Ms: percentile(wait, 0.9),
    waitMaxMs: wait.at(-1),
    abandonWaitP50Ms: percentile(list('abandonWait'), 0.5),
    firstResponseP50Ms: percentile(first, 0.5),
    firstResponseP90Ms: percentile(first, 0.9),
    withinSla: served
      ? days.reduce((s, d) => s + sortedMs(d.samples.first, hour).filter((ms) => ms <= (d.slaMs ?? 60_000)).length, 0) / served
      : undefined,
    handleAvgMs: handle.length ? Math.round(handle.reduce((s, x) => s + x, 0) / handle.length) : undefined,
    ratings,
    ratingAvg: ratings ? Math.round((n('ratingSum') / ratings) * 100) / 100 : undefined,
    ratingDistribution: dist,
    offlineReplied: n('offlineReplied'),
    offlineReplyP50Ms: percentile(list('offlineReply'), 0.5),
    shown,
    shownOpen: n('shownOpen'),
    shownBusy: n('shownBusy'),
    shownClosed: n('shownClosed'),
    opened: n('opened'),
    openedRate: shown ? ratio(n('opened'), shown) : undefined,
    requestedPerShown: shown ? ratio(requested, shown) : undefined,
    onlineMs,
    availableMs: n('availableMs'),
    servedPerOnlineHour: onlineMs ? ratio(served * 3_600_000, onlineMs) : undefined,
  };
}

/** A share or rate, to 4 decimals (JSON and CSV alike). */
const ratio = (a: number, b: number) => Math.round((a / b) * 10_000) / 10_000;

/** Requests by weekday (0 = Sunday) × hour of day, from the days' per-hour counters. */
export function busiestHours(days: readonly DayRollup[]): number[][] {
  const table = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const d of days) {
    const dow = new Date(dayMs(d.day)).getUTCDay();
    const row = table[dow] as number[];
    for (let h = 0; h < 24; h++) row[h] = (row[h] ?? 0) + (d.fields[`requested@${String(h).padStart(2, '0')}`] ?? 0);
  }
  return table;
}
