/** Report rows as CSV (RFC 4180: CRLF, fields quoted when they hold a comma, quote or line break). */
import type { Figures } from './report-figures.js';

export const FIGURE_COLUMNS = [
  'period',
  'requested',
  'served',
  'abandoned',
  'offline',
  'stillWaiting',
  'missed',
  'transfers',
  'ended',
  'waitP50Ms',
  'waitP90Ms',
  'waitMaxMs',
  'abandonWaitP50Ms',
  'firstResponseP50Ms',
  'firstResponseP90Ms',
  'withinSla',
  'handleAvgMs',
  'ratings',
  'ratingAvg',
  'rating1',
  'rating2',
  'rating3',
  'rating4',
  'rating5',
  'offlineReplied',
  'offlineReplyP50Ms',
  'shown',
  'shownOpen',
  'shownBusy',
  'shownClosed',
  'opened',
  'openedRate',
  'requestedPerShown',
  'onlineMs',
  'availableMs',
  'servedPerOnlineHour',
] as const;

const cell = (v: unknown): string => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function csvOf(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** One row per period. */
export function figuresCsv(rows: readonly Figures[]): string {
  return csvOf(
    FIGURE_COLUMNS,
    rows.map((f) =>
      FIGURE_COLUMNS.map((c) => {
        const m = /^rating([1-5])$/.exec(c);
        return m ? f.ratingDistribution[m[1] as '1'] : f[c as keyof Figures];
      }),
    ),
  );
}

export const CHAT_COLUMNS = [
  'ticket',
  'desk',
  'day',
  'requestedAt',
  'outcome',
  'operator',
  'waitMs',
  'firstResponseMs',
  'handleMs',
  'missed',
  'transfers',
  'rating',
  'comment',
  'offlineReplyMs',
] as const;

/** One row per chat: the ticket, its desk and day, and what its facts wrote (docs/reports.md). */
export function chatsCsv(rows: readonly { ticket: number; desk: string; day: string; fields: Record<string, string> }[]): string {
  return csvOf(
    CHAT_COLUMNS,
    rows.map((r) =>
      CHAT_COLUMNS.map((c) => {
        if (c === 'ticket' || c === 'desk' || c === 'day') return r[c];
        const v = r.fields[c];
        if (c === 'requestedAt' && v) return new Date(Number(v)).toISOString();
        if (c === 'transfers') return v ?? '0';
        return v;
      }),
    ),
  );
}
